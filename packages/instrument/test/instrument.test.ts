import { afterEach, describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';
import { InstrumentUnderTest, fixtures, type Reported } from './support/instrument-under-test.js';

let under: InstrumentUnderTest | undefined;
const start = (...args: ConstructorParameters<typeof InstrumentUnderTest>): InstrumentUnderTest => (under = new InstrumentUnderTest(...args));
afterEach(async () => {
  await under?.close();
  under = undefined;
});

/** Runs `count` echo jobs one after another, each assigned once the one before settled. */
async function runOneByOne(instrument: InstrumentUnderTest, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await instrument.assign({ id: `echo-${i}`, script: 'echo.cjs', params: i });
    await expect(instrument.settlementOf(`echo-${i}`)).resolves.toMatchObject({ ok: true, result: String(i) });
  }
}

describe('Instrument: credits', () => {
  it('announces its credits in a hello, and gives each back as its job settles', async () => {
    const instrument = start(1, { maxJobsPerTask: 1 });
    // One thread, one job per task: one job running, one next in line, one queued here.
    await waitUntil(() => instrument.reported.some((m) => m.type === 'hello'), 'the instrument said hello');
    expect(instrument.reported[0]).toMatchObject({ type: 'hello', credits: 3, busy: 0 });
    await instrument.assign(
      { id: 'a', script: 'echo.cjs', params: 'a' },
      { id: 'b', script: 'echo.cjs', params: 'b' },
      { id: 'c', script: 'echo.cjs', params: 'c' },
    );
    await waitUntil(() => instrument.settlements.length === 3 && instrument.creditsAfterHello === 3, 'three jobs settled and their credits came back');
    expect(instrument.settlements.map((s) => s.id).sort()).toEqual(['a', 'b', 'c']);
    expect(instrument.instrument.stats()).toMatchObject({ held: 0, settled: 3, busy: 0 });
  });

  it('asks for more jobs ahead once it has seen that they are tiny, but never more than maxJobsPerTask allows', async () => {
    const capped = start(1, { maxJobsPerTask: 1 });
    await runOneByOne(capped, 20);
    // Every credit granted after the hello paid back one settled job: it still wants only 3 held.
    expect(capped.creditsAfterHello).toBe(20);
    await capped.close();

    const free = start(1);
    await runOneByOne(free, 20);
    expect(free.creditsAfterHello).toBeGreaterThan(20);
  });

  it('takes the deprecated maxBatch as maxJobsPerTask', async () => {
    const instrument = start(1, { maxBatch: 1 });
    await runOneByOne(instrument, 20);
    expect(instrument.creditsAfterHello).toBe(20);
  });
});

describe('Instrument: options', () => {
  const make = (options: ConstructorParameters<typeof Instrument>[3]): Instrument => new Instrument(new MemNetwork(), fixtures, 1, options);

  it('refuses maxJobsPerTask and its deprecated alias maxBatch given together', () => {
    expect(() => make({ maxJobsPerTask: 4, maxBatch: 4 })).toThrow(InvalidArgumentError);
    expect(() => make({ maxJobsPerTask: 4, maxBatch: 4 })).toThrow(/maxBatch is the deprecated name of maxJobsPerTask/);
  });

  it('range-checks maxJobsPerTask and maxBatch by the name it was given', () => {
    expect(() => make({ maxJobsPerTask: 0 })).toThrow('maxJobsPerTask must be an integer of at least 1, got 0');
    expect(() => make({ maxBatch: 1.5 })).toThrow('maxBatch must be an integer of at least 1, got 1.5');
    expect(() => new Instrument(new MemNetwork(), fixtures, 0)).toThrow('maxWorkers must be an integer of at least 1, got 0');
  });
});

describe('Instrument: stopping jobs', () => {
  it('cancels a queued job at once: it never runs, and its credit comes back', async () => {
    const instrument = start(1, { maxJobsPerTask: 1, abortGraceMs: 200 });
    await instrument.assign({ id: 'holder', script: 'until-aborted.cjs' });
    await waitUntil(() => instrument.instrument.stats().busy === 1, 'the holder runs');
    // One thread and one job per task: 'next' goes to the pool, next in line; 'queued' stays here.
    await instrument.assign({ id: 'next', script: 'echo.cjs', params: 'next' }, { id: 'queued', script: 'echo.cjs', params: 'queued' });
    await waitUntil(() => instrument.instrument.stats().held === 3, 'three jobs are held');
    await instrument.cancel('queued');
    await expect(instrument.settlementOf('queued')).resolves.toMatchObject({ ok: false, error: { code: 'ORCHESTRA_JOB_CANCELLED' } });
    expect(instrument.instrument.stats()).toMatchObject({ held: 2, stopped: 1, busy: 1 });
    expect(instrument.settlements.map((s) => s.id)).toEqual(['queued']);

    await instrument.cancel('holder');
    await expect(instrument.settlementOf('holder')).resolves.toMatchObject({ ok: false, error: { code: 'ORCHESTRA_JOB_CANCELLED' } });
    await expect(instrument.settlementOf('next')).resolves.toMatchObject({ ok: true, result: '"next"' });
    expect(instrument.instrument.stats()).toMatchObject({ held: 0, stopped: 2, settled: 3 });
  });

  it('ends the thread of a job past its timeout that never yields, and runs the next job on a new one', async () => {
    const instrument = start(1, { abortGraceMs: 100 });
    await instrument.assign({ id: 'spinner', script: 'spin-forever.cjs', timeout: 200 }, { id: 'after', script: 'echo.cjs', params: 1 });
    await expect(instrument.settlementOf('spinner', 10_000)).resolves.toMatchObject({ ok: false, error: { code: 'ORCHESTRA_JOB_TIMEOUT' } });
    await expect(instrument.settlementOf('after', 10_000)).resolves.toMatchObject({ ok: true, result: '1' });
    expect(instrument.instrument.stats()).toMatchObject({ stopped: 1, held: 0 });
  });
});

describe('Instrument: progress', () => {
  it('reports every progress value of a run before its settlement, even when the result follows at once', async () => {
    const instrument = start(2);
    const ids = Array.from({ length: 60 }, (_, i) => `p${i}`);
    await instrument.assign(...ids.map((id) => ({ id, script: 'progress-then-result.cjs' })));
    await waitUntil(() => instrument.settlements.length === ids.length, 'every job settled', 10_000);
    const reported: Reported[] = instrument.reported;
    for (const id of ids) {
      const progressAt = reported.flatMap((m, at) => (m.updates ?? []).filter((u) => u.id === id).map((u) => ({ at, value: u.value })));
      const settledAt = reported.findIndex((m) => m.settlements?.some((s) => s.id === id) === true);
      expect(progressAt.map((p) => p.value)).toEqual(['1', '2', '3']);
      expect(progressAt.every((p) => p.at < settledAt)).toBe(true);
    }
  });
});
