import { InvalidArgumentError } from '@orchestra/core';

/** What `workerProcess` gets beside its item (the document's `resume`). */
export interface Resume {
  /** Unique per thread and stable for its life: name per-thread output files with it. */
  readonly id: string;
  /** The job id of this item's run. */
  readonly jobId: string;
  /** 1 for the first run, 2 for the first retry… */
  readonly attempt: number;
  /** Aborted when the item is past its `timeout` or cancelled. */
  readonly signal: AbortSignal;
  /** Reports a progress value for this item. */
  progress(value: unknown): void;
}

/** Processes one item: the document's `workerProcess` (or `worker`). */
export type WorkerProcess<Item, Result> = (item: Item, resume: Resume) => Result | Promise<Result>;

/**
 * The document's spec: one object of functions. `manager` lists the work; the `worker…` functions run
 * on every thread. Items and results travel as JSON.
 */
export interface FactorySpec<Item, Result> {
  /** Runs once at `start()`, in the main thread; resolves the array of items to process. */
  readonly manager: () => readonly Item[] | Promise<readonly Item[]>;
  /** Runs once after every item settled (and the threads finished), before `finished`. */
  readonly managerFinish?: () => unknown;
  /** Runs once per thread before its first item (open a connection, say). */
  readonly workerStartup?: () => unknown;
  /** Runs for every item. */
  readonly workerProcess?: WorkerProcess<Item, Result>;
  /** Another name for `workerProcess`, as the document's example uses. */
  readonly worker?: WorkerProcess<Item, Result>;
  /** Runs once per thread after its last item. */
  readonly workerFinish?: () => unknown;
}

function optionalFunction(spec: Record<string, unknown>, name: string): void {
  if (spec[name] !== undefined && typeof spec[name] !== 'function') {
    throw new InvalidArgumentError(`ThreadFactory: ${name} must be a function, got ${typeof spec[name]}`);
  }
}

/** Checks a spec and returns its worker function; throws `InvalidArgumentError` naming what is wrong. */
export function checkSpec<Item, Result>(spec: FactorySpec<Item, Result>): WorkerProcess<Item, Result> {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('ThreadFactory takes a spec: { manager, workerProcess, … }');
  const loose = spec as unknown as Record<string, unknown>;
  if (typeof loose['manager'] !== 'function') {
    throw new InvalidArgumentError('ThreadFactory: manager must be a function that resolves the array of items');
  }
  for (const name of ['managerFinish', 'workerStartup', 'workerProcess', 'worker', 'workerFinish']) optionalFunction(loose, name);
  if (spec.workerProcess !== undefined && spec.worker !== undefined && spec.workerProcess !== spec.worker) {
    throw new InvalidArgumentError('ThreadFactory: give workerProcess or worker, not both');
  }
  const process = spec.workerProcess ?? spec.worker;
  if (process === undefined) throw new InvalidArgumentError('ThreadFactory: workerProcess (or worker) must be a function');
  return process;
}
