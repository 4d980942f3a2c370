import { describe, expect, it } from '@jest/globals';
import { BatchSizer } from '../src/batch-sizer.js';
import { CreditLedger } from '../src/credit-ledger.js';

describe('CreditLedger', () => {
  // Two threads, one job per task: it wants 2 × (2 × 1 + 1) = 6 jobs held.
  const ledger = (): CreditLedger => new CreditLedger(new BatchSizer(2, 1));

  it('announces its whole target in a hello, then gives credit back as jobs settle', () => {
    const credits = ledger();
    expect(credits.restart(0)).toBe(6);
    expect(credits.grant()).toBe(0);
    credits.settle();
    credits.settle();
    expect(credits.grant()).toBe(2);
    expect(credits.grant()).toBe(0);
    expect(credits.settled).toBe(2);
  });

  it('counts the jobs it already holds against a new hello, and forgets what was granted before', () => {
    const credits = ledger();
    credits.restart(0);
    // A new composer asks again: 4 jobs are still held here, so 2 more may come.
    expect(credits.restart(4)).toBe(2);
    expect(credits.grant()).toBe(0);
    credits.settle();
    expect(credits.grant()).toBe(1);
  });

  it('gives nothing once closing', () => {
    const credits = ledger();
    credits.restart(0);
    credits.close();
    credits.settle();
    expect(credits.grant()).toBe(0);
    expect(credits.restart(0)).toBe(0);
  });
});
