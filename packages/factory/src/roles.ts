import { basename, dirname } from 'node:path';
import { Workspace, type Logger, type Network } from '@orchestra/core';
import type { Consumer } from '@orchestra/consumer';
import type { FactoryOptions } from './options.js';

/** The roles a factory run adds its items through. */
export interface FactoryRoles {
  /** Adds one job per item. */
  readonly consumer: Consumer<Workspace>;
  /** The spec file's name in the instruments' workspace: every item's job runs it. */
  readonly script: string;
  /** Closes what the run started, in order: the consumer, the local instrument and composer, a network the factory made. */
  close(): Promise<void>;
}

/**
 * Starts the roles for a run of the file that holds the spec: on this machine, a MemNetwork with a
 * composer and an instrument of `threads` threads whose workspace is the file's folder; with
 * `options.network`, only a consumer on that network (its composer and instruments are elsewhere).
 */
export async function startRoles(file: string, options: FactoryOptions, logger: Logger): Promise<FactoryRoles> {
  // Imported here, not at the top: the file is loaded in every thread too, where only the
  // worker functions are needed.
  const [{ Consumer }, { MemNetwork }, { Composer }, { Instrument }] = await Promise.all([
    import('@orchestra/consumer'),
    import('@orchestra/network-mem'),
    import('@orchestra/composer'),
    import('@orchestra/instrument'),
  ]);
  const workspace = new Workspace(dirname(file));
  // A network the factory made (the default, or from the function given) is the factory's to close.
  const owned = typeof options.network === 'function' || options.network === undefined;
  const given = typeof options.network === 'function' ? options.network() : options.network;
  const local = given === undefined;
  const network: Network = given ?? new MemNetwork();
  const composer = local ? new Composer(network, { logger }) : undefined;
  const instrument = local ? new Instrument(network, workspace, options.threads, { logger }) : undefined;
  const consumer = new Consumer(network, workspace, { logger });
  return {
    consumer,
    script: options.script ?? basename(file),
    close: async () => {
      await consumer.close();
      await instrument?.close();
      await composer?.close();
      if (owned) await network.close();
    },
  };
}
