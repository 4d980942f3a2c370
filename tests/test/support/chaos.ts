import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@orchestra/network-conformance';
import { startRedisServer } from '@orchestra/redis-server';
import { RedisRoles, uniqueNamespace, type ComposerStatsEvent } from './redis-roles.js';
import { RoleProcesses, workspaceDir, type RoleEvent, type RoleProcess } from './role-process.js';

/** How big a chaos run is. */
export interface ChaosOptions {
  /** Jobs to add (the full run: 20 000; CI's short run: fewer). */
  readonly jobs: number;
  /** Over how many seconds the jobs are added; the faults land at fractions of that. */
  readonly seconds: number;
  /** Where progress lines go (default: nowhere). */
  readonly print?: (line: string) => void;
}

/** What a chaos run found. `lost`, `duplicateResults` and `wrong` must be 0. */
export interface ChaosSummary {
  readonly jobs: number;
  readonly settled: number;
  /** Jobs accepted whose result never came. */
  readonly lost: number;
  /** Jobs whose result reached the application more than once. */
  readonly duplicateResults: number;
  /** Results that were not what the job computes. */
  readonly wrong: number;
  /** Jobs that failed (none should: no job fails on its own here). */
  readonly failed: number;
  readonly errors: Readonly<Record<string, number>>;
  /** Jobs that ran more than once: allowed by at-least-once, reported. */
  readonly ranMoreThanOnce: number;
  /** Runs in all (jobs + re-runs). */
  readonly runs: number;
  /** Settlements of already-settled jobs that reached the consumer and were dropped there. */
  readonly duplicateDeliveries: number;
  /** addJob calls the network refused (Redis down) and the app made again: never accepted, never lost. */
  readonly addRetries: number;
  /** The faults, in order, with when they happened (ms from the start). */
  readonly faults: readonly string[];
  /** From the acting composer's SIGKILL until the standby acted, in ms. */
  readonly takeoverMs: number;
  readonly elapsedMs: number;
}

interface Progress extends RoleEvent {
  readonly added: number;
  readonly settled: number;
}
interface ChaosReport extends RoleEvent {
  readonly jobs: number;
  readonly added: number;
  readonly settled: number;
  readonly wrong: number;
  readonly failed: number;
  readonly errors: Record<string, number>;
  readonly duplicateResults: number;
  readonly duplicateDeliveries: number;
  readonly addRetries: number;
}

const machine = { workspace: workspaceDir };
const COMPOSER_ARGS = ['--lease-ms', '2000', '--instrument-lease-ms', '3000'];
const INSTRUMENT_ARGS = ['--heartbeat-ms', '500'];

function latestProgress(consumer: RoleProcess): Progress {
  for (let i = consumer.events.length - 1; i >= 0; i -= 1) {
    const event = consumer.events[i] as RoleEvent;
    if (event.event === 'progress' || event.event === 'settled') return event as Progress;
  }
  return { event: 'progress', added: 0, settled: 0 };
}

function isActing(composer: RoleProcess): boolean {
  const stats = composer.events.filter((event) => event.event === 'stats') as ComposerStatsEvent[];
  return composer.running && stats.at(-1)?.stats.acting === true;
}

/** Counts runs per job id in the run log every instrument writes to. */
function countRuns(log: string): { runs: number; ranMoreThanOnce: number } {
  if (!existsSync(log)) return { runs: 0, ranMoreThanOnce: 0 };
  const counts = new Map<string, number>();
  let runs = 0;
  for (const id of readFileSync(log, 'utf8').split('\n')) {
    if (id === '') continue;
    runs += 1;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let ranMoreThanOnce = 0;
  for (const times of counts.values()) if (times > 1) ranMoreThanOnce += 1;
  return { runs, ranMoreThanOnce };
}

/**
 * Runs many jobs through a private Redis (AOF on) while instruments are SIGKILLed and replaced,
 * the acting composer is SIGKILLed with a standby ready, and Redis itself is SIGKILLed and
 * restarted; then counts what settled, what was lost, duplicated or wrong. Every role is a
 * process of its own.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const print = options.print ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'orchestra-chaos-'));
  const log = join(scratch, 'runs.log');
  const server = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
  const processes = new RoleProcesses();
  const started = Date.now();
  const faults: string[] = [];
  const fault = (what: string): void => {
    const line = `${String(Date.now() - started).padStart(6)} ms  ${what}`;
    faults.push(line);
    print(line);
  };
  try {
    const roles = new RedisRoles(processes, server.url, uniqueNamespace('chaos'));
    const composers = [roles.composer({}, COMPOSER_ARGS, 'composer-1')];
    await (composers[0] as RoleProcess).waitFor('ready');
    composers.push(roles.composer({}, COMPOSER_ARGS, 'composer-2'));
    let instrumentCount = 0;
    const startInstrument = (): RoleProcess => roles.instrument(`instrument-${(instrumentCount += 1)}`, machine, 1, INSTRUMENT_ARGS);
    const instruments = [startInstrument(), startInstrument(), startInstrument()];
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));

    const consumer = roles.chaosConsumer(machine, options.jobs, options.seconds, log);
    await consumer.waitFor('ready');
    const untilAdded = (fraction: number): Promise<void> =>
      waitUntil(() => latestProgress(consumer).added >= options.jobs * fraction, `${fraction * 100}% of the jobs were added`, options.seconds * 4_000 + 30_000);

    const replaceInstrument = (index: number): void => {
      const doomed = instruments[index] as RoleProcess;
      doomed.child.kill('SIGKILL');
      instruments[index] = startInstrument();
      fault(`SIGKILL ${doomed.name} (pid ${doomed.pid}) mid-run; started ${(instruments[index]).name} in its place`);
    };

    await untilAdded(0.15);
    replaceInstrument(0);

    await untilAdded(0.35);
    const acting = composers.find(isActing) as RoleProcess;
    const standby = composers.find((composer) => composer !== acting && composer.running) as RoleProcess;
    acting.child.kill('SIGKILL');
    const killedAt = Date.now();
    fault(`SIGKILL the acting ${acting.name} (pid ${acting.pid}); ${standby.name} stands by`);
    await standby.waitFor('ready', () => true, 30_000);
    const takeoverMs = Date.now() - killedAt;
    fault(`${standby.name} took over after ${takeoverMs} ms; started composer-3 as the new standby`);
    composers.push(roles.composer({}, COMPOSER_ARGS, 'composer-3'));

    await untilAdded(0.55);
    fault('SIGKILL redis-server (AOF on) and start it again');
    await server.restart();
    fault('redis-server is back');

    await untilAdded(0.75);
    replaceInstrument(1);

    const timeoutMs = options.seconds * 4_000 + 60_000;
    const settled = await consumer.waitFor<ChaosReport>('settled', () => true, timeoutMs).catch(() => undefined);
    const report = settled ?? (await consumer.stop<ChaosReport>());
    const { runs, ranMoreThanOnce } = countRuns(log);
    return {
      jobs: options.jobs,
      settled: report.settled,
      lost: report.added - report.settled,
      duplicateResults: report.duplicateResults,
      wrong: report.wrong,
      failed: report.failed,
      errors: report.errors,
      ranMoreThanOnce,
      runs,
      duplicateDeliveries: report.duplicateDeliveries,
      addRetries: report.addRetries,
      faults,
      takeoverMs,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await processes.killAll();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
