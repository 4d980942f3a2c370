// The parent side of the bench's IPC: child processes that answer requests, and their clean-up.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

const live = new Set();
// Whatever happens to the bench, no child outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Resolves like `promise`, but rejects as soon as any of `children` dies unasked. */
export function unlessOneDies(children, promise) {
  return Promise.race([promise, ...children.map((child) => child.failure)]);
}

/**
 * A bench process started from `src/processes/<script>`, talking over IPC (see serve.js): the
 * `role` of set-up `setup`. With BENCH_CPU_PROF=<dir> each child writes a V8 CPU profile to
 * <dir>/<setup>-<role>/ when it closes.
 */
export class Child {
  #proc;
  #nextId = 1;
  #replies = new Map();
  #ready;
  #exited;
  #stopping = false;
  /** Rejects if the process exits before the bench asked it to stop; never resolves. */
  failure;

  constructor(setup, role, script, args = []) {
    this.role = role;
    this.label = `${setup} ${role}`;
    const label = this.label;
    const execArgv = [];
    const profDir = process.env.BENCH_CPU_PROF;
    if (profDir) {
      const dir = join(profDir, label.replace(/[^\w.-]+/g, '-'));
      mkdirSync(dir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    this.#proc = fork(new URL(`processes/${script}`, import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    live.add(this.#proc);
    let readyResolve;
    let readyReject;
    this.#ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.#ready.catch(() => undefined);
    let failureReject;
    this.failure = new Promise((_resolve, reject) => {
      failureReject = reject;
    });
    this.failure.catch(() => undefined);
    this.#exited = new Promise((resolve) => {
      this.#proc.once('exit', (code, signal) => {
        live.delete(this.#proc);
        const error = new Error(`${label} exited (code ${code}, signal ${signal})`);
        if (!this.#stopping) failureReject(error);
        readyReject(error);
        for (const { reject } of this.#replies.values()) reject(error);
        this.#replies.clear();
        resolve();
      });
    });
    this.#proc.on('message', (message) => {
      if (message.type === 'ready') readyResolve(message);
      else if (message.type === 'failed') readyReject(new Error(message.error));
      else if (message.type === 'reply') {
        const waiter = this.#replies.get(message.id);
        this.#replies.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
      }
    });
  }

  /** Resolves with the child's ready message; rejects if it fails or exits first, or after `timeoutMs`. */
  ready(timeoutMs = 30_000) {
    return bounded(this.#ready, timeoutMs, `${this.label} to start`);
  }

  /** Sends a request and resolves with the child's answer (bounded by `timeoutMs`). */
  request(type, args = {}, timeoutMs = 120_000) {
    if (!this.#proc.connected) return Promise.reject(new Error(`${this.label} is gone; cannot ask it to ${type}`));
    const id = this.#nextId++;
    const reply = new Promise((resolve, reject) => {
      this.#replies.set(id, { resolve, reject });
      // With a callback, a send that fails (the child just died) rejects here instead of throwing later.
      this.#proc.send({ id, type, ...args }, (error) => {
        if (error) reject(error);
      });
    });
    return bounded(reply, timeoutMs, `${this.label} to answer ${type}`);
  }

  /** Asks the child to close and waits for it to exit; kills it when that takes over `timeoutMs`. */
  async stop(timeoutMs = 15_000) {
    this.#stopping = true;
    if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) return;
    try {
      if (this.#proc.connected) await this.request('close', {}, timeoutMs);
      await bounded(this.#exited, timeoutMs, `${this.label} to exit`);
    } catch (error) {
      console.error(`  ${this.label} did not close cleanly (${error.message}); killing it`);
      this.#proc.kill('SIGKILL');
      await this.#exited;
    }
  }
}

/** Stops the children one after another, in the order given. */
export async function stopAll(children) {
  for (const child of children) await child.stop();
}

function bounded(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
