import { describe, expect, it } from '@jest/globals';
import { parseInstrumentArgs } from '../src/args/instrument-args.js';
import { CliUsageError } from '../src/errors.js';
import { INSTRUMENT_USAGE } from '../src/usage.js';

const noEnv = {};
const parse = (...flags: string[]) => parseInstrumentArgs(['--workspace', '/w', ...flags], noEnv);

describe('orchestra instrument memory limits', () => {
  it('set none by default, so the threads keep V8 defaults', () => {
    expect(parse()).toMatchObject({ resourceLimits: {} });
  });

  it('take each limit in MB, by its flag', () => {
    expect(parse('--max-old-generation-mb', '512')).toMatchObject({ resourceLimits: { maxOldGenerationSizeMb: 512 } });
    expect(parse('--max-old-generation-mb=64', '--max-young-generation-mb', '8', '--code-range-mb', '32', '--stack-mb', '2')).toMatchObject({
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8, codeRangeSizeMb: 32, stackSizeMb: 2 },
    });
  });

  it('refuse a value that is not a whole number of MB in range, naming the flag, with the instrument usage', () => {
    for (const bad of ['15', '0', '-1', '64mb', '1e3', '']) {
      const parsing = () => parse(`--max-old-generation-mb=${bad}`);
      expect(parsing).toThrow(CliUsageError);
      expect(parsing).toThrow(`--max-old-generation-mb must be a whole number from 16 to 1048576 (got ${JSON.stringify(bad)})`);
    }
    expect(() => parse('--stack-mb', '0')).toThrow('--stack-mb must be a whole number from 1');
    const thrown = ((): unknown => {
      try {
        return parse('--max-young-generation-mb', 'lots');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(CliUsageError);
    expect((thrown as CliUsageError).usage).toBe(INSTRUMENT_USAGE);
  });

  it('are in the instrument usage', () => {
    for (const flag of ['--max-old-generation-mb N', '--max-young-generation-mb N', '--code-range-mb N', '--stack-mb N']) {
      expect(INSTRUMENT_USAGE).toContain(flag);
    }
  });
});
