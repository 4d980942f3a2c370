// Part 2: tiny jobs end to end over one Redis. Orchestra against BullMQ on the same server.
import { startRedisServer } from '@orchestra/redis-server';
import { RedisMeter } from './commandstats.js';
import { printRedisReport } from './report.js';
import { runSetup } from './run-setup.js';
import { bullmqSetup, orchestraSetup } from './setups.js';

/**
 * Runs each set-up on one Redis (a private redis-server, or REDIS_URL's), tunes BullMQ's inline
 * concurrency on shorter runs, prints the table, the ratios and a JSON line, and returns the figures.
 */
export async function runRedisBench({ threads, jobs, chunk, rounds, concurrencies }) {
  const server = await startRedisServer();
  const meter = new RedisMeter(server.url, server.owned);
  // Distinct names, so a shared server (REDIS_URL) keeps runs apart and nothing of its own is touched.
  const stamp = `bench-${process.pid}-${Date.now().toString(36)}`;
  const warmupJobs = Math.min(jobs, 5_000);
  const options = { jobs, warmupJobs, chunk, rounds };
  // Every job's events (added, waiting, active, completed) must stay readable with all jobs in flight.
  const eventsMaxLen = Math.max(10_000, jobs * 10);
  try {
    const where = server.owned ? `a private redis-server at ${server.url}` : `REDIS_URL=${server.url} (not flushed: distinct names, counter deltas)`;
    console.log(`${jobs} tiny jobs (a + b) end to end over ${where}`);
    console.log(`added ${chunk} at a time, every result awaited; ${threads} threads; warm-up ${warmupJobs} jobs; best of ${rounds}`);

    const orchestraRun = orchestraSetup({ url: server.url, namespace: `${stamp}-orchestra`, threads });
    const orchestra = await runSetup(orchestraRun, meter, options);

    let concurrency = concurrencies[0];
    const tuning = [];
    if (concurrencies.length > 1) {
      const tuneJobs = Math.max(2_000, Math.round(jobs / 4));
      console.log(`  tuning BullMQ's inline concurrency on ${tuneJobs} jobs each: ${concurrencies.join(', ')}`);
      let fastest = 0;
      for (const c of concurrencies) {
        const setup = bullmqSetup({ url: server.url, queueName: `${stamp}-tune-${c}`, mode: 'inline', concurrency: c, eventsMaxLen });
        const { jobsPerSecond } = await runSetup(setup, meter, { ...options, jobs: tuneJobs, warmupJobs: 1_000, rounds: 1, quiet: true });
        console.log(`    concurrency ${c}: ${Math.round(jobsPerSecond)} jobs/s`);
        tuning.push({ concurrency: c, jobsPerSecond: Math.round(jobsPerSecond) });
        if (jobsPerSecond > fastest) {
          fastest = jobsPerSecond;
          concurrency = c;
        }
      }
    }
    const inlineSetup = bullmqSetup({ url: server.url, queueName: `${stamp}-inline`, mode: 'inline', concurrency, eventsMaxLen });
    const inline = await runSetup(inlineSetup, meter, options);
    const sandboxedSetup = bullmqSetup({ url: server.url, queueName: `${stamp}-sandboxed`, mode: 'sandboxed', concurrency: threads, eventsMaxLen });
    const sandboxed = await runSetup(sandboxedSetup, meter, options);

    return printRedisReport({
      jobs,
      chunk,
      threads,
      rounds,
      runs: [
        { key: 'orchestra', label: orchestraRun.label, title: orchestraRun.title, ...orchestra },
        { key: 'bullmqInline', label: inlineSetup.label, title: inlineSetup.title, concurrency, ...inline },
        { key: 'bullmqSandboxed', label: sandboxedSetup.label, title: sandboxedSetup.title, concurrency: threads, ...sandboxed },
      ],
      tuning,
    });
  } finally {
    await meter.close();
    await server.stop();
  }
}
