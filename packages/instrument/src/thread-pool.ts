import { MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { type AnyWorkspace, type Logger } from '@orchestra/core';
import { Piscina } from 'piscina';
import type { SerializedError } from '@orchestra/core/internal';
import type { ThreadResourceLimits } from './resource-limits.js';
import type { BatchOutcome, BatchTask, ControlMessage, ThreadConfig, ThreadEvent, ThreadPortHandover } from './thread/thread-protocol.js';

// Worker threads always load built JavaScript: beside this file when it is built (installed, or bundled
// into `@orchestra/orchestra`), and from dist/ when the monorepo's tests run the source.
const entry = new URL(import.meta.url.endsWith('.ts') ? '../dist/thread/entry.js' : './thread/entry.js', import.meta.url).href;

const FINISH_TIMEOUT_MS = 10_000;

/** Called with each progress value a running job reports. */
export type ProgressListener = (id: string, attempt: number, value: string) => void;
/** Called when a job with a timeout starts running on a thread. */
export type StartListener = (id: string, attempt: number) => void;

function isHandover(message: unknown): message is ThreadPortHandover {
  if (typeof message !== 'object' || message === null) return false;
  const { '~orchestra': kind, threadId, port } = message as Partial<ThreadPortHandover>;
  return kind === 'port' && typeof threadId === 'number' && port instanceof MessagePort;
}

/**
 * An instrument's Piscina pool, and one channel (a `MessagePort`) to each of its threads.
 *
 * Piscina runs the batches and ends a thread whose batch is aborted (the one way to stop a script
 * that never yields). Everything else goes on the thread's channel, in order. A thread posts its
 * progress there before it returns its batch, so when a batch's outcome arrives the channel of the
 * thread that ran it is read dry first (`receiveMessageOnPort`): progress always comes before the
 * result, with no count to match and no timer.
 */
export class ThreadPool {
  readonly threads: number;
  readonly #pool: Piscina<BatchTask, BatchOutcome>;
  /** The channel of each thread whose entry loaded, by thread id. */
  readonly #channels = new Map<number, MessagePort>();
  readonly #onProgress: ProgressListener;
  readonly #onStarted: StartListener;
  #awaitingFinish = new Set<number>();
  #onFinished: (() => void) | undefined;
  #onReady: (() => void) | undefined;

  constructor(
    threads: number,
    workspace: AnyWorkspace,
    maxResultBytes: number,
    resourceLimits: ThreadResourceLimits,
    logger: Logger,
    onProgress: ProgressListener,
    onStarted: StartListener,
  ) {
    this.threads = threads;
    this.#onProgress = onProgress;
    this.#onStarted = onStarted;
    const workerData: ThreadConfig = { schemas: workspace.schemas ?? null, maxResultBytes };
    this.#pool = new Piscina<BatchTask, BatchOutcome>({
      filename: entry,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
      // 'async' keeps each idle thread's event loop running, so timers a job left behind still fire
      // and control messages (finish, abort) reach idle threads too.
      atomics: 'async',
      workerData,
      // vm modules let an ES-module imperative script run once per job without growing memory.
      execArgv: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
      // The program's own arguments, so a script that reads process.argv at load time (a ThreadFactory
      // file, loaded by every thread) sees what the main thread saw.
      argv: process.argv.slice(2),
      // Node ends a thread that passes them with ERR_WORKER_OUT_OF_MEMORY, and Piscina replaces it.
      resourceLimits,
    });
    this.#pool.on('error', (error: unknown) => logger.error('a worker thread failed outside any job', { error }));
    // A script may post on parentPort too: only the thread entry's handover counts.
    this.#pool.on('message', (message: unknown) => {
      if (isHandover(message)) this.#adopt(message.threadId, message.port);
    });
  }

  #adopt(threadId: number, channel: MessagePort): void {
    this.#channels.set(threadId, channel);
    channel.on('message', (event: ThreadEvent) => this.#onEvent(threadId, event));
    // A thread that died answers no more: it counts as finished.
    channel.on('close', () => {
      this.#channels.delete(threadId);
      this.#finishedOn(threadId);
    });
    // The channels must not keep the process alive; the instrument's own lifetime decides.
    channel.unref();
    const connected: ControlMessage = { type: 'connected' };
    channel.postMessage(connected);
    this.#onReady?.();
  }

  #onEvent(threadId: number, event: ThreadEvent): void {
    switch (event['~orchestra']) {
      case 'progress':
        return this.#onProgress(event.id, event.attempt, event.value);
      case 'started':
        return this.#onStarted(event.id, event.attempt);
      case 'finished':
        return this.#finishedOn(threadId);
    }
  }

  /** Handles now whatever the thread posted on its channel that has not been handled yet. */
  #readDry(threadId: number, channel: MessagePort): void {
    for (let entry = receiveMessageOnPort(channel); entry !== undefined; entry = receiveMessageOnPort(channel)) {
      this.#onEvent(threadId, entry.message as ThreadEvent);
    }
  }

  /**
   * Runs a batch on the next free thread and calls `done` with its outcome, after every event its
   * thread posted before returning it. `crashed` is called instead when the thread itself died, or
   * when `signal` fired: then the batch is dropped if it had not started, or its thread is ended.
   */
  run(task: BatchTask, signal: AbortSignal, done: (outcome: BatchOutcome) => void, crashed: (error: unknown) => void): void {
    this.#pool.run(task, { signal }).then(
      (outcome) => {
        const channel = this.#channels.get(outcome.threadId);
        if (channel !== undefined) this.#readDry(outcome.threadId, channel);
        done(outcome);
      },
      (error: unknown) => {
        // Whatever a thread posted before it was ended still counts, and comes first.
        for (const [threadId, channel] of this.#channels) this.#readDry(threadId, channel);
        crashed(error);
      },
    );
  }

  /** Asks the threads to stop these runs: the one running each fires its abort signal with `error`. */
  abort(jobs: readonly { readonly id: string; readonly attempt: number }[], error: SerializedError): void {
    this.#tellAll({ type: 'abort', jobs, error });
  }

  #tellAll(message: ControlMessage): void {
    for (const channel of this.#channels.values()) channel.postMessage(message);
  }

  #finishedOn(threadId: number): void {
    if (this.#awaitingFinish.delete(threadId) && this.#awaitingFinish.size === 0) this.#onFinished?.();
  }

  /** True once every live thread has loaded its entry. */
  #allReady(): boolean {
    return this.#pool.threads.every((thread) => this.#channels.has(thread.threadId));
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
    this.#awaitingFinish = new Set(this.#pool.threads.map((t) => t.threadId).filter((id) => this.#channels.has(id)));
    if (this.#awaitingFinish.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const finished = new Promise<void>((resolve) => {
        this.#onFinished = resolve;
        timer = setTimeout(resolve, FINISH_TIMEOUT_MS);
      });
      this.#tellAll({ type: 'finish' });
      await finished;
      clearTimeout(timer);
    }
    for (const channel of this.#channels.values()) channel.close();
    this.#channels.clear();
    await this.#pool.destroy();
  }
}
