import { describe, expect, it } from '@jest/globals';
import { isOrchestraError, JobError, ScriptNotFoundError } from '../src/index.js';
import { deserializeError, ERROR_LIMITS, serializeError, type SerializedError } from '../src/internal.js';

describe('error serialization', () => {
  it('keeps name, message, code, stack and cause of a foreign error', () => {
    const error = Object.assign(new TypeError('outer', { cause: new RangeError('inner') }), { code: 'E_X' });
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(error))) as SerializedError);
    expect(back).toBeInstanceOf(JobError);
    expect(back.name).toBe('TypeError');
    expect(back.message).toBe('outer');
    expect(back.code).toBe('E_X');
    expect(back.stack).toBe(error.stack);
    expect((back.cause as Error).name).toBe('RangeError');
  });
  it('rebuilds Orchestra errors as their own class, recognised by marker', () => {
    const back = deserializeError(serializeError(new ScriptNotFoundError('x.js', '/ws')));
    expect(back).toBeInstanceOf(ScriptNotFoundError);
    expect(isOrchestraError(back)).toBe(true);
  });
  it('bounds messages and the cause chain', () => {
    let error: Error = new Error('x'.repeat(100_000));
    for (let i = 0; i < 10; i += 1) error = new Error(`level ${i}`, { cause: error });
    const data = serializeError(error);
    let depth = 0;
    for (let c = data.cause; c !== undefined; c = c.cause) depth += 1;
    expect(depth).toBe(ERROR_LIMITS.causeDepth);
    expect(serializeError(new Error('y'.repeat(100_000))).message.length).toBeLessThan(ERROR_LIMITS.message + 64);
  });
});
