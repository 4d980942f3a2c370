import assert from 'node:assert/strict';
import { conformanceCase, type ConformanceCase } from './case.js';
import { waitUntil } from './wait.js';

/** Cases for the named lease: one holder at a time, epochs that only grow, and `resumed`. */
export const leaseCases: readonly ConformanceCase[] = [
  conformanceCase('grants a lease to one holder at a time; renewing keeps the epoch', async (open) => {
    const network = await open();
    const a = await network.acquireLease('lead', 'a', 10_000);
    assert.ok(a !== undefined && Number.isInteger(a.epoch) && a.epoch >= 1, 'a got the lease');
    assert.ok(a.expiresAt > Date.now() && a.expiresAt <= Date.now() + 10_000, 'expiresAt is within the ttl');
    assert.equal(await network.acquireLease('lead', 'b', 10_000), undefined);
    const renewed = await network.acquireLease('lead', 'a', 10_000);
    assert.equal(renewed?.epoch, a.epoch);
    await network.releaseLease('lead', 'b'); // not b's to release
    assert.equal(await network.acquireLease('lead', 'b', 10_000), undefined);
    await network.releaseLease('lead', 'a');
    const b = await network.acquireLease('lead', 'b', 10_000);
    assert.ok(b !== undefined && b.epoch > a.epoch, `the epoch grew (${a.epoch} then ${String(b?.epoch)})`);
    const other = await network.acquireLease('other', 'a', 10_000);
    assert.ok(other !== undefined, 'leases of other names are independent');
  }),

  conformanceCase('lets a lapsed lease pass to another holder with a larger epoch', async (open) => {
    const network = await open();
    const a = await network.acquireLease('lapse', 'a', 100);
    assert.ok(a !== undefined);
    let b = await network.acquireLease('lapse', 'b', 10_000);
    assert.equal(b, undefined);
    const peer = await open();
    // Poll, as a standby does, until the lease lapses (bounded).
    const deadline = Date.now() + 5_000;
    while (b === undefined && Date.now() < deadline) {
      b = await peer.acquireLease('lapse', 'b', 10_000);
      if (b === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(b !== undefined && b.epoch > a.epoch, 'b holds the lease with a larger epoch');
    assert.equal(await network.acquireLease('lapse', 'a', 100), undefined);
  }),

  conformanceCase('marks a grant resumed only when nobody else held the lease in between', async (open) => {
    const network = await open();
    const a = await network.acquireLease('resume', 'a', 100);
    assert.ok(a !== undefined);
    // Waited out by the clock: the lease must lapse with nobody renewing it.
    await waitUntil(() => Date.now() > a.expiresAt + 50, 'the lease lapsed');
    const again = await network.acquireLease('resume', 'a', 100);
    assert.ok(again !== undefined && again.epoch > a.epoch, `a took it again with a larger epoch (${a.epoch} then ${String(again?.epoch)})`);
    // An adapter may leave `resumed` out (a holder then drops its state), never set it wrongly.
    assert.ok(again.resumed === undefined || again.resumed === true);
    await network.releaseLease('resume', 'a');
    const peer = await open();
    const b = await peer.acquireLease('resume', 'b', 100);
    assert.ok(b !== undefined && b.epoch > again.epoch, 'b takes a released lease at once, with a larger epoch');
    assert.equal(b.resumed, undefined, 'b never held it');
    await waitUntil(() => Date.now() > b.expiresAt + 50, "b's lease lapsed");
    let back = await network.acquireLease('resume', 'a', 10_000);
    const deadline = Date.now() + 5_000;
    while (back === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      back = await network.acquireLease('resume', 'a', 10_000);
    }
    assert.ok(back !== undefined && back.epoch > b.epoch, 'a takes the lapsed lease back with a larger epoch');
    assert.equal(back.resumed, undefined, 'b held the lease in between, so what a knew is not the newest');
  }),
];
