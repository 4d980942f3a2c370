import { types } from 'node:util';

// Why each kind is refused, said once, with what to send instead. JSON would not fail on any of
// these: it would send something else (null, 0, {}, a string) and the receiver would never know.

/** Why a number that JSON cannot write as itself is refused, or `undefined` for a finite number other than -0. */
export function numberRefusal(value: number): string | undefined {
  if (value - value !== 0) return `is ${String(value)}, which JSON turns into null; send a finite number, or null yourself`;
  if (value === 0 && 1 / value < 0) return 'is -0, which JSON turns into 0; send 0';
  return undefined;
}

/** Why `undefined` in an array (or a hole, where nothing was ever set) is refused: JSON writes `null` there. */
export function arrayGapRefusal(hole: boolean): string {
  return hole
    ? 'is a hole in an array, which JSON turns into null; fill it, or put null there yourself'
    : 'is undefined inside an array, which JSON turns into null; put null there yourself';
}

/** Why a function, a symbol or a bigint is refused. */
export function primitiveRefusal(kind: 'function' | 'symbol' | 'bigint'): string {
  if (kind === 'bigint') return 'is a bigint, which JSON cannot write; send it as a string (String(value))';
  return `is a ${kind}, which JSON drops`;
}

// Read off instances: the typings give some of these prototypes as `any`.
const toJSONOf = (instance: object): unknown => (instance as { toJSON?: unknown }).toJSON;
const builtInToJSON = new Set([toJSONOf(new Date(0)), toJSONOf(Buffer.alloc(0)), toJSONOf(new URL('file:///'))]);

/**
 * True when `toJSON` is the value's own choice of how to travel: any `toJSON` but the built-in ones
 * of Date, Buffer and URL, which would silently turn those into strings and objects of numbers.
 */
export function isUserToJSON(toJSON: unknown): toJSON is (key: string) => unknown {
  return typeof toJSON === 'function' && !builtInToJSON.has(toJSON);
}

function article(name: string): string {
  return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
}

function binaryName(value: object): string {
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (types.isDataView(value)) return 'a DataView';
  if (types.isSharedArrayBuffer(value)) return 'a SharedArrayBuffer';
  if (types.isArrayBuffer(value)) return 'an ArrayBuffer';
  const tag: unknown = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  return article(typeof tag === 'string' ? tag : 'typed array');
}

/** The prototype of plain objects made in another realm (a `vm` context): plain all the same. */
function isForeignObjectPrototype(proto: object): boolean {
  if (Object.getPrototypeOf(proto) !== null || !Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf')) return false;
  const ctor: unknown = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name === 'Object' && Function.prototype.toString.call(ctor).includes('[native code]');
}

function className(proto: object): string {
  const ctor: unknown = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'a class';
}

/**
 * Why an object whose prototype is neither `Object.prototype` nor `null` is refused, or
 * `undefined` when it is a plain object all the same (made in another realm). Called only off the
 * common path: plain objects and arrays never get here.
 */
export function objectRefusal(value: object, proto: object): string | undefined {
  if (types.isDate(value)) {
    return Number.isNaN(Date.prototype.getTime.call(value))
      ? 'is an invalid Date, which JSON turns into null; send a valid date as date.toISOString() or date.getTime()'
      : 'is a Date, which JSON turns into a string; send date.toISOString() or date.getTime()';
  }
  if (types.isArrayBufferView(value) || types.isAnyArrayBuffer(value)) {
    return `is ${binaryName(value)}: binary data is not carried yet; send it as a base64 string (Buffer.from(bytes).toString('base64'))`;
  }
  if (types.isMap(value)) return 'is a Map, which JSON turns into {}; use a plain object or an array of entries';
  if (types.isSet(value)) return 'is a Set, which JSON turns into {}; use an array';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return `is ${article(types.isWeakMap(value) ? 'WeakMap' : 'WeakSet')}, which JSON turns into {}`;
  if (types.isRegExp(value)) return 'is a RegExp, which JSON turns into {}; send its source and flags as strings';
  if (types.isNativeError(value) || value instanceof Error) return 'is an Error, which JSON turns into {}; send its message (and name, code) as strings';
  if (types.isBoxedPrimitive(value)) return 'is a boxed primitive (new Number(…), new String(…)…), which JSON unwraps; send the primitive';
  if (types.isPromise(value)) return 'is a Promise, which JSON turns into {}; await it and send its value';
  if (value instanceof URL) return 'is a URL, which JSON turns into a string; send url.href';
  if (isForeignObjectPrototype(proto)) return undefined;
  const plain = Array.isArray(value) ? 'array' : 'object';
  return (
    `is an instance of ${className(proto)}, which would arrive as a plain ${plain} without its prototype; ` +
    `send a plain ${plain}, or give the class a toJSON method`
  );
}
