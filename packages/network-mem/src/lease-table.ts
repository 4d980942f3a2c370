import type { LeaseGrant } from '@orchestra/core';

interface Held {
  holder: string;
  epoch: number;
  expiresAt: number;
}

/**
 * Named leases with epochs that only grow, kept in this process. A lease that lapsed goes back to
 * its last holder as `resumed` when nobody else took it meanwhile (in one process a stall of the
 * event loop stalls every would-be rival too).
 */
export class LeaseTable {
  readonly #leases = new Map<string, Held>();

  acquire(name: string, holder: string, ttlMs: number, now = Date.now()): LeaseGrant | undefined {
    const held = this.#leases.get(name);
    const live = held !== undefined && held.expiresAt > now;
    if (live && held.holder !== holder) return undefined;
    const epoch = live ? held.epoch : (held?.epoch ?? 0) + 1;
    const next = { holder, epoch, expiresAt: now + ttlMs };
    this.#leases.set(name, next);
    // Lapsed, and nobody else took it since: the holder's state is still the newest.
    if (!live && held?.holder === holder) return { epoch, expiresAt: next.expiresAt, resumed: true };
    return { epoch, expiresAt: next.expiresAt };
  }

  release(name: string, holder: string): void {
    const held = this.#leases.get(name);
    // Keep the epoch: the next holder must still get a larger one.
    if (held?.holder === holder) held.expiresAt = 0;
  }
}
