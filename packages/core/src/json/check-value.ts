import { Refusal } from './refusal.js';
import { arrayGapRefusal, isUserToJSON, numberRefusal, objectRefusal, primitiveRefusal } from './refused-kinds.js';

// One walk over the value before a plain JSON.stringify: V8's stringify is fastest without a
// replacer, and a replacer sees a Date only after its toJSON made it a string. The walk returns
// the value itself (no copy) unless a user toJSON replaced some part, and then a copy in which that
// part is replaced, so each toJSON runs once and what is checked is exactly what is sent.

const ObjectPrototype = Object.prototype;

/** Objects on the way down from the root, to find cycles (index = how many keys deep). */
type Ancestors = object[];

/**
 * Checks that JSON carries `value` faithfully, throwing {@link Refusal} (with the path of the
 * refused part) if not. Returns what to hand to `JSON.stringify`: `value`, or a copy with the
 * results of user `toJSON` methods in place. `key` is what JSON passes to `toJSON` (`''` at the root).
 */
export function checkValue(value: unknown, key: string | number, ancestors: Ancestors, callToJSON: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number': {
      const refused = numberRefusal(value);
      if (refused !== undefined) throw new Refusal(refused);
      return value;
    }
    case 'object':
      return value === null ? null : checkObject(value, key, ancestors, callToJSON);
    default:
      throw new Refusal(primitiveRefusal(typeof value as 'function' | 'symbol' | 'bigint'));
  }
}

function checkObject(value: object, key: string | number, ancestors: Ancestors, callToJSON: boolean): unknown {
  const seen = ancestors.indexOf(value);
  if (seen !== -1) throw new Refusal('', { cycleDepth: seen });
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  const userToJSON = isUserToJSON(toJSON);
  if (userToJSON && callToJSON) {
    // As in JSON: toJSON runs once, and what it returns is sent without calling its own toJSON.
    let replaced: unknown;
    try {
      replaced = toJSON.call(value, String(key));
    } catch (error) {
      throw Refusal.thrown(error, 'threw in its toJSON');
    }
    return checkValue(replaced, key, ancestors, false);
  }
  // What toJSON returned may have a toJSON itself (`return this`): JSON.stringify would call it,
  // so such a value is sent as a copy of its own properties, as JSON would have sent it.
  const copy = userToJSON;
  if (Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as object;
    // Array.prototype is itself an array, in every realm; a subclass's prototype is not.
    if (!copy && !Array.isArray(proto)) throw new Refusal(objectRefusal(value, proto) ?? 'is an array with a prototype of its own');
    return checkArray(value as unknown[], ancestors, copy);
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== ObjectPrototype && proto !== null && !copy) {
    const refused = objectRefusal(value, proto);
    if (refused !== undefined) throw new Refusal(refused);
  }
  return checkProperties(value as Record<string, unknown>, ancestors, copy);
}

function checkArray(array: readonly unknown[], ancestors: Ancestors, copy: boolean): unknown {
  ancestors.push(array);
  let out: unknown[] | undefined = copy ? [] : undefined;
  const length = array.length;
  let i = 0;
  try {
    for (; i < length; i++) {
      const item = array[i];
      if (item === undefined) throw new Refusal(arrayGapRefusal(!(i in array)));
      const checked = checkValue(item, i, ancestors, true);
      if (checked === undefined) throw new Refusal('has a toJSON that returned undefined, which JSON turns into null inside an array');
      if (out === undefined && checked !== item) out = array.slice(0, i);
      if (out !== undefined) out.push(checked);
    }
  } catch (error) {
    throw Refusal.at(error, i);
  }
  ancestors.pop();
  return out ?? array;
}

function checkProperties(object: Record<string, unknown>, ancestors: Ancestors, copy: boolean): unknown {
  ancestors.push(object);
  const keys = Object.keys(object);
  // A null-prototype copy, so that a key named "__proto__" stays a plain property.
  let out: Record<string, unknown> | undefined = copy ? (Object.create(null) as Record<string, unknown>) : undefined;
  let i = 0;
  try {
    for (; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = object[key];
      // The toJSON method of an object whose toJSON returned itself: JSON leaves it out too.
      if (copy && key === 'toJSON' && typeof item === 'function') continue;
      const checked = checkValue(item, key, ancestors, true);
      if (out === undefined && checked !== item) {
        out = Object.create(null) as Record<string, unknown>;
        for (let j = 0; j < i; j++) out[keys[j] as string] = object[keys[j] as string];
      }
      // An undefined property is left out, as JSON leaves it out.
      if (out !== undefined && checked !== undefined) out[key] = checked;
    }
  } catch (error) {
    throw Refusal.at(error, keys[i] as string);
  }
  ancestors.pop();
  return out ?? object;
}
