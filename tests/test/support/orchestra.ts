import { fileURLToPath } from 'node:url';
import { Composer } from '@orchestra/composer';
import { Consumer, type ConsumerOptions } from '@orchestra/consumer';
import { type AnyWorkspace, Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';

/** The fixture workspace of job scripts. */
export const fixtureRoot = fileURLToPath(new URL('../../fixtures/workspace', import.meta.url));

/** Every role over one MemNetwork, as on a single machine. */
export interface OneMachine<W extends AnyWorkspace> {
  network: MemNetwork;
  composer: Composer;
  instrument: Instrument;
  consumer: Consumer<W>;
  close(): Promise<void>;
}

/** The roles of one machine and their network. */
interface Roles {
  readonly network: { close(): Promise<void> };
  readonly composer: Composer;
  readonly instrument: Instrument;
  readonly consumer: { close(): Promise<void> };
}

/** Closes a machine's roles in the order that loses nothing: consumer, instrument, composer, then the network. */
export async function closeRoles(roles: Roles): Promise<void> {
  await roles.consumer.close();
  await roles.instrument.close();
  await roles.composer.close();
  await roles.network.close();
}

/** Starts a composer, an instrument with `threads` threads and a consumer on one MemNetwork. */
export function oneMachine<W extends AnyWorkspace>(workspace: W, threads = 2, consumerOptions: ConsumerOptions = {}): OneMachine<W> {
  const network = new MemNetwork();
  const composer = new Composer(network);
  const instrument = new Instrument(network, workspace, threads);
  const consumer = new Consumer(network, workspace, consumerOptions);
  return {
    network,
    composer,
    instrument,
    consumer,
    close: () => closeRoles({ network, composer, instrument, consumer }),
  };
}

/** The fixture workspace, untyped. */
export function fixtureWorkspace(): Workspace {
  return new Workspace(fixtureRoot);
}
