import { NotSerializableError } from '../errors/payload-errors.js';
import { checkValue } from './check-value.js';
import { formatPath, type JsonRoot } from './json-path.js';
import { Refusal } from './refusal.js';

export type { JsonRoot } from './json-path.js';

function refused(what: string, root: JsonRoot, refusal: Refusal): NotSerializableError {
  const keys = refusal.keys.reverse();
  const path = formatPath(root, keys);
  const reason =
    refusal.cycleDepth === undefined
      ? refusal.message
      : `closes a cycle back to ${formatPath(root, keys.slice(0, refusal.cycleDepth))}, which JSON cannot write`;
  const cause: unknown = refusal.cause;
  return new NotSerializableError(what, `${path} ${reason}`, cause === undefined ? { path } : { path, cause });
}

/**
 * Encodes a job's params, result or progress value as JSON text, the form in which they travel
 * between threads and machines. What arrives is what was sent, or the value is refused:
 *
 * - Carried: strings (lone surrogates included), finite numbers, booleans, `null`, and plain
 *   objects and arrays of them. An object property that is `undefined` is left out, as in JSON;
 *   `undefined` as the whole value encodes as `undefined` (no text). An object shared twice arrives
 *   as two equal copies.
 * - Encoded through its `toJSON`: any object with a `toJSON` method of its own making (not Date's,
 *   Buffer's or URL's), the user's explicit choice; what it returns is checked like any value.
 * - Refused with {@link NotSerializableError}, whose message and `path` name the part
 *   (`params.items[3]`, `result["a b"]`): NaN, ±Infinity, -0, `undefined` or a hole inside an array,
 *   bigints, functions and symbols anywhere, Map, Set, WeakMap, WeakSet, Date (valid or not),
 *   RegExp, Error, URL, Promise, boxed primitives, binary data (Buffer, typed arrays, DataView,
 *   ArrayBuffer, SharedArrayBuffer), circular structures, and instances of classes without `toJSON`.
 *
 * `what` describes the value for the message (`The params of add.js`); `root` names it in the path.
 */
export function encodeJson(value: unknown, what: string, root: JsonRoot): string | undefined {
  let checked: unknown;
  try {
    checked = checkValue(value, '', [], true);
  } catch (error) {
    throw refused(what, root, error instanceof Refusal ? error : Refusal.thrown(error, 'threw while being read'));
  }
  try {
    return JSON.stringify(checked);
  } catch (error) {
    // Only a value that changed between the check and now (a getter, a proxy) gets here.
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
