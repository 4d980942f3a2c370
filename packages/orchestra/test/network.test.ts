import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import * as composer from '@orchestra/composer';
import * as consumer from '@orchestra/consumer';
import * as core from '@orchestra/core';
import * as instrument from '@orchestra/instrument';
import * as networkMem from '@orchestra/network-mem';
import * as networkRedis from '@orchestra/network-redis';
import * as orchestra from '../src/index.js';
import { ClosedError, Composer, Consumer, Instrument, InvalidArgumentError, MemNetwork, Network, Workspace } from '../src/index.js';

const workspacePath = fileURLToPath(new URL('./fixtures/workspace', import.meta.url));

describe('@orchestra/orchestra', () => {
  it('exports every public name of core, the roles and both networks, and the Network class', () => {
    for (const module of [core, composer, consumer, instrument, networkMem, networkRedis]) {
      for (const [name, value] of Object.entries(module)) {
        expect([name, (orchestra as Record<string, unknown>)[name]]).toEqual([name, value]);
      }
    }
    expect(typeof orchestra.Network).toBe('function');
    expect(orchestra.Network.prototype).toHaveProperty('receive');
  });

  it('new Network() reaches the roles a program made on new MemNetwork(), as the document’s Consumer does', async () => {
    const network = new MemNetwork();
    const workspace = new Workspace(workspacePath);
    const theComposer = new Composer(network);
    const theInstrument = new Instrument(network, workspace, 1);
    const theConsumer = new Consumer(new Network(), new Workspace(workspacePath));
    try {
      const { result } = await theConsumer.addJob('add.cjs', { a: 1, b: 2 });
      expect(await result).toBe(3);
    } finally {
      await theConsumer.close();
      await theInstrument.close();
      await theComposer.close();
      await network.close();
    }
  });

  it('closing one handle of the in-process network leaves it open for the others', async () => {
    const backing = new MemNetwork();
    const handle = new Network();
    const other = new Network();
    expect(handle.contractVersion).toBe(core.NETWORK_CONTRACT_VERSION);
    const received: unknown[] = [];
    handle.receive('box', (messages) => {
      received.push(...messages);
    });
    await handle.close();
    await expect(handle.send('box', [{ n: 1 }])).rejects.toThrow(ClosedError);
    expect(() => handle.receive('other', () => undefined)).toThrow(ClosedError);
    await expect(handle.acquireLease('lease', 'me', 1000)).rejects.toThrow(ClosedError);
    // The receiver opened through the closed handle stopped; the mailbox can be read through another.
    await other.send('box', [{ n: 2 }]);
    const delivered = new Promise<unknown[]>((resolve) => {
      other.receive('box', (messages) => resolve([...messages]));
    });
    expect(await delivered).toEqual([{ n: 2 }]);
    expect(received).toEqual([]);
    expect(backing.closed).toBe(false);
    await other.close();
    await backing.close();
  });

  it('refuses what is not a network description, with a typed error', () => {
    expect(() => new Network('http://127.0.0.1:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => new Network('http://127.0.0.1:6379')).toThrow(InvalidArgumentError);
    expect(() => new Network(42 as never)).toThrow(InvalidArgumentError);
    expect(() => new Network(undefined as never, { namespace: 'x' })).toThrow(/Redis network/);
  });
});
