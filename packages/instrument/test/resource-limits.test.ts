import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';
import { InstrumentUnderTest, fixtures } from './support/instrument-under-test.js';

let under: InstrumentUnderTest | undefined;
afterEach(async () => {
  await under?.close();
  under = undefined;
});

describe('Instrument: the resourceLimits option', () => {
  const make = (resourceLimits: unknown): Instrument =>
    new Instrument(new MemNetwork(), fixtures, 1, { resourceLimits } as ConstructorParameters<typeof Instrument>[3]);

  it('refuses a limit that is not a whole number of MB in range, naming it', () => {
    expect(() => make({ maxOldGenerationSizeMb: 8 })).toThrow(InvalidArgumentError);
    expect(() => make({ maxOldGenerationSizeMb: 8 })).toThrow('resourceLimits.maxOldGenerationSizeMb must be an integer from 16 to 1048576, got 8');
    expect(() => make({ maxYoungGenerationSizeMb: 1.5 })).toThrow('resourceLimits.maxYoungGenerationSizeMb must be an integer from 1 to 1048576, got 1.5');
    expect(() => make({ codeRangeSizeMb: 0 })).toThrow('resourceLimits.codeRangeSizeMb must be an integer from 1 to 1048576, got 0');
    expect(() => make({ stackSizeMb: '4' })).toThrow('resourceLimits.stackSizeMb must be an integer from 1 to 1048576, got 4');
  });

  it('refuses what is not an object of limits, and a limit it does not know', () => {
    expect(() => make(64)).toThrow(
      'resourceLimits must be an object of limits in MB (maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb), got a number',
    );
    expect(() => make(null)).toThrow(InvalidArgumentError);
    expect(() => make({ maxOldGenerationMb: 64 })).toThrow('resourceLimits has no option maxOldGenerationMb');
  });
});

describe('Instrument: a job past its thread memory limit', () => {
  it('fails alone with JobOutOfMemoryError; the jobs batched with it run again on a new thread', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'orchestra-memory-')), 'runs.log');
    const instrument = (under = new InstrumentUnderTest(1, { resourceLimits: { maxOldGenerationSizeMb: 32 } }));
    // Tiny jobs first, one by one, so the instrument has seen that they are tiny and batches the next ones.
    for (let i = 0; i < 20; i += 1) {
      await instrument.assign({ id: `warm-${i}`, script: 'echo.cjs', params: i });
      await instrument.settlementOf(`warm-${i}`);
    }
    await instrument.assign(
      { id: 'before', script: 'log-run.cjs', params: { name: 'before', log } },
      { id: 'greedy', script: 'eat-memory.cjs' },
      { id: 'after', script: 'log-run.cjs', params: { name: 'after', log } },
    );
    const greedy = await instrument.settlementOf('greedy', 20_000);
    expect(greedy).toMatchObject({ ok: false, error: { name: 'JobOutOfMemoryError', code: 'ORCHESTRA_JOB_OUT_OF_MEMORY' } });
    expect(greedy.ok ? '' : greedy.error.message).toBe(
      'Job greedy (eat-memory.cjs) ran out of memory: over maxOldGenerationSizeMb (32 MB) of its thread; ' +
        'raise resourceLimits.maxOldGenerationSizeMb or make the job use less',
    );
    await expect(instrument.settlementOf('before', 20_000)).resolves.toMatchObject({ ok: true, result: '"before"' });
    await expect(instrument.settlementOf('after', 20_000)).resolves.toMatchObject({ ok: true, result: '"after"' });
    // 'before' ran in the batch the greedy job killed, and again alone; each job settled once.
    expect(readFileSync(log, 'utf8').split('\n').filter((line) => line === 'before')).toHaveLength(2);
    expect(instrument.settlements.filter((s) => ['before', 'greedy', 'after'].includes(s.id))).toHaveLength(3);
    expect(instrument.instrument.stats()).toMatchObject({ held: 0, busy: 0 });
  });
});
