// The Redis part's table, ratios, goal line and JSON line.

const GOAL = 2;

const fixed = (value, digits) => value.toFixed(digits);

/** Prints the runs and how Orchestra compares; returns the figures printed as the JSON line. */
export function printRedisReport({ jobs, chunk, threads, rounds, runs, tuning }) {
  const byKey = Object.fromEntries(runs.map((run) => [run.key, run]));
  const width = Math.max(...runs.map((run) => run.label.length));
  console.log('');
  for (const run of runs) console.log(`${run.label}: ${run.title}`);
  console.log('');
  console.log(`${'set-up'.padEnd(width)} ${'jobs/s'.padStart(8)} ${'cmds/job'.padStart(9)} ${'Redis CPU µs/job'.padStart(17)} ${'bytes in/out per job'.padStart(21)}`);
  for (const run of runs) {
    const { redis } = run;
    const bytes = `${Math.round(redis.bytesInPerJob)}/${Math.round(redis.bytesOutPerJob)}`;
    console.log(
      `${run.label.padEnd(width)} ${String(Math.round(run.jobsPerSecond)).padStart(8)} ${fixed(redis.commandsPerJob, 2).padStart(9)} ` +
        `${fixed(redis.redisCpuUsPerJob, 1).padStart(17)} ${bytes.padStart(21)}`,
    );
  }
  console.log('');
  for (const run of runs) {
    const top = run.redis.top.map(({ name, perJob }) => `${name} ${fixed(perJob, 3)}`).join(', ');
    const cpu = run.cpu.map(({ process, usPerJob }) => `${process} ${fixed(usPerJob, 1)}`).join(', ');
    console.log(`${run.label}: top commands per job: ${top}; CPU µs per job: ${cpu}, redis-server ${fixed(run.redis.redisCpuUsPerJob, 1)}`);
  }
  console.log('(commands include those run inside Lua scripts: Redis counts each redis.call)');

  const orchestra = byKey.orchestra.jobsPerSecond;
  const inline = byKey.bullmqInline.jobsPerSecond;
  const sandboxed = byKey.bullmqSandboxed.jobsPerSecond;
  const fasterKey = inline >= sandboxed ? 'bullmqInline' : 'bullmqSandboxed';
  const faster = byKey[fasterKey].jobsPerSecond;
  const ratios = { vsInline: orchestra / inline, vsSandboxed: orchestra / sandboxed, vsFaster: orchestra / faster };
  const met = ratios.vsFaster >= GOAL;
  console.log('');
  console.log(`ratio (orchestra/bullmq inline): ${fixed(ratios.vsInline, 2)}`);
  console.log(`ratio (orchestra/bullmq sandboxed): ${fixed(ratios.vsSandboxed, 2)}`);
  console.log(`ratio (orchestra/faster bullmq = ${byKey[fasterKey].label}): ${fixed(ratios.vsFaster, 2)}`);
  console.log(`goal: >= ${GOAL}x the faster BullMQ set-up: ${met ? 'met' : 'NOT met'} (${fixed(ratios.vsFaster, 2)}x)`);

  const summary = {
    jobs,
    chunk,
    threads,
    rounds,
    runs: Object.fromEntries(
      runs.map((run) => [
        run.key,
        {
          jobsPerSecond: Math.round(run.jobsPerSecond),
          ...(run.concurrency === undefined ? {} : { concurrency: run.concurrency }),
          commandsPerJob: Number(fixed(run.redis.commandsPerJob, 3)),
          redisCpuUsPerJob: Number(fixed(run.redis.redisCpuUsPerJob, 1)),
          bytesInPerJob: Math.round(run.redis.bytesInPerJob),
          bytesOutPerJob: Math.round(run.redis.bytesOutPerJob),
          top: Object.fromEntries(run.redis.top.map(({ name, perJob }) => [name, Number(fixed(perJob, 3))])),
          cpuUsPerJob: Object.fromEntries(run.cpu.map(({ process, usPerJob }) => [process, Number(fixed(usPerJob, 1))])),
        },
      ]),
    ),
    bullmqInlineTuning: tuning,
    fasterBullmq: fasterKey,
    ratios: Object.fromEntries(Object.entries(ratios).map(([name, value]) => [name, Number(fixed(value, 2))])),
    goal: { atLeast: GOAL, met },
  };
  return summary;
}
