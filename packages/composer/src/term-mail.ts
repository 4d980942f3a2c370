import type { NetworkMessage, Release } from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  WIRE_LIMITS,
  mailboxes,
  type Assignment,
  type ConsumerProgressMessage,
  type SettleMessage,
} from '@orchestra/core/internal';

/** A settlement as its consumer gets it. */
export type SettleItem = SettleMessage['settlements'][number];
type ProgressItem = ConsumerProgressMessage['updates'][number];

/** Messages for one mailbox, as the composer's sender takes them. */
export interface Parcel {
  readonly mailbox: string;
  readonly messages: NetworkMessage[];
  readonly expireAfterMs?: number | undefined;
  /** Called once the messages are in the network. */
  readonly onSent?: (() => void)[];
}

interface ConsumerOut<T> {
  items: T[];
  expireAfterMs: number | undefined;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * What the acting term decided to send and has not handed to the sender yet: assignments,
 * cancellations and hello requests by instrument, settlements, progress and lookup replies by
 * consumer. Each batch handled ends with one {@link drain}: one message of each kind per mailbox
 * (more only past the wire limit of items per message).
 */
export class TermMail {
  #assign = new Map<string, Assignment[]>();
  #cancel = new Map<string, string[]>();
  #sync = new Set<string>();
  #settle = new Map<string, ConsumerOut<SettleItem> & { releases: (() => void)[] }>();
  #progress = new Map<string, ConsumerOut<ProgressItem>>();
  #lookupReplies = new Map<string, ConsumerOut<string> & { releases: Release[] }>();

  assign(instrument: string, jobs: Assignment[]): void {
    const out = entry(this.#assign, instrument, () => []);
    for (const job of jobs) out.push(job);
  }

  cancel(instrument: string, id: string): void {
    entry(this.#cancel, instrument, () => []).push(id);
  }

  askHello(instrument: string): void {
    this.#sync.add(instrument);
  }

  /** Queues a settlement; returns the callbacks to be run once it is sent, for the caller to add to. */
  settle(consumer: string, item: SettleItem, expireAfterMs: number | undefined): (() => void)[] {
    const out = entry(this.#settle, consumer, () => ({ items: [], expireAfterMs: undefined, releases: [] }));
    out.items.push(item);
    if (expireAfterMs !== undefined) out.expireAfterMs = expireAfterMs;
    return out.releases;
  }

  progress(consumer: string, item: ProgressItem, expireAfterMs: number | undefined): void {
    const out = entry(this.#progress, consumer, (): ConsumerOut<ProgressItem> => ({ items: [], expireAfterMs: undefined }));
    out.items.push(item);
    if (expireAfterMs !== undefined) out.expireAfterMs = expireAfterMs;
  }

  /**
   * Queues the answer to a consumer's `lookup`: ids it holds no job of. `release` (the lookup's hold)
   * runs once the answer is in the network, so a lookup left unanswered by a composer that stopped
   * comes again to the next one.
   */
  lookupReply(consumer: string, unknown: readonly string[], expireAfterMs: number | undefined, release: Release): void {
    const out = entry(this.#lookupReplies, consumer, () => ({ items: [], expireAfterMs: undefined, releases: [] }));
    for (const id of unknown) out.items.push(id);
    if (expireAfterMs !== undefined) out.expireAfterMs = expireAfterMs;
    out.releases.push(release);
  }

  /**
   * Everything queued, as one parcel per mailbox of messages of this epoch, in the order a mailbox
   * needs them (a consumer's progress before its settlements, and lookup replies after both, so a
   * reply never overtakes a settlement); the queues start empty again.
   */
  drain(epoch: number): Parcel[] {
    const parcels = new Map<string, { messages: NetworkMessage[]; expireAfterMs: number | undefined; onSent: (() => void)[] }>();
    const add = (mailbox: string, messages: NetworkMessage[], expireAfterMs?: number, onSent?: (() => void)[]): void => {
      const parcel = entry(parcels, mailbox, () => ({ messages: [], expireAfterMs: undefined, onSent: [] }));
      for (const message of messages) parcel.messages.push(message);
      if (expireAfterMs !== undefined) parcel.expireAfterMs = expireAfterMs;
      if (onSent !== undefined) for (const callback of onSent) parcel.onSent.push(callback);
    };
    const v = PROTOCOL_VERSION;
    const max = WIRE_LIMITS.maxItems;
    for (const instrument of this.#sync) add(mailboxes.instrument(instrument), [{ v, type: 'sync', epoch }]);
    for (const [instrument, jobs] of this.#assign) {
      add(mailboxes.instrument(instrument), chunks(jobs, max).map((batch) => ({ v, type: 'assign', epoch, jobs: batch })));
    }
    for (const [instrument, ids] of this.#cancel) {
      add(mailboxes.instrument(instrument), chunks(ids, max).map((batch) => ({ v, type: 'cancel', epoch, ids: batch })));
    }
    for (const [consumer, { items, expireAfterMs }] of this.#progress) {
      add(mailboxes.consumer(consumer), chunks(items, max).map((updates) => ({ v, type: 'progress', epoch, updates })), expireAfterMs);
    }
    for (const [consumer, { items, expireAfterMs, releases }] of this.#settle) {
      add(mailboxes.consumer(consumer), chunks(items, max).map((settlements) => ({ v, type: 'settle', epoch, settlements })), expireAfterMs, releases);
    }
    for (const [consumer, { items, expireAfterMs, releases }] of this.#lookupReplies) {
      add(mailboxes.consumer(consumer), chunks(items, max).map((unknown) => ({ v, type: 'lookup-reply', epoch, unknown })), expireAfterMs, releases);
    }
    if (parcels.size === 0) return [];
    this.clear();
    return [...parcels].map(([mailbox, parcel]) => ({ mailbox, ...parcel }));
  }

  /** Forgets everything queued. */
  clear(): void {
    this.#assign = new Map();
    this.#cancel = new Map();
    this.#sync = new Set();
    this.#settle = new Map();
    this.#progress = new Map();
    this.#lookupReplies = new Map();
  }
}
