import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Workspace, type Logger } from '@orchestra/core';
import { Composer } from '@orchestra/composer';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';
import { file, numbersFactory } from './fixtures/numbers.mjs';

/** Roles that go on once a network they run on is closed under them report it; that is expected here. */
const quiet: Logger = { warn: () => undefined, error: () => undefined };

describe('options.network', () => {
  it('runs the items on the composer and instruments of the network given, leaving an object open and closing what a function made', async () => {
    const network = new MemNetwork();
    const composer = new Composer(network, { logger: quiet });
    const instrument = new Instrument(network, new Workspace(dirname(file)), 1, { logger: quiet });
    try {
      const given = await numbersFactory(() => [1, 2], { network, logger: quiet }).start();
      expect(given).toMatchObject({ items: 2, completed: 2, failed: 0 });
      expect(network.closed).toBe(false);

      const made = await numbersFactory(() => [3], { network: () => network, logger: quiet }).start();
      expect(made).toMatchObject({ items: 1, completed: 1, failed: 0 });
      expect(network.closed).toBe(true);
    } finally {
      await instrument.close();
      await composer.close();
      await network.close();
    }
  });
});
