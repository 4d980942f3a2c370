import type { Logger } from '@orchestra/core';
import type { Assignment, ComposerMessage, JobSpec, Settlement } from '@orchestra/core/internal';
import { ActingTerm } from '../../src/acting-term.js';
import { FakeScheduler } from './fake-scheduler.js';

const quiet: Logger = { warn() {}, error() {} };

/** An acting term driven by hand: messages in, parcels out, time by a fake clock. */
export class TermHarness {
  readonly scheduler = new FakeScheduler();
  readonly term: ActingTerm;
  /** Submissions acknowledged (released), by the order they were given. */
  readonly released: number[] = [];
  changes = 0;
  #submissions = 0;

  constructor(options: { instrumentLeaseMs?: number; maxLostRuns?: number } = {}) {
    this.term = new ActingTerm(
      7,
      { instrumentLeaseMs: options.instrumentLeaseMs ?? 5_000, maxLostRuns: options.maxLostRuns ?? 5 },
      this.scheduler,
      quiet,
      () => {
        this.changes += 1;
      },
    );
  }

  handle(message: Record<string, unknown>): void {
    const n = this.#submissions;
    if (message['type'] === 'submit') this.#submissions += 1;
    this.term.handle({ v: 1, ...message } as ComposerMessage, () => () => this.released.push(n));
  }

  submit(jobs: (Partial<JobSpec> & { id: string })[], consumer = 'c1'): void {
    this.handle({ type: 'submit', consumer, jobs: jobs.map((job) => ({ script: 'job.js', ...job })) });
  }

  hello(instrument: string, credits: number, threads = credits): void {
    this.handle({ type: 'hello', instrument, threads, credits });
  }

  done(instrument: string, settlements: Settlement[], credits = settlements.length): void {
    this.handle({ type: 'done', instrument, settlements, credits });
  }

  /**
   * Takes everything the term wants sent now, as the composer's sender would (running each parcel's
   * onSent), and sorts it by kind and mailbox.
   */
  flush(): Outgoing {
    const out: Outgoing = { assigned: {}, cancelled: {}, synced: [], settled: {}, progress: {} };
    for (const parcel of this.term.outgoing()) {
      const [, name = ''] = /^[a-z]+\.(.*)$/.exec(parcel.mailbox) ?? [];
      for (const message of parcel.messages as unknown as WireMessage[]) {
        if (message.type === 'assign') (out.assigned[name] ??= []).push(...(message.jobs ?? []));
        if (message.type === 'cancel') (out.cancelled[name] ??= []).push(...(message.ids ?? []));
        if (message.type === 'sync') out.synced.push(name);
        if (message.type === 'settle') (out.settled[name] ??= []).push(...(message.settlements ?? []));
        if (message.type === 'progress') (out.progress[name] ??= []).push(...(message.updates ?? []));
      }
      for (const callback of parcel.onSent ?? []) callback();
    }
    return out;
  }
}

/** The parts of the messages a flush looks at. */
interface WireMessage {
  type: string;
  jobs?: Assignment[];
  ids?: string[];
  settlements?: SettledItem[];
  updates?: { id: string; value: string }[];
}

export interface SettledItem {
  id: string;
  ok: boolean;
  result?: string;
  error?: { name: string; message: string };
}

/** What a flush sent, by kind and by the instrument or consumer it went to. */
export interface Outgoing {
  assigned: Record<string, Assignment[]>;
  cancelled: Record<string, string[]>;
  synced: string[];
  settled: Record<string, SettledItem[]>;
  progress: Record<string, { id: string; value: string }[]>;
}
