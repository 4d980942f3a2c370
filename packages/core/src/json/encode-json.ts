import { NotSerializableError } from '../errors/payload-errors.js';

// JSON.stringify silently drops functions and symbols and turns Maps and Sets into `{}`; a job's
// params or result that changed shape on the way would be a silent bug, so they are refused.
function strictReplacer(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'function':
      throw new NotSerializableError(`${key === '' ? 'The value' : `Property ${JSON.stringify(key)}`}`, 'it is a function');
    case 'symbol':
      throw new NotSerializableError(`${key === '' ? 'The value' : `Property ${JSON.stringify(key)}`}`, 'it is a symbol');
    case 'object':
      if (value instanceof Map || value instanceof Set) {
        throw new NotSerializableError(
          `${key === '' ? 'The value' : `Property ${JSON.stringify(key)}`}`,
          `it is a ${value instanceof Map ? 'Map' : 'Set'}; use a plain object or array`,
        );
      }
      return value;
    default:
      return value;
  }
}

/**
 * Encodes a job's params or result as JSON text, the form in which they travel between threads and
 * machines. `undefined` encodes as `undefined` (no text). Values JSON cannot carry faithfully
 * (functions, symbols, bigints, Maps, Sets, circular structures) throw {@link NotSerializableError}.
 */
export function encodeJson(value: unknown, what: string): string | undefined {
  try {
    return JSON.stringify(value, strictReplacer);
  } catch (error) {
    if (error instanceof NotSerializableError) throw new NotSerializableError(what, error.message);
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotSerializableError(what, reason, { cause: error });
  }
}

/**
 * The UTF-8 size of `text` when it is over `limit` bytes, else `undefined`. Bytes are counted only
 * when the length cannot decide: each UTF-16 unit encodes to at most 3 bytes.
 */
export function sizeOverLimit(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const size = Buffer.byteLength(text, 'utf8');
  return size > limit ? size : undefined;
}
