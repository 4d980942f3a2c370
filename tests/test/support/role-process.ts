import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The role process scripts (composer, instrument, consumer), run from the repo. */
export const processesDir = fileURLToPath(new URL('../../fixtures/processes', import.meta.url));

/** The fixture workspace of job scripts (the same folder as support/orchestra.ts's, without loading the roles here). */
export const workspaceDir = fileURLToPath(new URL('../../fixtures/workspace', import.meta.url));

/** One line a role process wrote to stdout: a JSON object with an `event` name. */
export interface RoleEvent {
  readonly event: string;
}

interface Waiter {
  readonly matches: (event: RoleEvent) => boolean;
  readonly resolve: (event: RoleEvent) => void;
}

/** How a role process is started. */
export interface RoleSpec {
  /** A name for messages: `composer`, `instrument-2`, … */
  readonly name: string;
  /** The script, absolute or relative to `cwd`. */
  readonly script: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

/**
 * A role (composer, instrument or consumer) running as a Node process of its own, which reports
 * through JSON event lines on stdout (see fixtures/processes/events.mjs). Waits are bounded and
 * fail with the process's recent events and stderr, so a stuck role says where it stuck.
 */
export class RoleProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly events: RoleEvent[] = [];
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  #stderr = '';
  readonly #waiters = new Set<Waiter>();
  #exit: string | undefined;

  constructor(spec: RoleSpec) {
    this.name = spec.name;
    this.child = spawn(process.execPath, [spec.script, ...spec.args], {
      cwd: spec.cwd,
      // stdin stays open while this process lives: the role exits when it ends (events.mjs).
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      // Keep the tail only: enough to explain a failure.
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    if (this.child.stdout !== null) {
      createInterface({ input: this.child.stdout }).on('line', (line) => this.#onLine(line));
    }
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it comes after stdout has ended, so every event line has been read.
      this.child.once('close', (code, signal) => {
        this.#exit = `exited (code ${String(code)}, signal ${String(signal)})`;
        resolve();
      });
    });
  }

  /** The process id, for telling which instrument ran a job. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  #onLine(line: string): void {
    if (!line.startsWith('{')) return;
    let event: RoleEvent;
    try {
      event = JSON.parse(line) as RoleEvent;
    } catch {
      return;
    }
    if (typeof event.event !== 'string') return;
    this.events.push(event);
    for (const waiter of this.#waiters) {
      if (waiter.matches(event)) {
        this.#waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  /**
   * Resolves with the first event (already seen or still to come) named `name` that `matches`;
   * rejects when the process exits first, when it reports an `error`, or after `timeoutMs`.
   */
  waitFor<T extends RoleEvent>(name: string, matches: (event: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
    const test = (event: RoleEvent): boolean => event.event === name && matches(event as T);
    const seen = this.events.find(test);
    if (seen !== undefined) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        matches: (event) => test(event) || event.event === 'error',
        resolve: (event) => {
          clearTimeout(timer);
          if (event.event === 'error') reject(this.#failure(`reported an error while waiting for ${name}`));
          else resolve(event as T);
        },
      };
      this.#waiters.add(waiter);
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(this.#failure(`sent no matching ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      void this.exited.then(() => {
        if (!this.#waiters.delete(waiter)) return;
        clearTimeout(timer);
        reject(this.#failure(`exited before a matching ${name} event`));
      });
    });
  }

  /** Asks the role to close gracefully (SIGTERM) and resolves with its `report` once it has exited. */
  async stop<T extends RoleEvent>(timeoutMs = 30_000): Promise<T> {
    const report = this.waitFor<T>('report', () => true, timeoutMs);
    this.child.kill('SIGTERM');
    const result = await report;
    await this.exited;
    return result;
  }

  /** Kills the process at once if it still runs (clean-up after a failed test). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  #failure(what: string): Error {
    const recent = this.events.slice(-5).map((event) => JSON.stringify(event).slice(0, 500));
    return new Error(
      `${this.name} ${what}${this.#exit === undefined ? '' : `; it ${this.#exit}`}.\n` +
        `Last events:\n${recent.join('\n')}\nstderr:\n${this.#stderr}`,
    );
  }
}

/** Every role process a test file started, so afterAll can kill them all, even after a failure. */
export class RoleProcesses {
  readonly #all: RoleProcess[] = [];

  start(spec: RoleSpec): RoleProcess {
    const role = new RoleProcess(spec);
    this.#all.push(role);
    return role;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.#all.map((role) => role.kill()));
  }
}
