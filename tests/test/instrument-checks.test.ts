import { describe, expect, it } from '@jest/globals';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';
import { fixtureWorkspace } from './support/orchestra.js';

interface Reported {
  type: string;
  settlements?: { id: string; ok: boolean; error?: { code?: string } }[];
}

describe('the instrument checks what it is sent', () => {
  it('refuses a script path that leads outside, and sets aside an invalid message, without crashing', async () => {
    const network = new MemNetwork();
    const instrument = new Instrument(network, fixtureWorkspace(), 1, { id: 'checker' });
    const settled = new Promise<NonNullable<Reported['settlements']>>((resolve) => {
      network.receive('composer', (messages) => {
        for (const message of messages as Reported[]) {
          if (message.type === 'done' && message.settlements !== undefined) resolve(message.settlements);
        }
      });
    });
    await network.send('instrument.checker', [
      { v: 1, type: 'assign', epoch: 1, jobs: [{ id: 'bad', script: 'x', attempt: -1, __proto__: {} }] },
      { v: 1, type: 'assign', epoch: 1, jobs: [{ id: 'escape', script: '../../package.json', attempt: 1 }] },
    ]);
    const settlements = await settled;
    expect(settlements).toHaveLength(1);
    expect(settlements[0]?.id).toBe('escape');
    expect(settlements[0]?.ok).toBe(false);
    expect(settlements[0]?.error?.code).toBe('ORCHESTRA_SCRIPT_PATH_INVALID');
    expect(instrument.stats().invalidMessages).toBe(1);
    await instrument.close();
    await network.close();
  });
});
