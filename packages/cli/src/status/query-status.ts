import { consoleLogger, type Logger, type Network } from '@orchestra/core';
import {
  integerOption,
  PROTOCOL_VERSION,
  checkNetwork,
  isObserverMessage,
  mailboxes,
  newRoleId,
  type StatusReplyMessage,
  type StatusRequestMessage,
  type StatusSnapshot,
} from '@orchestra/core/internal';
import { StatusTimeoutError } from '../errors.js';

/**
 * Added to a request's expiry beyond the query's own timeout, for clocks that differ between
 * machines: a composer whose clock runs ahead by less than this still answers in time.
 */
const CLOCK_SKEW_ALLOWANCE_MS = 5_000;

/** Options of {@link queryStatus}. */
export interface StatusQueryOptions {
  /** How long to wait for the acting composer's answer, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** Where invalid replies are reported (default: the console). */
  readonly logger?: Logger;
}

/** The acting composer's answer to a status request. */
export interface NetworkStatus {
  /** The acting composer's id. */
  readonly composer: string;
  /** Its lease epoch. */
  readonly epoch: number;
  /** What it knows of the network. */
  readonly snapshot: StatusSnapshot;
}

/**
 * Asks the acting composer of `network` for a status snapshot, over the Network contract alone, so
 * it works on any adapter. It reads a mailbox of its own (`observer.<id>`), sends a `status`
 * request to the composer's mailbox naming it, waits for the answer, then deletes that mailbox.
 * Replies that fail validation are counted, reported and set aside. Rejects with
 * {@link StatusTimeoutError} when no answer comes within `timeoutMs` (no composer is acting).
 *
 * ```ts
 * const { snapshot } = await queryStatus(network, { timeoutMs: 2000 });
 * console.log(`${snapshot.queued} jobs queued`);
 * ```
 */
export async function queryStatus(network: Network, options: StatusQueryOptions = {}): Promise<NetworkStatus> {
  checkNetwork(network);
  const timeoutMs = integerOption(options.timeoutMs ?? 5_000, 'timeoutMs', { min: 1 });
  const logger = options.logger ?? consoleLogger;
  const id = newRoleId('observer');
  const mailbox = mailboxes.observer(id);
  let invalid = 0;
  let answer!: (reply: StatusReplyMessage) => void;
  const answered = new Promise<StatusReplyMessage>((resolve) => (answer = resolve));
  const receiver = network.receive(mailbox, (messages) => {
    for (const message of messages) {
      if (isObserverMessage(message)) answer(message);
      else {
        invalid += 1;
        logger.warn('status: set aside an invalid reply', { reason: isObserverMessage.explain(message) });
      }
    }
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const request: StatusRequestMessage = {
      v: PROTOCOL_VERSION,
      type: 'status',
      replyTo: id,
      expiresAt: Date.now() + timeoutMs + CLOCK_SKEW_ALLOWANCE_MS,
    };
    const replied = network.send(mailboxes.composer, [request]).then(() => answered);
    // If the deadline wins, a send that fails later must not become an unhandled rejection.
    replied.catch(() => undefined);
    const reply = await Promise.race([replied, deadline]);
    if (reply === undefined) throw new StatusTimeoutError(timeoutMs, invalid);
    return { composer: reply.composer, epoch: reply.epoch, snapshot: reply.snapshot };
  } finally {
    clearTimeout(timer);
    await receiver.close();
    // Observer mailboxes are single-use: leave nothing behind on the network.
    await network.deleteMailbox(mailbox).catch((error: unknown) => logger.warn('status: could not delete its mailbox', { mailbox, error }));
  }
}
