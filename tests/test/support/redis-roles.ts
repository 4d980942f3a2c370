import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { processesDir, type RoleEvent, type RoleProcess, type RoleProcesses } from './role-process.js';

/** A namespace no other test uses, so tests sharing one Redis never see each other's mailboxes. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A role's `ready` event: its id, its process, and where it loaded the Orchestra packages from. */
export interface ReadyEvent extends RoleEvent {
  readonly id: string;
  readonly pid: number;
  readonly workspace?: string;
  readonly packages: Readonly<Record<string, string>>;
}

/** The composer's `instruments` event: how many instruments it knows now. */
export interface InstrumentsEvent extends RoleEvent {
  readonly count: number;
}

/** The composer's `report` after it closed. */
export interface ComposerReport extends RoleEvent {
  readonly id: string;
  readonly stats: ComposerStatsSeen;
}

/** The composer counters a test looks at (see `ComposerStats`). */
export interface ComposerStatsSeen {
  readonly acting: boolean;
  readonly epoch: number;
  readonly settled: number;
  readonly invalidMessages: number;
  readonly droppedSettlements: number;
  readonly lostInstruments: number;
  readonly lostRuns: number;
  readonly leaseResumes: number;
}

/** The composer's `stats` event. */
export interface ComposerStatsEvent extends RoleEvent {
  readonly stats: ComposerStatsSeen;
}

/** An instrument's `report` after its graceful close. */
export interface InstrumentReport extends RoleEvent {
  readonly id: string;
  readonly pid: number;
  readonly stats: { readonly settled: number; readonly held: number; readonly invalidMessages: number; readonly staleMessages: number };
}

/** A consumer's `progress` event. */
export interface ConsumerProgress extends RoleEvent {
  readonly settled: number;
  /** Results so far by the process id of the instrument that ran the job. */
  readonly byPid: Readonly<Record<string, number>>;
}

/** A consumer's `settled` event and its `report` (see fixtures/processes/consumer.mjs). */
export interface ConsumerReport extends ConsumerProgress {
  readonly id: string;
  readonly index: number;
  readonly added: number;
  /** Results that were not the sum this consumer's params make. */
  readonly wrong: number;
  readonly failed: number;
  readonly firstProblem?: string;
  /** Settlements that reached the mailbox; job ids settled there more than once; ids it never added; its jobs never settled there. */
  readonly delivered: number;
  readonly duplicates: number;
  readonly foreign: number;
  readonly missing: number;
  /** Results by the consumer index their sum carries. */
  readonly bands: Readonly<Record<string, number>>;
  /** The Consumer's own counters. */
  readonly consumerStats: { readonly pending: number; readonly duplicateSettlements: number; readonly staleMessages: number };
}

/** A consumer's job run. */
export interface ConsumerJobs {
  /** Its params band: a = index × 1e6 + i. Distinct per consumer, from 1. */
  readonly index: number;
  readonly jobs: number;
  /** A script that returns `{ sum: a + b, pid }` (default add-pid.cjs). */
  readonly script?: string;
  /** How long each job holds its thread, in ms (default 0). */
  readonly ms?: number;
  readonly progressEvery?: number;
  /** A file passed to the script as `log` (slow-marked.cjs writes a line there when a run starts). */
  readonly log?: string;
}

/** Where a role runs from: the folder whose node_modules it loads, and its copy of the workspace. */
export interface Machine {
  /** The folder holding the role scripts (default: fixtures/processes in the repo). */
  readonly scripts?: string;
  readonly cwd?: string;
  readonly workspace: string;
}

/** Starts Orchestra roles as separate processes on one Redis network (a url and a namespace). */
export class RedisRoles {
  readonly #processes: RoleProcesses;
  readonly #base: readonly string[];

  constructor(processes: RoleProcesses, url: string, namespace: string) {
    this.#processes = processes;
    this.#base = ['--redis', url, '--namespace', namespace];
  }

  /** `extra`: more arguments, e.g. `['--lease-ms', '1500']` (see fixtures/processes/composer.mjs). */
  composer(from: Omit<Machine, 'workspace'> = {}, extra: readonly string[] = [], name = 'composer'): RoleProcess {
    return this.#start(name, 'composer.mjs', from, extra);
  }

  /** `extra`: more arguments, e.g. `['--close-grace-ms', '300']` (see fixtures/processes/instrument.mjs). */
  instrument(name: string, from: Machine, threads = 1, extra: readonly string[] = []): RoleProcess {
    return this.#start(name, 'instrument.mjs', from, ['--workspace', from.workspace, '--threads', String(threads), ...extra]);
  }

  consumer(name: string, from: Machine, run: ConsumerJobs): RoleProcess {
    return this.#start(name, 'consumer.mjs', from, [
      '--workspace',
      from.workspace,
      '--index',
      String(run.index),
      '--jobs',
      String(run.jobs),
      '--script',
      run.script ?? 'add-pid.cjs',
      '--ms',
      String(run.ms ?? 0),
      '--progress-every',
      String(run.progressEvery ?? 100),
      ...(run.log === undefined ? [] : ['--log', run.log]),
    ]);
  }

  /** The chaos test's app server (fixtures/processes/chaos-consumer.mjs). */
  chaosConsumer(from: Machine, jobs: number, seconds: number, log: string): RoleProcess {
    return this.#start('chaos-consumer', 'chaos-consumer.mjs', from, [
      '--workspace',
      from.workspace,
      '--jobs',
      String(jobs),
      '--seconds',
      String(seconds),
      '--log',
      log,
    ]);
  }

  /** A consumer that dies and comes back with the same id (fixtures/processes/consumer-restart.mjs). */
  restartingConsumer(name: string, from: Machine, args: readonly string[]): RoleProcess {
    return this.#start(name, 'consumer-restart.mjs', from, ['--workspace', from.workspace, ...args]);
  }

  #start(name: string, script: string, from: Omit<Machine, 'workspace'>, args: readonly string[]): RoleProcess {
    return this.#processes.start({
      name,
      script: join(from.scripts ?? processesDir, script),
      args: [...this.#base, ...args],
      ...(from.cwd === undefined ? {} : { cwd: from.cwd }),
    });
  }
}
