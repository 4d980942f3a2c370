import type { SchemaTable } from '@orchestra/core';
import type { SerializedError } from '@orchestra/core/runtime';

/** Given to every thread of an instrument's pool as `workerData`. */
export interface ThreadConfig {
  /** The workspace's schemas, to check results in the thread. */
  readonly schemas: SchemaTable | null;
  /** Largest result, encoded, in bytes. */
  readonly maxResultBytes: number;
  /** Name of the BroadcastChannel on which the instrument sends {@link ControlMessage}s. */
  readonly controlChannel: string;
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

/** How one job ended in the thread; `progress`: how many progress values it posted, when any. */
export type ThreadSettlement = (
  | { readonly id: string; readonly ok: true; readonly result?: string }
  | { readonly id: string; readonly ok: false; readonly error: SerializedError }
) & { progress?: number };

/** What a task returns: one settlement per job, and the time the thread spent on them. */
export interface BatchOutcome {
  readonly settlements: ThreadSettlement[];
  readonly elapsedMs: number;
}

/** Messages a thread posts to the instrument (through Piscina's `message` event). */
export type ThreadEvent =
  | { readonly '~orchestra': 'progress'; readonly id: string; readonly attempt: number; readonly value: string }
  | { readonly '~orchestra': 'started'; readonly id: string; readonly attempt: number }
  | { readonly '~orchestra': 'ready'; readonly threadId: number }
  | { readonly '~orchestra': 'finished'; readonly threadId: number };

/**
 * Messages the instrument broadcasts to its threads: run the `finish()` hooks; or stop these jobs,
 * settling each with `error` (the thread running one fires its abort signal with that error, and a
 * thread that has it further down its batch skips it).
 */
export type ControlMessage =
  | { readonly type: 'finish' }
  | { readonly type: 'abort'; readonly jobs: readonly { readonly id: string; readonly attempt: number }[]; readonly error: SerializedError };
