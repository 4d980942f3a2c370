// `pnpm bench`: tiny jobs in one process (MemNetwork against raw Piscina), then end to end over
// Redis (Orchestra against BullMQ). BENCH_PARTS=mem or BENCH_PARTS=redis runs one part only.
import { runMemBench } from './mem-bench.js';
import { runRedisBench } from './redis-bench.js';

function positiveInteger(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${text})`);
  return value;
}
const setting = (name, fallback) => positiveInteger(process.env[name] ?? fallback, name);

const threads = setting('BENCH_THREADS', 2);
const parts = (process.env.BENCH_PARTS ?? 'mem,redis').split(',');
const memJobs = setting('BENCH_JOBS', 200_000);
const redis = {
  threads,
  jobs: setting('BENCH_REDIS_JOBS', 20_000),
  chunk: setting('BENCH_REDIS_CHUNK', 1_000),
  rounds: setting('BENCH_REDIS_ROUNDS', 2),
  concurrencies: (process.env.BENCH_BULLMQ_CONCURRENCY ?? '1,8,50,100').split(',').map((text) => positiveInteger(text, 'BENCH_BULLMQ_CONCURRENCY')),
};

// A terminated bench still runs its 'exit' handlers, which kill the child processes and redis-server.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.once(signal, () => process.exit(code));

const summary = { threads };
try {
  if (parts.includes('mem')) {
    console.log('== Part 1: in one process (MemNetwork) against raw Piscina ==');
    const best = await runMemBench({ threads, jobs: memJobs });
    summary.mem = Object.fromEntries(Object.entries(best).map(([name, rate]) => [name, Math.round(rate)]));
  }
  if (parts.includes('redis')) {
    console.log('');
    console.log('== Part 2: end to end over one Redis, Orchestra against BullMQ ==');
    summary.redis = await runRedisBench(redis);
  }
  console.log('');
  console.log(JSON.stringify(summary));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
