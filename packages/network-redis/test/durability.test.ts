import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { RedisNetwork } from '../src/index.js';
import { waitUntil } from '@orchestra/network-conformance';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

const holdScript = fileURLToPath(new URL('./fixtures/hold-mailbox.mjs', import.meta.url));
let count = 0;
const namespace = (): string => `durability-${(count += 1)}`;

function collect(network: RedisNetwork, mailbox: string, onError?: (error: unknown) => void): unknown[] {
  const seen: unknown[] = [];
  network.receive(mailbox, (messages) => void seen.push(...messages), onError === undefined ? {} : { onError });
  return seen;
}

describe('RedisNetwork durability', () => {
  it('delivers to the next receiver what a SIGKILLed process held', async () => {
    const ns = namespace();
    const network = new RedisNetwork(server.url, { namespace: ns });
    await network.send('work', [{ n: 0 }, { n: 1 }]);
    const child = spawn(process.execPath, [holdScript, server.url, ns, 'work'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const held = new Promise<void>((resolve) => lines.on('line', (line) => line.includes('"held":2') && resolve()));
      await held;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    await network.send('work', [{ n: 2 }]);
    const seen = collect(network, 'work');
    await waitUntil(() => seen.length === 3, 'the held messages came back');
    expect(seen).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    await network.close();
  });

  it('hands what a stalled receiver holds to a newer receiver on another connection', async () => {
    const ns = namespace();
    const stalled = new RedisNetwork(server.url, { namespace: ns });
    let stalledGot = 0;
    let unstall = (): void => undefined;
    // A handler that does not settle: the process is alive but stuck, as if paused.
    stalled.receive('stall', (messages) => {
      stalledGot += messages.length;
      return new Promise<void>((resolve) => (unstall = resolve));
    });
    const sender = new RedisNetwork(server.url, { namespace: ns });
    await sender.send('stall', [{ n: 0 }]);
    await waitUntil(() => stalledGot === 1, 'the stalled receiver was given the message');
    const newer = new RedisNetwork(server.url, { namespace: ns });
    const seen = collect(newer, 'stall');
    await sender.send('stall', [{ n: 1 }]);
    await waitUntil(() => seen.length === 2, 'the newer receiver got both messages', 10_000);
    expect(seen).toEqual([{ n: 0 }, { n: 1 }]);
    await Promise.all([newer.close(), sender.close()]);
    unstall();
    await stalled.close();
  });

  it('keeps held entries pending across a SIGKILL, and deletes them once released', async () => {
    const ns = namespace();
    const network = new RedisNetwork(server.url, { namespace: ns });
    const key = `orchestra:{${ns}}:mailbox:held`;
    await network.send('held', [{ n: 0 }]);
    await network.send('held', [{ n: 1 }]);
    const child = spawn(process.execPath, [holdScript, server.url, ns, 'held', 'hold'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      await new Promise<void>((resolve) => lines.on('line', (line) => line.includes('"held":2') && resolve()));
      // The child's handler resolved: only its holds keep the entries.
      expect(await admin.xlen(key)).toBe(2);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    const seen: unknown[] = [];
    network.receive('held', (messages, delivery) => {
      seen.push(...messages);
      // Released later, outside the handler call.
      const releases = messages.map((_, i) => delivery.hold(i));
      setTimeout(() => releases.forEach((release) => release()), 20);
    });
    await waitUntil(() => seen.length === 2, 'the held messages came back');
    expect(seen).toEqual([{ n: 0 }, { n: 1 }]);
    await waitUntil(async () => (await admin.xlen(key)) === 0, 'released entries were deleted');
    await network.close();
    // The dead receiver's name and the closed one's are gone from the group.
    expect(await admin.call('XINFO', 'CONSUMERS', key, 'orchestra')).toEqual([]);
  });

  it('forgets what was acknowledged: the stream is left empty', async () => {
    const ns = namespace();
    const network = new RedisNetwork(server.url, { namespace: ns });
    const seen = collect(network, 'tidy');
    for (let i = 0; i < 20; i += 1) await network.send('tidy', [{ i }]);
    await waitUntil(() => seen.length === 20, '20 messages arrived');
    const key = `orchestra:{${ns}}:mailbox:tidy`;
    await waitUntil(async () => (await admin.xlen(key)) === 0, 'acknowledged entries were deleted');
    await network.close();
    expect(await admin.xpending(key, 'orchestra')).toEqual([0, null, null, null]);
  });

  it('keeps going when its connections are killed', async () => {
    const ns = namespace();
    const network = new RedisNetwork(server.url, { namespace: ns, logger: { warn: () => undefined, error: () => undefined } });
    const errors: unknown[] = [];
    const seen = collect(network, 'sturdy', (error) => errors.push(error));
    await network.send('sturdy', [{ before: true }]);
    await waitUntil(() => seen.length === 1, 'the first message arrived');
    await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await network.send('sturdy', [{ after: true }]);
    await waitUntil(() => seen.length === 2, 'a message sent after the kill arrived', 10_000);
    expect(seen).toEqual([{ before: true }, { after: true }]);
    await network.close();
  });

  it('keeps namespaces apart and puts every key under the namespace hash tag', async () => {
    const [nsA, nsB] = [namespace(), namespace()];
    const a = new RedisNetwork(server.url, { namespace: nsA });
    const b = new RedisNetwork(server.url, { namespace: nsB });
    const seenA = collect(a, 'same-name');
    const seenB = collect(b, 'same-name');
    await a.send('same-name', [{ from: 'a' }]);
    await b.send('same-name', [{ from: 'b' }]);
    await a.acquireLease('composer', 'x', 10_000);
    await waitUntil(() => seenA.length === 1 && seenB.length === 1, 'each network got its own message');
    expect(seenA).toEqual([{ from: 'a' }]);
    expect(seenB).toEqual([{ from: 'b' }]);
    const keys = await admin.keys(`*${nsA}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`orchestra:{${nsA}}:`)).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('hands malformed stream entries on as invalid messages instead of crashing or dropping them', async () => {
    const ns = namespace();
    const network = new RedisNetwork(server.url, { namespace: ns });
    const key = `orchestra:{${ns}}:mailbox:hostile`;
    await admin.xadd(key, '*', 'm', 'not json {');
    await admin.xadd(key, '*', 'm', '{"an":"object, not an array"}');
    await admin.xadd(key, '*', 'other', 'field');
    await admin.xadd(key, '*', 'm', '[{"__proto__":{"polluted":true}}]');
    await network.send('hostile', [{ fine: true }]);
    const seen = collect(network, 'hostile');
    await waitUntil(() => seen.length === 5, 'all five entries were handed on');
    expect(seen[0]).toBe('not json {');
    expect(seen[1]).toBe('{"an":"object, not an array"}');
    expect(seen[2]).toEqual(['other', 'field']);
    expect(Object.keys(seen[3] as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(seen[4]).toEqual({ fine: true });
    await network.close();
  });
});
