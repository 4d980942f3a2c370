import { describe, expect, it } from '@jest/globals';
import { Instrument } from '@orchestra/instrument';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';
import { fixtureWorkspace } from './support/orchestra.js';

interface Reported {
  type: string;
  busy?: number;
  settlements?: unknown[];
}

describe('the instrument reports its busy threads', () => {
  it('tells the composer when its threads become busy, and when they are free again', async () => {
    const network = new MemNetwork();
    const instrument = new Instrument(network, fixtureWorkspace(), 2, { id: 'busy' });
    const composerInbox = new MailboxCollector(network, 'composer');
    const reported = (): Reported[] => composerInbox.messages as Reported[];
    await waitUntil(() => reported().some((m) => m.type === 'hello'), 'the instrument said hello');
    expect(reported()[0]).toMatchObject({ type: 'hello', busy: 0 });

    // Two jobs that hold their threads for a while: no settlement comes soon, so the change is sent on its own.
    const spin = (id: string): object => ({ id, script: 'spin.cjs', params: JSON.stringify({ ms: 1500 }), attempt: 1 });
    await network.send('instrument.busy', [{ v: 1, type: 'assign', epoch: 1, jobs: [spin('one'), spin('two')] }]);
    await waitUntil(() => instrument.stats().busy === 2, 'both threads run a job');
    await waitUntil(() => reported().some((m) => m.type === 'credit' && m.busy === 2), 'a credit message carried busy: 2');

    await waitUntil(() => reported().some((m) => m.type === 'done' && m.busy === 0), 'a done message carried busy: 0', 10_000);
    expect(instrument.stats()).toMatchObject({ busy: 0, held: 0, settled: 2 });
    await composerInbox.receiver.close();
    await instrument.close();
    await network.close();
  });
});
