import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Consumer } from '@orchestra/consumer';
import { InstrumentLostError, Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/network-conformance';
import { RedisNetwork } from '@orchestra/network-redis';
import {
  RedisRoles,
  uniqueNamespace,
  type ComposerReport,
  type ComposerStatsEvent,
  type ConsumerReport,
  type InstrumentReport,
  type InstrumentsEvent,
} from './support/redis-roles.js';
import { quietLogger } from './support/redis-machine.js';
import { redisForRoles } from './support/redis-for-roles.js';
import { workspaceDir, type RoleProcess } from './support/role-process.js';

const here = { workspace: workspaceDir };
const scratch = mkdtempSync(join(tmpdir(), 'orchestra-crash-'));
let logs = 0;
const runLog = (): string => join(scratch, `runs-${(logs += 1)}.jsonl`);

interface Run {
  readonly pid: number;
  readonly a: number;
  readonly attempt: number;
}
function runs(log: string): Run[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Run);
}

/** Every job settled once, right, and none failed or went missing. */
function expectAllRight(report: ConsumerReport, jobs: number): void {
  expect(report.firstProblem).toBeUndefined();
  expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, missing: 0, foreign: 0 });
  expect(report.consumerStats.pending).toBe(0);
}

function signal(role: RoleProcess, name: NodeJS.Signals): void {
  role.child.kill(name);
}

describe('crash recovery over Redis, with every role a separate process', () => {
  const redis = redisForRoles();
  const processes = redis.processes;

  /** A composer that gives up on silent instruments after `instrumentLeaseMs`, and `count` instruments it knows. */
  async function network(roles: RedisRoles, count: number, instrumentLeaseMs = 1_500, instrumentArgs: readonly string[] = []) {
    const composer = roles.composer({}, ['--instrument-lease-ms', String(instrumentLeaseMs)]);
    await composer.waitFor('ready');
    const instruments = Array.from({ length: count }, (_, i) =>
      roles.instrument(`instrument-${i + 1}`, here, 1, ['--heartbeat-ms', '250', ...instrumentArgs]),
    );
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
    await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === count);
    return { composer, instruments };
  }

  it('runs again elsewhere what a SIGKILLed instrument held', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('sigkill-instrument'));
    const { composer, instruments } = await network(roles, 2);
    const [doomed, survivor] = instruments as [RoleProcess, RoleProcess];
    const jobs = 300;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 20, progressEvery: 50 });
    await consumer.waitFor('progress', () => true, 30_000);
    signal(doomed, 'SIGKILL');
    await doomed.exited;
    const lost = await composer.waitFor<ComposerStatsEvent>('stats', (event) => event.stats.lostInstruments === 1, 15_000);
    expect(lost.stats.lostRuns).toBeGreaterThan(0);
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, jobs);
    expect(report.byPid[String(survivor.pid)]).toBeGreaterThan(0);
    await survivor.stop();
    await composer.stop();
  }, 90_000);

  it('runs again elsewhere the job of an instrument frozen past its lease, and drops its late result', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('sigstop-instrument'));
    const { composer, instruments } = await network(roles, 2, 1_000);
    const [frozen, other] = instruments as [RoleProcess, RoleProcess];
    const log = runLog();
    // Two slow jobs: one on each instrument.
    const consumer = roles.consumer('consumer', here, { index: 1, jobs: 2, ms: 2_500, script: 'slow-marked.cjs', log, progressEvery: 1 });
    await waitUntil(() => new Set(runs(log).map((run) => run.pid)).size === 2, 'each instrument runs one job', 15_000);
    signal(frozen, 'SIGSTOP');
    await composer.waitFor<ComposerStatsEvent>('stats', (event) => event.stats.lostInstruments === 1, 15_000);
    await consumer.waitFor('settled', () => true, 30_000);
    // Both results came from the other instrument: the frozen one's job ran again there.
    const frozenRun = runs(log).find((run) => run.pid === frozen.pid) as Run;
    expect(runs(log).filter((run) => run.a === frozenRun.a && run.pid === other.pid)).toHaveLength(1);
    signal(frozen, 'SIGCONT');
    // Its job finishes and its result arrives late: the composer drops it.
    await composer.waitFor<ComposerStatsEvent>('stats', (event) => event.stats.droppedSettlements >= 1, 15_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, 2);
    expect(report.byPid).toEqual({ [String(other.pid)]: 2 });
    // One result per job reached the consumer's mailbox.
    expect(report).toMatchObject({ delivered: 2, duplicates: 0 });
    await frozen.stop();
    await other.stop();
    await composer.stop();
  }, 60_000);

  it('fails a job with InstrumentLostError once its runs were lost more often than maxLostRuns', async () => {
    const ns = uniqueNamespace('lost-runs');
    const roles = new RedisRoles(processes, redis.server().url, ns);
    const composer = roles.composer({}, ['--instrument-lease-ms', '1000', '--max-lost-runs', '1']);
    await composer.waitFor('ready');
    const log = runLog();
    const network = new RedisNetwork(redis.server().url, { namespace: ns, logger: quietLogger });
    const consumer = new Consumer(network, new Workspace(workspaceDir), { logger: quietLogger });
    try {
      const { result } = await consumer.addJob('slow-marked.cjs', { a: 1, b: 1, ms: 60_000, log });
      // Two instruments in turn die while running it: the second loss is one too many.
      for (let loss = 1; loss <= 2; loss += 1) {
        const instrument = roles.instrument(`doomed-${loss}`, here, 1, ['--heartbeat-ms', '250']);
        await instrument.waitFor('ready');
        await waitUntil(() => runs(log).length === loss, `run ${loss} started`, 15_000);
        instrument.child.kill('SIGKILL');
        await instrument.exited;
      }
      const error = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InstrumentLostError);
      expect(runs(log).map((run) => run.attempt)).toEqual([1, 2]);
    } finally {
      await consumer.close();
      await network.close();
      await composer.stop();
    }
  }, 60_000);

  it('drains on SIGTERM: running jobs finish within the grace period, the rest are handed back', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('sigterm-instrument'));
    const { composer, instruments } = await network(roles, 2, 5_000, ['--close-grace-ms', '10000']);
    const [leaving, staying] = instruments as [RoleProcess, RoleProcess];
    const log = runLog();
    const consumer = roles.consumer('consumer', here, { index: 1, jobs: 6, ms: 1_000, script: 'slow-marked.cjs', log, progressEvery: 1 });
    await waitUntil(() => runs(log).some((run) => run.pid === leaving.pid), 'the leaving instrument runs a job', 15_000);
    const leavingReport = await leaving.stop<InstrumentReport>();
    // It finished the job it was running before it left.
    expect(leavingReport.stats.settled).toBeGreaterThanOrEqual(1);
    expect(leavingReport.stats.held).toBe(0);
    await consumer.waitFor('settled', () => true, 30_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, 6);
    expect(report.byPid[String(leaving.pid)]).toBe(leavingReport.stats.settled);
    // Nothing it ran was run twice: it finished what it started, and handed back what it had not.
    expect(runs(log)).toHaveLength(6);
    await staying.stop();
    await composer.stop();
  }, 60_000);

  it('hands back, to run elsewhere, what is still running when the close grace period ends', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('grace-instrument'));
    const { composer, instruments } = await network(roles, 2, 5_000, ['--close-grace-ms', '200']);
    const [leaving, staying] = instruments as [RoleProcess, RoleProcess];
    const log = runLog();
    const consumer = roles.consumer('consumer', here, { index: 1, jobs: 2, ms: 3_000, script: 'slow-marked.cjs', log, progressEvery: 1 });
    await waitUntil(() => new Set(runs(log).map((run) => run.pid)).size === 2, 'each instrument runs one job', 15_000);
    const leavingReport = await leaving.stop<InstrumentReport>();
    expect(leavingReport.stats.settled).toBe(0);
    await consumer.waitFor('settled', () => true, 30_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, 2);
    expect(report.byPid).toEqual({ [String(staying.pid)]: 2 });
    await staying.stop();
    await composer.stop();
  }, 60_000);

  it('lets a standby take over within seconds when the acting composer is SIGKILLed mid-run, losing no job', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('sigkill-composer'));
    const first = roles.composer({}, ['--lease-ms', '1500', '--instrument-lease-ms', '3000'], 'composer-1');
    await first.waitFor('ready');
    const standby = roles.composer({}, ['--lease-ms', '1500', '--instrument-lease-ms', '3000'], 'composer-2');
    await standby.waitFor('started');
    const instruments = [1, 2].map((i) => roles.instrument(`instrument-${i}`, here, 1, ['--heartbeat-ms', '250']));
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
    await first.waitFor<InstrumentsEvent>('instruments', (event) => event.count === 2);
    const jobs = 3_000;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 1, progressEvery: 500 });
    await consumer.waitFor('progress', () => true, 30_000);
    signal(first, 'SIGKILL');
    const killedAt = Date.now();
    await standby.waitFor('ready', () => true, 15_000);
    const takeoverMs = Date.now() - killedAt;
    // Within the lease (1.5 s) and a renewal period, with room for a slow machine.
    expect(takeoverMs).toBeLessThan(8_000);
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, jobs);
    const standbyReport = await standby.stop<ComposerReport>();
    expect(standbyReport.stats.epoch).toBeGreaterThan(1);
    await Promise.all(instruments.map((instrument) => instrument.stop()));
  }, 120_000);

  it('makes a composer paused past its lease step down when it wakes, while the standby carries on', async () => {
    const roles = new RedisRoles(processes, redis.server().url, uniqueNamespace('sigstop-composer'));
    const first = roles.composer({}, ['--lease-ms', '1500'], 'composer-1');
    await first.waitFor('ready');
    const standby = roles.composer({}, ['--lease-ms', '1500'], 'composer-2');
    await standby.waitFor('started');
    const instruments = [1, 2].map((i) => roles.instrument(`instrument-${i}`, here, 1, ['--heartbeat-ms', '250']));
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
    await first.waitFor<InstrumentsEvent>('instruments', (event) => event.count === 2);
    const jobs = 2_000;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 1, progressEvery: 250 });
    await consumer.waitFor('progress', () => true, 30_000);
    signal(first, 'SIGSTOP');
    await standby.waitFor('ready', () => true, 15_000);
    signal(first, 'SIGCONT');
    const steppedDown = await first.waitFor<ComposerStatsEvent>('stats', (event) => !event.stats.acting, 15_000);
    expect(steppedDown.stats.acting).toBe(false);
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expectAllRight(report, jobs);
    const firstReport = await first.stop<ComposerReport>();
    expect(firstReport.stats.acting).toBe(false);
    await standby.stop();
    await Promise.all(instruments.map((instrument) => instrument.stop()));
  }, 120_000);
});
