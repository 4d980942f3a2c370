import type { Network, NetworkMessage } from '@orchestra/core';
import { MailboxCollector } from '@orchestra/network-conformance';
import {
  PROTOCOL_VERSION,
  mailboxes,
  waitUntil,
  type ConsumerProgressMessage,
  type JobSpec,
  type SettleMessage,
  type SubmitMessage,
  type schemas,
} from '@orchestra/core/internal';

/** One outcome as the composer sends it to a consumer. */
export type Outcome = SettleMessage['settlements'][number];

/**
 * The test's side of the protocol: it reads the composer's mailbox, as the acting composer would,
 * and sends settle and progress messages to one consumer's mailbox. No composer runs: the tests
 * decide what the consumer hears, and when.
 */
export class ComposerStandIn {
  readonly #network: Network;
  readonly #inbox: MailboxCollector;

  constructor(network: Network) {
    this.#network = network;
    this.#inbox = new MailboxCollector(network, mailboxes.composer);
  }

  /** Every message read from the composer's mailbox so far. */
  get messages(): unknown[] {
    return this.#inbox.messages;
  }

  /** The submit messages read so far. */
  get submits(): SubmitMessage[] {
    return this.messages.filter((message): message is SubmitMessage => (message as { type?: unknown }).type === 'submit');
  }

  /** Every job submitted so far, in order. */
  get jobs(): JobSpec[] {
    return this.submits.flatMap((message) => message.jobs);
  }

  /** The lookup messages read so far. */
  get lookups(): schemas.LookupMessage[] {
    return this.messages.filter((message): message is schemas.LookupMessage => (message as { type?: unknown }).type === 'lookup');
  }

  /** Every id asked about in a lookup so far, in order. */
  get lookedUp(): string[] {
    return this.lookups.flatMap((message) => message.ids);
  }

  /** Waits until `count` ids in all have been asked about, and returns them. */
  async askedAbout(count: number): Promise<string[]> {
    await waitUntil(() => this.lookedUp.length >= count, `${count} ids were looked up (got ${this.lookedUp.length})`);
    return this.lookedUp;
  }

  /** Answers a lookup: these ids are not known, as the composer of `epoch` says. */
  lookupReply(consumer: string, unknown: string[], epoch = 1): Promise<void> {
    const message: schemas.LookupReplyMessage = { v: PROTOCOL_VERSION, type: 'lookup-reply', epoch, unknown };
    return this.send(consumer, message);
  }

  /** Waits until `count` jobs in all have been submitted, and returns them. */
  async submitted(count: number): Promise<JobSpec[]> {
    await waitUntil(() => this.jobs.length >= count, `${count} jobs were submitted (got ${this.jobs.length})`);
    return this.jobs;
  }

  /** Sends one settle message of `epoch` to the consumer. */
  settle(consumer: string, settlements: Outcome[], epoch = 1): Promise<void> {
    const message: SettleMessage = { v: PROTOCOL_VERSION, type: 'settle', epoch, settlements };
    return this.send(consumer, message);
  }

  /** Sends one progress message of `epoch` to the consumer; values are given as they were reported, not as JSON. */
  progress(consumer: string, updates: { id: string; value: unknown }[], epoch = 1): Promise<void> {
    const message: ConsumerProgressMessage = {
      v: PROTOCOL_VERSION,
      type: 'progress',
      epoch,
      updates: updates.map(({ id, value }) => ({ id, value: JSON.stringify(value) })),
    };
    return this.send(consumer, message);
  }

  /** Sends any message, valid or not, to the consumer's mailbox. */
  send(consumer: string, message: NetworkMessage): Promise<void> {
    return this.#network.send(mailboxes.consumer(consumer), [message]);
  }

  async close(): Promise<void> {
    await this.#inbox.receiver.close();
  }
}
