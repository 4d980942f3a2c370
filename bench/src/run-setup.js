// One set-up, end to end: fresh server, processes, warm-up, measured rounds, clean-up.
import { stopAll, unlessOneDies } from './children.js';

/** Each child's CPU time so far (user + system, all its threads), in µs. */
async function cpuTimes(children) {
  const usages = await Promise.all(children.map((child) => child.request('cpu')));
  return usages.map(({ user, system }) => user + system);
}

/**
 * Starts the set-up's processes, runs a warm-up of `warmupJobs` in them, then `rounds` measured
 * runs of `jobs` jobs, reading Redis's counters around each. Returns the best round (its jobs/s
 * and its Redis figures). Every process is stopped, even when something fails.
 */
export async function runSetup(setup, meter, { jobs, warmupJobs, chunk, rounds, quiet = false }) {
  await meter.fresh();
  const children = [];
  try {
    const driver = await setup.start(children);
    // A run waits on every process of the set-up: if one dies, fail now rather than at the timeout.
    await unlessOneDies(children, driver.request('run', { jobs: warmupJobs, chunk }));
    let best;
    for (let round = 1; round <= rounds; round++) {
      const cpuBefore = await cpuTimes(children);
      await meter.begin();
      const { ms } = await unlessOneDies(children, driver.request('run', { jobs, chunk }));
      const redis = await meter.end(jobs);
      const cpuAfter = await cpuTimes(children);
      const cpu = children.map((child, i) => ({ process: child.role, usPerJob: (cpuAfter[i] - cpuBefore[i]) / jobs }));
      const jobsPerSecond = jobs / (ms / 1000);
      if (!quiet) {
        const perProcess = cpu.map(({ process, usPerJob }) => `${process} ${usPerJob.toFixed(1)}`).join(', ');
        console.log(
          `  ${setup.name} round ${round}: ${Math.round(jobsPerSecond)} jobs/s, ${redis.commandsPerJob.toFixed(2)} commands/job; ` +
            `CPU µs/job: ${perProcess}, redis-server ${redis.redisCpuUsPerJob.toFixed(1)}`,
        );
      }
      if (best === undefined || jobsPerSecond > best.jobsPerSecond) best = { jobsPerSecond, ms, redis, cpu };
    }
    return best;
  } finally {
    // The process that drives runs first, so nothing waits on a peer that is already gone.
    await stopAll([...children].reverse());
    await meter.forget(setup.keys);
  }
}
