import { describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import type { NetworkMessage } from '@orchestra/core';
import { mailboxes } from '@orchestra/core/internal';
import { MemNetwork } from '@orchestra/network-mem';
import { queryStatus, StatusTimeoutError } from '../src/index.js';
import { isReceived, leftInMailbox } from './support/mailbox-probes.js';
import { MailboxCollector } from '@orchestra/network-conformance';

const quiet = { warn: () => undefined, error: () => undefined };

const snapshot = { instruments: [], queued: 1, running: 2, done: 3, failed: 4, jobsPerSecond: 5, uptimeMs: 6 };

interface SentRequest {
  v: number;
  type: string;
  replyTo: string;
  expiresAt: number;
}

/**
 * Reads the composer mailbox in the composer's place and calls `answer` with each status request
 * that arrives there, as a composer that says exactly what the test wants.
 */
function answerRequests(network: MemNetwork, answer: (request: SentRequest) => Promise<void>): unknown[] {
  const requests: unknown[] = [];
  network.receive(mailboxes.composer, async (messages) => {
    requests.push(...messages);
    for (const message of messages) await answer(message as SentRequest);
  });
  return requests;
}

describe('queryStatus', () => {
  it("gets a real composer's snapshot over the network, then stops reading its mailbox", async () => {
    const network = new MemNetwork();
    // An earlier composer held the lease, so this one's epoch (2) cannot pass for a default.
    await network.acquireLease('composer', 'earlier', 1_000);
    await network.releaseLease('composer', 'earlier');
    await network.send(mailboxes.composer, [{ v: 1, type: 'hello', instrument: 'i1', threads: 4, credits: 9, busy: 1 }]);
    // Holds the composer mailbox until the request is in, to learn which mailbox the query reads,
    // then hands everything it took to the real composer, in order.
    const held = new MailboxCollector(network, mailboxes.composer);
    const query = queryStatus(network, { timeoutMs: 5_000 });
    const [, request] = (await held.waitFor(2)) as [unknown, SentRequest];
    await held.receiver.close();
    const composer = new Composer(network, { id: 'composer-q', logger: quiet });
    try {
      await network.send(mailboxes.composer, held.messages as NetworkMessage[]);
      const status = await query;
      expect(status.composer).toBe('composer-q');
      expect(status.epoch).toBe(2);
      expect(status.snapshot.instruments).toEqual([{ id: 'i1', threads: 4, busy: 1, held: 0 }]);
      expect(status.snapshot).toMatchObject({ queued: 0, running: 0, done: 0, failed: 0 });
      const observer = mailboxes.observer(request.replyTo);
      expect(observer).toMatch(/^observer\.observer-/);
      expect(await isReceived(network, observer)).toBe(false);
      expect(await isReceived(network, mailboxes.composer)).toBe(true);
    } finally {
      await composer.close();
      await network.close();
    }
  });

  it('sends a request naming its own mailbox, with an expiry a little after its timeout, and deletes that mailbox', async () => {
    const network = new MemNetwork();
    // MemNetwork hands a receiver at most 1024 messages at a time, so of a long run of replies
    // after the answer the query reads only the first few batches before it stops reading:
    // the rest is still in its mailbox when it deletes it. Each one it did read, it warns about.
    const unanswerable = 20_000;
    const warnings: string[] = [];
    const requests = answerRequests(network, (request) =>
      network.send(mailboxes.observer(request.replyTo), [
        { v: 1, type: 'status', epoch: 2, composer: 'c', snapshot },
        ...Array.from({ length: unanswerable }, () => ({ v: 1, type: 'status' })),
      ]),
    );
    try {
      const before = Date.now();
      const status = await queryStatus(network, { timeoutMs: 1_000, logger: { warn: (m) => warnings.push(m), error: () => undefined } });
      expect(status).toEqual({ composer: 'c', epoch: 2, snapshot });
      expect(requests).toHaveLength(1);
      const request = requests[0] as SentRequest;
      expect(request).toMatchObject({ v: 1, type: 'status' });
      expect(warnings.length).toBeLessThan(unanswerable);
      expect((await leftInMailbox(network, mailboxes.observer(request.replyTo))).length).toBe(0);
      expect(request.expiresAt).toBeGreaterThanOrEqual(before + 1_000);
      expect(request.expiresAt).toBeLessThanOrEqual(Date.now() + 1_000 + 5_000);
    } finally {
      await network.close();
    }
  });

  it('sets invalid replies aside and takes the valid one that follows', async () => {
    const network = new MemNetwork();
    const warnings: string[] = [];
    answerRequests(network, async (request) => {
      const observer = mailboxes.observer(request.replyTo);
      await network.send(observer, [
        // Adapters carry objects; a broken one might not.
        'not even an object' as unknown as NetworkMessage,
        { v: 1, type: 'status', epoch: 2, composer: 'c', snapshot: { ...snapshot, queued: -1 } },
        { v: 1, type: 'status', epoch: 2, composer: 'c', snapshot, extra: true },
      ]);
      await network.send(observer, [{ v: 1, type: 'status', epoch: 3, composer: 'c', snapshot }]);
    });
    try {
      const status = await queryStatus(network, { timeoutMs: 2_000, logger: { warn: (m) => warnings.push(m), error: () => undefined } });
      expect(status.epoch).toBe(3);
      expect(warnings).toHaveLength(3);
    } finally {
      await network.close();
    }
  });

  it('rejects with StatusTimeoutError when nobody answers, counting invalid replies, and still stops reading', async () => {
    const network = new MemNetwork();
    const requests = answerRequests(network, (request) => network.send(mailboxes.observer(request.replyTo), [{ v: 1, type: 'status' }]));
    try {
      const started = Date.now();
      const query = queryStatus(network, { timeoutMs: 100, logger: quiet });
      await expect(query).rejects.toThrow(StatusTimeoutError);
      await expect(query).rejects.toMatchObject({ timeoutMs: 100, invalidReplies: 1, code: 'ORCHESTRA_STATUS_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(requests).toHaveLength(1);
      // Whether it also deleted the mailbox shows only by something left in it, which a query that
      // read to its timeout cannot leave; the test above shows it.
      expect(await isReceived(network, mailboxes.observer((requests[0] as SentRequest).replyTo))).toBe(false);
    } finally {
      await network.close();
    }
  });

  it('refuses a timeout that is not a positive integer', async () => {
    await expect(queryStatus(new MemNetwork(), { timeoutMs: 0 })).rejects.toThrow('timeoutMs');
  });
});
