import { describe, expect, it } from '@jest/globals';
import { RateMeter } from '../src/rate-meter.js';

/** A clock the test moves by hand. */
function manualClock(start = 100_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateMeter', () => {
  it('reports zero before anything happened', () => {
    const clock = manualClock();
    expect(new RateMeter(5_000, 10, clock.now).perSecond()).toBe(0);
  });

  it('measures a steady rate over the window', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, 10, clock.now);
    for (let i = 0; i < 100; i += 1) {
      clock.advance(100);
      meter.record(10); // 100 per second
    }
    expect(meter.perSecond()).toBeGreaterThan(90);
    expect(meter.perSecond()).toBeLessThan(110);
  });

  it('divides by at least a second just after a start, so a first burst is not a huge rate', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, 10, clock.now);
    clock.advance(10);
    meter.record(50);
    expect(meter.perSecond()).toBe(50);
  });

  it('forgets what is older than the window', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, 10, clock.now);
    clock.advance(1_000);
    meter.record(1_000);
    clock.advance(6_000);
    expect(meter.perSecond()).toBe(0);
    meter.record(5);
    expect(meter.perSecond()).toBeCloseTo(5 / 4.5, 0);
  });

  it('reuses its buckets as time goes round', () => {
    const clock = manualClock();
    const meter = new RateMeter(1_000, 4, clock.now);
    for (let i = 0; i < 40; i += 1) {
      clock.advance(250);
      meter.record(1);
    }
    expect(meter.perSecond()).toBeCloseTo(4, 0);
  });
});
