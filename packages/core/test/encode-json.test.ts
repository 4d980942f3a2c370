import { describe, expect, it } from '@jest/globals';
import { NotSerializableError } from '../src/index.js';
import { deserializeError, encodeJson, serializeError, type SerializedError } from '../src/internal.js';

/** The NotSerializableError that encoding `value` as params throws. */
function refusal(value: unknown, root: 'params' | 'result' | 'progress' = 'params'): NotSerializableError {
  try {
    encodeJson(value, 'The params of x.js', root);
  } catch (error) {
    if (error instanceof NotSerializableError) return error;
    throw error;
  }
  throw new NotSerializableError('The test', `expected ${String(value)} to be refused`);
}

/** `value` as it arrives at the other end. */
function travel(value: unknown): unknown {
  const text = encodeJson(value, 'The params of x.js', 'params');
  return text === undefined ? undefined : JSON.parse(text);
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const cycle: { a: { list: unknown[] } } = { a: { list: [] } };
cycle.a.list.push(cycle.a);

describe('encodeJson refuses what JSON would silently change, naming where it is', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['NaN', { items: [1, 2, 3, Number.NaN] }, 'params.items[3]', /is NaN, which JSON turns into null/],
    ['Infinity', [Infinity], 'params[0]', /is Infinity/],
    ['-Infinity', { x: -Infinity }, 'params.x', /is -Infinity/],
    ['-0', { 'a b': -0 }, 'params["a b"]', /is -0, which JSON turns into 0/],
    ['undefined in an array', [1, undefined], 'params[1]', /undefined inside an array/],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in an array', [1, , 3], 'params[1]', /a hole in an array/],
    ['a bigint', { n: 1n }, 'params.n', /bigint.*String\(value\)/],
    ['a function property', { ok: true, callback: () => 1 }, 'params.callback', /is a function/],
    ['a symbol', Symbol('s'), 'params', /is a symbol/],
    ['a Map', { m: new Map() }, 'params.m', /is a Map/],
    ['a Set', [new Set()], 'params[0]', /is a Set/],
    ['a WeakMap', new WeakMap(), 'params', /is a WeakMap/],
    ['a Date', { when: new Date(0) }, 'params.when', /is a Date.*date\.toISOString\(\) or date\.getTime\(\)/],
    ['an invalid Date', { when: new Date(Number.NaN) }, 'params.when', /is an invalid Date.*toISOString/],
    ['a RegExp', /x/g, 'params', /is a RegExp/],
    ['an Error', { error: new TypeError('x') }, 'params.error', /is an Error/],
    ['a Buffer', { data: Buffer.from('ab') }, 'params.data', /is a Buffer: binary data is not carried yet/],
    ['a Uint8Array', new Uint8Array([1, 2]), 'params', /is a Uint8Array: binary data is not carried yet/],
    ['a Float64Array', [new Float64Array(1)], 'params[0]', /is a Float64Array: binary data/],
    ['a DataView', new DataView(new ArrayBuffer(2)), 'params', /is a DataView: binary data/],
    ['an ArrayBuffer', new ArrayBuffer(2), 'params', /is an ArrayBuffer: binary data/],
    ['a SharedArrayBuffer', new SharedArrayBuffer(2), 'params', /is a SharedArrayBuffer: binary data/],
    ['a URL', new URL('https://example.com/'), 'params', /is a URL.*url\.href/],
    ['a boxed number', { n: new Number(1) }, 'params.n', /boxed primitive/],
    ['a class instance', { at: new Point(1, 2) }, 'params.at', /instance of Point.*toJSON/],
    ['an Array subclass', new (class List extends Array {})(), 'params', /instance of List.*plain array/],
    ['a cycle', cycle, 'params.a.list[0]', /closes a cycle back to params\.a\b/],
  ])('%s', (_kind, value, path, reason) => {
    const error = refusal(value);
    expect(error.code).toBe('ORCHESTRA_NOT_SERIALIZABLE');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`The params of x.js cannot be sent: ${path} `);
    expect(error.message).toMatch(reason);
  });

  it('names the root after what the value is', () => {
    expect(refusal({ r: Number.NaN }, 'result').path).toBe('result.r');
    expect(refusal([[Infinity]], 'progress').path).toBe('progress[0][0]');
  });

  it('refuses what a toJSON returns by the same rules, and reports a toJSON that throws', () => {
    expect(refusal({ t: { toJSON: () => Number.NaN } }).path).toBe('params.t');
    expect(refusal([{ toJSON: () => undefined }]).message).toMatch(/toJSON that returned undefined/);
    const thrown = refusal({ t: { toJSON: () => { throw new RangeError('no') } } });
    expect(thrown.path).toBe('params.t');
    expect(thrown.message).toMatch(/threw in its toJSON: no/);
    expect(thrown.cause).toBeInstanceOf(RangeError);
  });

  it('refuses a structure nested deeper than it can check, instead of overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(refusal(deep).message).toMatch(/is nested too deeply to check/);
  });
});

describe('encodeJson carries the rest faithfully', () => {
  it.each<[string, unknown]>([
    ['numbers', { int: 1, float: 0.1, big: Number.MAX_VALUE, tiny: Number.MIN_VALUE, negative: -5, zero: 0 }],
    ['strings, lone surrogates included', ['plain', '\ud800', 'x\udfffy', '😀', '\u0000\n"\\']],
    ['booleans and null', [true, false, null]],
    ['nested plain objects and arrays', { a: [{ b: [[], {}] }], 'a b': { '': 1 } }],
    ['a "__proto__" key', JSON.parse('{"__proto__": {"a": 1}}')],
  ])('%s', (_kind, value) => {
    // toStrictEqual compares numbers with Object.is, so 0 and -0 differ, and holes differ from undefined.
    expect(travel(value)).toStrictEqual(value);
  });

  it('sends a null-prototype object, which arrives as a plain object with the same properties', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1, 'x y': [2] });
    expect(travel(bare)).toEqual({ a: 1, 'x y': [2] });
  });

  it('keeps undefined as the whole value (no text) and leaves out undefined properties, as JSON does', () => {
    expect(encodeJson(undefined, 'The params of x.js', 'params')).toBeUndefined();
    expect(travel({ a: 1, gone: undefined })).toStrictEqual({ a: 1 });
  });

  it('encodes an object with a toJSON of its own through it, calling it once', () => {
    let calls = 0;
    class Money {
      constructor(readonly cents: number) {}
      toJSON(key: string): unknown {
        calls += 1;
        return { cents: this.cents, key };
      }
    }
    expect(travel({ price: new Money(150), list: [new Money(1)] })).toStrictEqual({ price: { cents: 150, key: 'price' }, list: [{ cents: 1, key: '0' }] });
    expect(calls).toBe(2);
    // A toJSON that returns its object sends the object's own properties, as JSON does.
    expect(travel({ self: { v: 1, toJSON() { return this; } } })).toStrictEqual({ self: { v: 1 } });
  });

  it('does not copy a value that needs no change', () => {
    const shared = { n: 1 };
    expect(travel({ a: shared, b: shared })).toStrictEqual({ a: { n: 1 }, b: { n: 1 } });
  });
});

describe('NotSerializableError', () => {
  it('keeps its path across a thread or the network', () => {
    const error = refusal({ items: [1, Number.NaN] }, 'result');
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(error))) as SerializedError);
    expect(back).toBeInstanceOf(NotSerializableError);
    expect((back as NotSerializableError).path).toBe('result.items[1]');
    expect(back.message).toBe(error.message);
    expect(back).not.toHaveProperty('issues');
  });

  it('still builds from (what, reason), without a path', () => {
    const error = new NotSerializableError('The value', 'it is odd');
    expect(error.message).toBe('The value cannot be sent: it is odd');
    expect(error.path).toBeUndefined();
    expect(deserializeError(serializeError(error))).toHaveProperty('path', undefined);
  });
});
