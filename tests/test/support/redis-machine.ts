import { Composer, type ComposerOptions } from '@orchestra/composer';
import { Consumer, type ConsumerOptions } from '@orchestra/consumer';
import type { AnyWorkspace, Logger } from '@orchestra/core';
import { Instrument, type InstrumentOptions } from '@orchestra/instrument';
import { RedisNetwork } from '@orchestra/network-redis';
import { closeRoles } from './orchestra.js';
import { uniqueNamespace } from './redis-roles.js';

/** Swallows the roles' log lines where a test provokes them on purpose. */
export const quietLogger: Logger = { warn: () => undefined, error: () => undefined };

/** Every role in this process, talking through a real Redis (its own namespace). */
export interface RedisMachine<W extends AnyWorkspace> {
  readonly network: RedisNetwork;
  readonly composer: Composer;
  readonly instrument: Instrument;
  readonly consumer: Consumer<W>;
  close(): Promise<void>;
}

/** What {@link redisMachine} passes on to each role. */
export interface RedisMachineOptions {
  readonly threads?: number;
  readonly composer?: ComposerOptions;
  readonly instrument?: InstrumentOptions;
  readonly consumer?: ConsumerOptions;
}

/** Starts a composer, an instrument and a consumer in this process over the Redis at `url`. */
export function redisMachine<W extends AnyWorkspace>(url: string, workspace: W, options: RedisMachineOptions = {}): RedisMachine<W> {
  const network = new RedisNetwork(url, { namespace: uniqueNamespace('machine'), logger: quietLogger });
  const composer = new Composer(network, { logger: quietLogger, ...options.composer });
  const instrument = new Instrument(network, workspace, options.threads ?? 1, { logger: quietLogger, ...options.instrument });
  const consumer = new Consumer(network, workspace, { logger: quietLogger, ...options.consumer });
  return {
    network,
    composer,
    instrument,
    consumer,
    close: () => closeRoles({ network, composer, instrument, consumer }),
  };
}
