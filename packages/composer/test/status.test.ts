import { afterEach, describe, expect, it } from '@jest/globals';
import { isObserverMessage, mailboxes, type StatusReplyMessage } from '@orchestra/core/internal';
import { MemNetwork } from '@orchestra/network-mem';
import { Composer } from '../src/index.js';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';

const quiet = { warn: () => undefined, error: () => undefined };
let network: MemNetwork | undefined;
let composer: Composer | undefined;
afterEach(async () => {
  await composer?.close();
  await network?.close();
  composer = undefined;
  network = undefined;
});

/** Six earlier holders took and gave up the composer lease, so the next one's epoch is 7: no default could pass for it. */
async function leaseUsedBefore(net: MemNetwork): Promise<void> {
  for (let n = 1; n <= 6; n += 1) {
    const holder = `earlier-${String(n)}`;
    await net.acquireLease('composer', holder, 1_000);
    await net.releaseLease('composer', holder);
  }
}

/** A composer acting on a MemNetwork (lease epoch 7) and reading the composer mailbox. */
async function actingComposer(): Promise<{ network: MemNetwork; composer: Composer }> {
  const net = new MemNetwork();
  network = net;
  await leaseUsedBefore(net);
  const acting = new Composer(net, { id: 'composer-test', logger: quiet });
  composer = acting;
  await waitUntil(() => acting.stats().acting, 'the composer acts');
  return { network: net, composer: acting };
}

function submit(ids: readonly string[]) {
  return { v: 1, type: 'submit', consumer: 'c1', jobs: ids.map((id) => ({ id, script: 'add.js', params: '{}' })) };
}

/**
 * Asks the composer for its status as observer `replyTo` and returns its reply. The composer reads
 * its mailbox in order, so once the reply is in, everything sent to it before has been handled.
 */
async function askStatus(net: MemNetwork, replyTo: string, extra: object = {}): Promise<StatusReplyMessage> {
  const replies = new MailboxCollector(net, mailboxes.observer(replyTo));
  await net.send(mailboxes.composer, [{ v: 1, type: 'status', replyTo, ...extra }]);
  await replies.waitFor(1);
  await replies.receiver.close();
  expect(replies.messages).toHaveLength(1);
  const reply = replies.messages[0];
  if (!isObserverMessage(reply)) throw new TypeError(`invalid reply: ${isObserverMessage.explain(reply)}`);
  return reply;
}

describe('Composer status', () => {
  it('answers a status request on the observer mailbox with a valid snapshot', async () => {
    const { network: net } = await actingComposer();
    const assigned = new MailboxCollector(net, mailboxes.instrument('i1'));
    await net.send(mailboxes.composer, [submit(['a', 'b', 'c', 'd', 'e'])]);
    await net.send(mailboxes.composer, [{ v: 1, type: 'hello', instrument: 'i1', threads: 2, credits: 3, busy: 0 }]);
    await assigned.waitFor(1);
    await net.send(mailboxes.composer, [
      {
        v: 1,
        type: 'done',
        instrument: 'i1',
        settlements: [
          { id: 'a', attempt: 1, ok: true, result: '1' },
          { id: 'b', attempt: 1, ok: false, error: { name: 'Error', message: 'no' } },
        ],
        credits: 0,
        // Reported, so taken as it is: one job is still held, but no thread runs it yet.
        busy: 0,
      },
    ]);
    const reply = await askStatus(net, 'observer-1');
    // One assignment of three jobs, and nothing more once the done was handled.
    expect(assigned.messages).toHaveLength(1);
    expect(reply.composer).toBe('composer-test');
    expect(reply.epoch).toBe(7);
    expect(reply.snapshot.instruments).toEqual([{ id: 'i1', threads: 2, busy: 0, held: 1 }]);
    expect(reply.snapshot).toMatchObject({ queued: 2, running: 1, done: 1, failed: 1 });
    expect(reply.snapshot.jobsPerSecond).toBeGreaterThan(0);
    expect(reply.snapshot.uptimeMs).toBeGreaterThanOrEqual(0);
  });

  it('shows what the batch that asked changed: jobs submitted with the request are counted', async () => {
    const { network: net } = await actingComposer();
    const replies = new MailboxCollector(net, mailboxes.observer('observer-2'));
    // One send, one batch: the submission and the request arrive together.
    await net.send(mailboxes.composer, [submit(['x', 'y']), { v: 1, type: 'status', replyTo: 'observer-2' }]);
    const [reply] = await replies.waitFor(1);
    expect(reply).toMatchObject({ snapshot: { queued: 2, running: 0, instruments: [] } });
  });

  it('derives busy threads as min(threads, held) from an instrument that does not report them', async () => {
    const { network: net } = await actingComposer();
    await net.send(mailboxes.composer, [submit(['a', 'b', 'c', 'd', 'e'])]);
    await net.send(mailboxes.composer, [{ v: 1, type: 'hello', instrument: 'old', threads: 3, credits: 5 }]);
    const reply = await askStatus(net, 'observer-3');
    expect(reply.snapshot.instruments).toEqual([{ id: 'old', threads: 3, busy: 3, held: 5 }]);
  });

  it('does not answer a request read after its expiry', async () => {
    const { network: net } = await actingComposer();
    const late = new MailboxCollector(net, mailboxes.observer('late'));
    await net.send(mailboxes.composer, [{ v: 1, type: 'status', replyTo: 'late', expiresAt: Date.now() - 1 }]);
    // Read after the late request, so answered only once that one was handled.
    const reply = await askStatus(net, 'timely', { expiresAt: Date.now() + 60_000 });
    expect(reply.type).toBe('status');
    expect(late.messages).toHaveLength(0);
  });

  it('answers each observer once per batch, and counts an invalid request without answering it', async () => {
    const { network: net, composer: acting } = await actingComposer();
    const twice = new MailboxCollector(net, mailboxes.observer('twice'));
    const bad = new MailboxCollector(net, mailboxes.observer('bad id!'));
    const request = { v: 1, type: 'status', replyTo: 'twice' };
    await net.send(mailboxes.composer, [request, request, { v: 1, type: 'status', replyTo: 'bad id!' }]);
    await askStatus(net, 'after');
    expect(twice.messages).toHaveLength(1);
    expect(bad.messages).toHaveLength(0);
    expect(acting.stats().invalidMessages).toBe(1);
  });

  it('counts done and failed jobs and their rate in stats()', async () => {
    const { network: net, composer: acting } = await actingComposer();
    const assigned = new MailboxCollector(net, mailboxes.instrument('i1'));
    await net.send(mailboxes.composer, [submit(['a', 'b', 'c'])]);
    await net.send(mailboxes.composer, [{ v: 1, type: 'hello', instrument: 'i1', threads: 1, credits: 3 }]);
    await assigned.waitFor(1);
    await net.send(mailboxes.composer, [
      {
        v: 1,
        type: 'done',
        instrument: 'i1',
        settlements: [
          { id: 'a', attempt: 1, ok: true },
          { id: 'b', attempt: 1, ok: true },
          { id: 'c', attempt: 1, ok: false, error: { name: 'Error', message: 'no' } },
          { id: 'c', attempt: 1, ok: true },
        ],
        credits: 0,
      },
    ]);
    // Answered only once the done before it was handled.
    await askStatus(net, 'after-done');
    expect(acting.stats()).toMatchObject({ settled: 3, done: 2, failed: 1, droppedSettlements: 1, running: 0, queued: 0 });
    expect(acting.stats().jobsPerSecond).toBeGreaterThan(0);
  });
});
