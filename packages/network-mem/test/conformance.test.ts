import { describe, expect, it } from '@jest/globals';
import { networkConformanceCases, runNetworkConformance } from '@orchestra/network-conformance';
import { MemNetwork } from '../src/index.js';

runNetworkConformance({ describe, it }, 'MemNetwork', () => {
  const network = new MemNetwork();
  return { open: () => network, destroy: () => network.close() };
});

describe('the conformance suite', () => {
  it('fails an adapter that breaks the contract', async () => {
    // A MemNetwork made to lose every other message must not pass the ordering case.
    const lossy = (): { open: () => MemNetwork; destroy: () => Promise<void> } => {
      const network = new MemNetwork();
      let count = 0;
      const send = network.send.bind(network);
      network.send = (mailbox, messages) => send(mailbox, messages.filter(() => (count += 1) % 2 === 1));
      return { open: () => network, destroy: () => network.close() };
    };
    const ordering = networkConformanceCases.find((c) => c.name === 'delivers every message once, in send order');
    await expect(ordering?.run(lossy)).rejects.toThrow(/Timed out/);
  });
});
