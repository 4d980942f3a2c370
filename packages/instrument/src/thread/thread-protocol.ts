import type { MessagePort } from 'node:worker_threads';
import type { SchemaTable } from '@orchestra/core';
import type { SerializedError } from '@orchestra/core/runtime';

/** Given to every thread of an instrument's pool as `workerData`. */
export interface ThreadConfig {
  /** The workspace's schemas, to check results in the thread. */
  readonly schemas: SchemaTable | null;
  /** Largest result, encoded, in bytes. */
  readonly maxResultBytes: number;
}

/** One job as handed to a thread. */
export interface ThreadJob {
  readonly id: string;
  readonly attempt: number;
  /** The script name (normalised), for schema look-ups and messages. */
  readonly script: string;
  /** The script's real path, checked to be inside the workspace. */
  readonly file: string;
  /** Params as JSON text; absent for `undefined`. */
  readonly params?: string;
  /** Longest the run may take, in ms: the thread reports when it starts, so the instrument can time it. */
  readonly timeout?: number;
}

/** One Piscina task: several jobs, run one after another in the thread. */
export interface BatchTask {
  readonly jobs: readonly ThreadJob[];
}

/**
 * How one run ended in the thread, in the shape of the protocol's settlement, so the instrument
 * sends it on as it is.
 */
export type ThreadSettlement =
  | { readonly id: string; readonly attempt: number; readonly ok: true; readonly result?: string }
  | { readonly id: string; readonly attempt: number; readonly ok: false; readonly error: SerializedError };

/** What a task returns: one settlement per job, the time the thread spent on them, and which thread it was. */
export interface BatchOutcome {
  readonly settlements: ThreadSettlement[];
  readonly elapsedMs: number;
  /** The thread that ran the batch: its events are read before the outcome is used. */
  readonly threadId: number;
}

/**
 * The one message a thread posts on its `parentPort`, when its entry has loaded: its end of the
 * channel every other message travels on.
 */
export interface ThreadPortHandover {
  readonly '~orchestra': 'port';
  readonly threadId: number;
  readonly port: MessagePort;
}

/** Messages a thread posts to the instrument on its channel, in the order they happen. */
export type ThreadEvent =
  | { readonly '~orchestra': 'progress'; readonly id: string; readonly attempt: number; readonly value: string }
  | { readonly '~orchestra': 'started'; readonly id: string; readonly attempt: number }
  | { readonly '~orchestra': 'finished' };

/**
 * Messages the instrument posts to each of its threads on their channels: it holds the channel
 * now (the thread runs no batch before); run the `finish()` hooks; or stop these runs, settling
 * each with `error` (the thread running one fires its abort signal with that error, and a thread
 * that has it further down its batch skips it).
 */
export type ControlMessage =
  | { readonly type: 'connected' }
  | { readonly type: 'finish' }
  | { readonly type: 'abort'; readonly jobs: readonly { readonly id: string; readonly attempt: number }[]; readonly error: SerializedError };
