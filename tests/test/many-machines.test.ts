import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import {
  RedisRoles,
  type ComposerReport,
  uniqueNamespace,
  type ConsumerProgress,
  type ConsumerReport,
  type InstrumentReport,
  type InstrumentsEvent,
  type ReadyEvent,
} from './support/redis-roles.js';
import { RoleProcesses, workspaceDir, type RoleProcess } from './support/role-process.js';
import { waitUntil } from '@orchestra/network-conformance';

/** Every role in a process of its own, from the repo, with the fixture workspace. */
const here = { workspace: workspaceDir };

/** Sums each consumer's results by the process id of the instrument that ran them. */
function resultsBy(reports: readonly ConsumerReport[], instrument: RoleProcess): number {
  return reports.reduce((sum, report) => sum + (report.byPid[String(instrument.pid)] ?? 0), 0);
}

function expectEachResultOnceAtHome(report: ConsumerReport, jobs: number): void {
  expect(report.firstProblem).toBeUndefined();
  expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, delivered: jobs, duplicates: 0, foreign: 0, missing: 0 });
  // Every result that reached this mailbox carries this consumer's own numbers.
  expect(report.bands).toEqual({ [String(report.index)]: jobs });
}

describe('many machines over Redis: composer, instruments and consumers as separate processes', () => {
  let server: RedisServer;
  let admin: Redis;
  const processes = new RoleProcesses();

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url, { protocol: 2 });
  });

  afterAll(async () => {
    await processes.killAll();
    await admin?.quit();
    await server?.stop();
  });

  /** Starts a composer and `count` instruments, and waits until the composer knows them all. */
  async function startNetwork(roles: RedisRoles, count: number): Promise<{ composer: RoleProcess; instruments: RoleProcess[] }> {
    const composer = roles.composer();
    await composer.waitFor('ready');
    const instruments = Array.from({ length: count }, (_, i) => roles.instrument(`instrument-${i + 1}`, here));
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
    await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === count);
    return { composer, instruments };
  }

  it('settles 3,000 jobs from each of two consumers right, each result exactly once and only at home, spread over two instruments', async () => {
    const jobs = 3_000;
    const roles = new RedisRoles(processes, server.url, uniqueNamespace('many'));
    const { composer, instruments } = await startNetwork(roles, 2);

    const consumers = [1, 2].map((index) => roles.consumer(`consumer-${index}`, here, { index, jobs, progressEvery: 500 }));
    await Promise.all(consumers.map((consumer) => consumer.waitFor('settled', () => true, 45_000)));
    // Read again at close, so a duplicate arriving after the last result would count too.
    const reports = await Promise.all(consumers.map((consumer) => consumer.stop<ConsumerReport>()));
    for (const report of reports) expectEachResultOnceAtHome(report, jobs);

    const instrumentReports = await Promise.all(instruments.map((instrument) => instrument.stop<InstrumentReport>()));
    instruments.forEach((instrument, i) => {
      expect(resultsBy(reports, instrument)).toBeGreaterThan(0);
      expect(instrumentReports[i]?.stats.settled).toBe(resultsBy(reports, instrument));
    });
    expect(resultsBy(reports, instruments[0] as RoleProcess) + resultsBy(reports, instruments[1] as RoleProcess)).toBe(2 * jobs);

    const composerReport = await composer.stop<ComposerReport>();
    expect(composerReport.stats).toMatchObject({ settled: 2 * jobs, invalidMessages: 0 });
  }, 60_000);

  it('keeps every job right while an instrument joins and another leaves mid-flow', async () => {
    const jobs = 1_500;
    const namespace = uniqueNamespace('join-leave');
    const roles = new RedisRoles(processes, server.url, namespace);
    const { composer, instruments } = await startNetwork(roles, 2);
    const [first, second] = instruments as [RoleProcess, RoleProcess];

    // Slow jobs (5 ms each, one thread per instrument) keep work flowing for several seconds.
    const consumers = [1, 2].map((index) => roles.consumer(`consumer-${index}`, here, { index, jobs, ms: 5, progressEvery: 20 }));
    const anyProgress = (matches: (event: ConsumerProgress) => boolean): Promise<ConsumerProgress> =>
      Promise.any(consumers.map((consumer) => consumer.waitFor<ConsumerProgress>('progress', matches)));
    await anyProgress(() => true);

    // A third instrument joins once jobs flow; once it has run some, the first one leaves gracefully.
    const late = roles.instrument('instrument-3', here);
    await late.waitFor<ReadyEvent>('ready');
    await anyProgress((event) => (event.byPid[String(late.pid)] ?? 0) > 0);
    const leftReport = await first.stop<InstrumentReport>();
    const stillFlowing = consumers.filter((consumer) => !consumer.events.some((event) => event.event === 'settled'));
    expect(stillFlowing.length).toBeGreaterThan(0);
    expect(leftReport.stats.settled).toBeGreaterThan(0);
    expect(leftReport.stats.held).toBe(0);
    // The composer deletes a departed instrument's mailbox: nothing of it stays in Redis.
    const leftMailbox = `orchestra:{${namespace}}:mailbox:instrument.${leftReport.id}`;
    await waitUntil(async () => (await admin.exists(leftMailbox)) === 0, `${leftMailbox} was deleted`);

    await Promise.all(consumers.map((consumer) => consumer.waitFor('settled', () => true, 45_000)));
    const reports = await Promise.all(consumers.map((consumer) => consumer.stop<ConsumerReport>()));
    for (const report of reports) expectEachResultOnceAtHome(report, jobs);

    // The leaver ran nothing after its goodbye; the others took over what it handed back.
    expect(resultsBy(reports, first)).toBe(leftReport.stats.settled);
    expect(resultsBy(reports, late)).toBeGreaterThan(0);
    expect(resultsBy(reports, second)).toBeGreaterThan(0);
    expect(resultsBy(reports, first) + resultsBy(reports, second) + resultsBy(reports, late)).toBe(2 * jobs);

    await Promise.all([second.stop(), late.stop()]);
    const composerReport = await composer.stop<ComposerReport>();
    expect(composerReport.stats).toMatchObject({ settled: 2 * jobs, invalidMessages: 0 });
  }, 60_000);
});
