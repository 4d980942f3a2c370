import { fileURLToPath } from 'node:url';
import { afterEach } from '@jest/globals';
import { Workspace } from '@orchestra/core';
import { MemNetwork } from '@orchestra/network-mem';
import { Consumer } from '../../src/index.js';
import type { ConsumerOptions } from '../../src/index.js';
import { ComposerStandIn } from './composer-stand-in.js';
import { RecordingLogger } from './recording-logger.js';

/** A folder holding `echo.cjs`: the consumer checks that a script exists, nothing here runs it. */
export const workspace: Workspace = new Workspace(fileURLToPath(new URL('../fixtures/workspace', import.meta.url)));

/** A consumer on a MemNetwork of its own, with the test standing in for the composer. */
export interface Setup {
  readonly network: MemNetwork;
  readonly consumer: Consumer<Workspace>;
  readonly composer: ComposerStandIn;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

function setUp(options: ConsumerOptions = {}): Setup {
  const network = new MemNetwork();
  const logger = new RecordingLogger();
  const composer = new ComposerStandIn(network);
  const consumer = new Consumer(network, workspace, { logger, ...options });
  return {
    network,
    consumer,
    composer,
    logger,
    close: async () => {
      await consumer.close();
      await composer.close();
      await network.close();
    },
  };
}

/** Call at the top of a test file: returns `setUp(options)`, which makes a setup that is closed after its test. */
export function setUpEachTest(): (options?: ConsumerOptions) => Setup {
  let current: Setup | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return (options) => {
    current = setUp(options);
    return current;
  };
}
