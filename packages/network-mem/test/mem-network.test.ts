import { describe, expect, it } from '@jest/globals';
import { ClosedError } from '@orchestra/core';
import { MemNetwork } from '../src/index.js';

describe('MemNetwork', () => {
  it('delivers in order, batching what was sent together', async () => {
    const network = new MemNetwork();
    const batches: unknown[][] = [];
    let seen = 0;
    const done = new Promise<void>((resolve) => {
      network.receive('box', (messages) => {
        batches.push([...messages]);
        seen += messages.length;
        if (seen === 3) resolve();
      });
    });
    await network.send('box', [{ n: 1 }, { n: 2 }]);
    await network.send('box', [{ n: 3 }]);
    await done;
    expect(batches.flat()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await network.close();
  });

  it('delivers again what a handler did not acknowledge', async () => {
    const network = new MemNetwork();
    let calls = 0;
    const delivered = new Promise<unknown[]>((resolve) => {
      network.receive(
        'box',
        (messages) => {
          calls += 1;
          if (calls === 1) return Promise.reject(new ClosedError('test handler'));
          resolve([...messages]);
          return Promise.resolve();
        },
        { onError: () => undefined },
      );
    });
    await network.send('box', [{ n: 1 }]);
    expect(await delivered).toEqual([{ n: 1 }]);
    await network.close();
  });

  it('grants a lease to one holder at a time, with an epoch that grows', async () => {
    const network = new MemNetwork();
    const a = await network.acquireLease('composer', 'a', 1000);
    expect(a?.epoch).toBe(1);
    expect(await network.acquireLease('composer', 'b', 1000)).toBeUndefined();
    expect((await network.acquireLease('composer', 'a', 1000))?.epoch).toBe(1);
    await network.releaseLease('composer', 'a');
    expect((await network.acquireLease('composer', 'b', 1000))?.epoch).toBe(2);
    await network.close();
    await expect(network.send('box', [{}])).rejects.toThrow(ClosedError);
  });

  it('gives a lapsed lease back to its holder as resumed when nobody else took it', async () => {
    const network = new MemNetwork();
    const a = await network.acquireLease('composer', 'a', 20);
    await new Promise<void>((resolve) => {
      const poll = (): void => void (Date.now() > a!.expiresAt ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const again = await network.acquireLease('composer', 'a', 20);
    expect(again).toMatchObject({ epoch: 2, resumed: true });
    await network.releaseLease('composer', 'a');
    const b = await network.acquireLease('composer', 'b', 1000);
    expect(b).toEqual({ epoch: 3, expiresAt: expect.any(Number) });
    await network.close();
  });

  it('is the process’s in-process network when made while none is open', async () => {
    const first = MemNetwork.ofProcess();
    expect(MemNetwork.ofProcess()).toBe(first);
    const other = new MemNetwork();
    // Another MemNetwork made while the first is open is a network of its own.
    expect(MemNetwork.ofProcess()).toBe(first);
    await first.close();
    const next = MemNetwork.ofProcess();
    expect(next).not.toBe(first);
    expect(next).not.toBe(other);
    await next.send('box', [{ n: 1 }]);
    const delivered = new Promise<unknown[]>((resolve) => {
      MemNetwork.ofProcess().receive('box', (messages) => resolve([...messages]));
    });
    expect(await delivered).toEqual([{ n: 1 }]);
    await Promise.all([next.close(), other.close()]);
    expect(MemNetwork.ofProcess()).not.toBe(next);
  });
});
