import type { Network } from '@orchestra/core';

/** A MemNetwork as the process-wide slot sees it: whichever copy of this package made it. */
export interface SlotNetwork extends Network {
  readonly closed: boolean;
}

interface Slot {
  network: SlotNetwork | undefined;
}

// On `globalThis` under a registered symbol, so that every copy of this package loaded in one process
// (a role package's and the bundled `@orchestra/orchestra`'s, say) shares one default network.
const SLOT = Symbol.for('orchestra.process-mem-network');

function slot(): Slot {
  const global = globalThis as { [SLOT]?: Slot };
  global[SLOT] ??= { network: undefined };
  return global[SLOT];
}

/** Makes `network` the process's in-process network unless an open one is already. */
export function offerProcessNetwork(network: SlotNetwork): void {
  const current = slot().network;
  if (current === undefined || current.closed) slot().network = network;
}

/** Clears the slot when `network`, the process's in-process network, closes. */
export function withdrawProcessNetwork(network: SlotNetwork): void {
  if (slot().network === network) slot().network = undefined;
}

/** The process's open in-process network, if there is one. */
export function currentProcessNetwork(): SlotNetwork | undefined {
  const current = slot().network;
  return current === undefined || current.closed ? undefined : current;
}
