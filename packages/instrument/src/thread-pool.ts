import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { type AnyWorkspace, type Logger } from '@orchestra/core';
import { Piscina } from 'piscina';
import type { SerializedError } from '@orchestra/core/internal';
import type { BatchOutcome, BatchTask, ControlMessage, ThreadConfig, ThreadEvent } from './thread/thread-protocol.js';

// Worker threads always load built JavaScript: beside this file when it is built (installed, or bundled
// into `@orchestra/orchestra`), and from dist/ when the monorepo's tests run the source.
const entry = new URL(import.meta.url.endsWith('.ts') ? '../dist/thread/entry.js' : './thread/entry.js', import.meta.url).href;

const FINISH_TIMEOUT_MS = 10_000;

/** Called with each progress value a running job reports. */
export type ProgressListener = (id: string, attempt: number, value: string) => void;
/** Called when a job with a timeout starts running on a thread. */
export type StartListener = (id: string, attempt: number) => void;

/** An instrument's Piscina pool, plus the channel that asks its threads to run `finish()` hooks. */
export class ThreadPool {
  readonly threads: number;
  readonly #pool: Piscina<BatchTask, BatchOutcome>;
  readonly #control: BroadcastChannel;
  /** Threads whose entry loaded, so they listen for `finish`. */
  readonly #listening = new Set<number>();
  #awaitingFinish = new Set<number>();
  #onFinished: (() => void) | undefined;
  #onReady: (() => void) | undefined;

  constructor(
    threads: number,
    workspace: AnyWorkspace,
    maxResultBytes: number,
    logger: Logger,
    onProgress: ProgressListener,
    onStarted: StartListener,
  ) {
    this.threads = threads;
    const controlChannel = `orchestra.instrument.${randomUUID()}`;
    this.#control = new BroadcastChannel(controlChannel);
    this.#control.unref();
    const workerData: ThreadConfig = { schemas: workspace.schemas ?? null, maxResultBytes, controlChannel };
    this.#pool = new Piscina<BatchTask, BatchOutcome>({
      filename: entry,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
      // 'async' keeps each idle thread's event loop running, so timers a job left behind still fire
      // and control messages (finish, later cancel) reach threads that are waiting for work.
      atomics: 'async',
      workerData,
      // vm modules let an ES-module imperative script run once per job without growing memory.
      execArgv: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
      // The program's own arguments, so a script that reads process.argv at load time (a ThreadFactory
      // file, loaded by every thread) sees what the main thread saw.
      argv: process.argv.slice(2),
    });
    this.#pool.on('error', (error: unknown) => logger.error('a worker thread failed outside any job', { error }));
    this.#pool.on('message', (event: ThreadEvent) => {
      switch (event['~orchestra']) {
        case 'progress':
          return onProgress(event.id, event.attempt, event.value);
        case 'started':
          return onStarted(event.id, event.attempt);
        case 'ready':
          this.#listening.add(event.threadId);
          this.#onReady?.();
          return;
        case 'finished':
          return this.#finishedOn(event.threadId);
      }
    });
  }

  /**
   * Runs a batch on the next free thread. Rejects only when the thread itself died, or when
   * `signal` fired: then the batch is dropped if it had not started, or its thread is ended.
   */
  run(task: BatchTask, signal?: AbortSignal): Promise<BatchOutcome> {
    return signal === undefined ? this.#pool.run(task) : this.#pool.run(task, { signal });
  }

  /** Asks the threads to stop these runs: the one running each fires its abort signal with `error`. */
  abort(jobs: readonly { readonly id: string; readonly attempt: number }[], error: SerializedError): void {
    const message: ControlMessage = { type: 'abort', jobs, error };
    this.#control.postMessage(message);
  }

  #finishedOn(threadId: number): void {
    if (this.#awaitingFinish.delete(threadId) && this.#awaitingFinish.size === 0) this.#onFinished?.();
  }

  /** True once every live thread has loaded its entry. */
  #allReady(): boolean {
    return this.#pool.threads.every((thread) => this.#listening.has(thread.threadId));
  }

  /**
   * Asks every thread to run its `finish()` hooks (bounded in time), then ends the threads. Threads
   * still loading their entry are waited for first (bounded too): Node 20 aborts the whole process
   * when a worker is terminated in the middle of `require()`-ing an ES module.
   */
  async destroy(): Promise<void> {
    if (!this.#allReady()) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#onReady = () => {
          if (this.#allReady()) resolve();
        };
        timer = setTimeout(resolve, FINISH_TIMEOUT_MS);
      });
      clearTimeout(timer);
      this.#onReady = undefined;
    }
    // Only live threads can answer: a crashed thread's id no longer appears in the pool.
    this.#awaitingFinish = new Set(this.#pool.threads.map((t) => t.threadId).filter((id) => this.#listening.has(id)));
    if (this.#awaitingFinish.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const finished = new Promise<void>((resolve) => {
        this.#onFinished = resolve;
        timer = setTimeout(resolve, FINISH_TIMEOUT_MS);
      });
      const message: ControlMessage = { type: 'finish' };
      this.#control.postMessage(message);
      await finished;
      clearTimeout(timer);
    }
    this.#control.close();
    await this.#pool.destroy();
  }
}
