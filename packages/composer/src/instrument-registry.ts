import type { CreditMessage, HelloMessage } from '@orchestra/core/internal';
import type { InstrumentRecord } from './records.js';

/**
 * The instruments the acting term knows: each one's threads, credits and the jobs it holds, when it
 * was last heard from, the unknown ones asked to say hello again, and the mailboxes of those gone.
 */
export class InstrumentRegistry {
  readonly #instruments = new Map<string, InstrumentRecord>();
  /** Instruments asked to say hello again, with when to give up on them. */
  readonly #syncing = new Map<string, number>();
  /** Instruments whose mailboxes are to be deleted (they left, or were given up on). */
  #departed: string[] = [];

  get size(): number {
    return this.#instruments.size;
  }

  /** Threads of all the instruments known. */
  get threads(): number {
    let threads = 0;
    for (const instrument of this.#instruments.values()) threads += instrument.threads;
    return threads;
  }

  all(): IterableIterator<InstrumentRecord> {
    return this.#instruments.values();
  }

  get(id: string): InstrumentRecord | undefined {
    return this.#instruments.get(id);
  }

  /**
   * The record of an instrument heard from now, or undefined for one not known (the term began
   * recently, or gave up on it). `askHello` is called for an unknown one not asked within
   * `syncMs`: its credits are counted from its hello, so it has to say hello again.
   */
  heardFrom(id: string, now: number, syncMs: number, askHello: (id: string) => void): InstrumentRecord | undefined {
    const record = this.#instruments.get(id);
    if (record !== undefined) {
      record.lastSeen = now;
      return record;
    }
    const asked = this.#syncing.get(id);
    if (asked === undefined || now > asked) {
      this.#syncing.set(id, now + syncMs);
      askHello(id);
    }
    return undefined;
  }

  /** Records an instrument that said hello; returns its earlier record, if it was known (it restarted). */
  hello(message: HelloMessage, now: number): InstrumentRecord | undefined {
    this.#syncing.delete(message.instrument);
    const earlier = this.#instruments.get(message.instrument);
    this.#instruments.set(message.instrument, {
      id: message.instrument,
      threads: message.threads,
      credits: message.credits,
      busy: message.busy,
      held: new Set(),
      lastSeen: now,
      heldAtLastBeat: new Set(),
      idleBeats: 0,
      owedSince: undefined,
    });
    return earlier;
  }

  /** An instrument's report of freed capacity. */
  credit(instrument: InstrumentRecord, message: Pick<CreditMessage, 'credits' | 'busy'> & { threads?: number }): void {
    if (message.threads !== undefined) instrument.threads = message.threads;
    instrument.credits += message.credits;
    if (message.busy !== undefined) instrument.busy = message.busy;
  }

  /**
   * Reads a heartbeat that says how many jobs the instrument holds. True when its heartbeats have
   * said, for at least `graceMs` and over more than one heartbeat, that it holds nothing and runs
   * nothing, while the composer believes it holds jobs assigned before the previous heartbeat, or
   * has no credits for it with `queued` jobs waiting: messages between them were lost (Redis lost
   * keys), and the instrument must start again (say hello) so that its jobs run elsewhere and its
   * credits are counted afresh. The time and the heartbeats in between make sure an assignment or
   * a grant still on its way, or a backlog of heartbeats read at once after a stall, is never taken
   * for a lost one.
   */
  owesWork(instrument: InstrumentRecord, message: Pick<CreditMessage, 'busy' | 'held'>, queued: number, now: number, graceMs: number): boolean {
    if (message.held === undefined) return false;
    const idle = message.held === 0 && message.busy === 0;
    let owed = instrument.credits === 0 && queued > 0;
    if (!owed) for (const id of instrument.held) if (instrument.heldAtLastBeat.has(id)) owed = true;
    instrument.heldAtLastBeat = new Set(instrument.held);
    if (!idle || !owed) {
      instrument.idleBeats = 0;
      instrument.owedSince = undefined;
      return false;
    }
    instrument.idleBeats += 1;
    instrument.owedSince ??= now;
    return instrument.idleBeats >= 2 && now - instrument.owedSince >= graceMs;
  }

  /** Forgets an instrument that left or was given up on; returns its record if it was known. */
  remove(id: string): InstrumentRecord | undefined {
    this.#syncing.delete(id);
    const record = this.#instruments.get(id);
    if (record === undefined) return undefined;
    this.#instruments.delete(id);
    this.#departed.push(id);
    return record;
  }

  /** Instruments silent for longer than `leaseMs`, counted from no earlier than `since`. */
  silent(now: number, leaseMs: number, since: number): InstrumentRecord[] {
    return [...this.#instruments.values()].filter((instrument) => now - Math.max(instrument.lastSeen, since) > leaseMs);
  }

  /** Gives up on instruments asked to say hello that never did: nobody reads their mailboxes. Returns how many. */
  dropUnanswered(now: number): number {
    let dropped = 0;
    for (const [id, deadline] of this.#syncing) {
      if (now <= deadline) continue;
      this.#syncing.delete(id);
      this.#departed.push(id);
      dropped += 1;
    }
    return dropped;
  }

  /** The instruments with credits left, to dispatch to. */
  ready(): InstrumentRecord[] {
    return [...this.#instruments.values()].filter((instrument) => instrument.credits > 0);
  }

  /** The mailboxes to delete now, each given once. */
  takeDeparted(): string[] {
    const departed = this.#departed;
    this.#departed = [];
    return departed;
  }
}
