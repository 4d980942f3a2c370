import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotSerializableError, type Workspace } from '@orchestra/core';
import { fixtureWorkspace, oneMachine, type OneMachine } from './support/orchestra.js';

class Point {
  constructor(readonly x: number) {}
}

const cycle: { a: { list: unknown[] } } = { a: { list: [] } };
cycle.a.list.push(cycle.a);

// Params and results travel as JSON text; each of these would arrive as something else.
const refusedParams: [string, unknown, string][] = [
  ['NaN', { items: [1, 2, 3, Number.NaN] }, 'params.value.items[3]'],
  ['Infinity', Infinity, 'params.value'],
  ['-Infinity', [-Infinity], 'params.value[0]'],
  ['-0', { 'a b': -0 }, 'params.value["a b"]'],
  ['undefined in an array', [1, undefined], 'params.value[1]'],
  // eslint-disable-next-line no-sparse-arrays
  ['a hole in an array', [1, , 3], 'params.value[1]'],
  ['a bigint', 1n, 'params.value'],
  ['a function', { f: () => 1 }, 'params.value.f'],
  ['a symbol', Symbol('s'), 'params.value'],
  ['a Map', new Map([[1, 2]]), 'params.value'],
  ['a Set', new Set([1]), 'params.value'],
  ['a WeakMap', new WeakMap(), 'params.value'],
  ['a Date', new Date(0), 'params.value'],
  ['an invalid Date', new Date(Number.NaN), 'params.value'],
  ['a RegExp', /x/, 'params.value'],
  ['an Error', new Error('x'), 'params.value'],
  ['a Buffer', Buffer.from('hi'), 'params.value'],
  ['a Uint8Array', new Uint8Array([1, 2]), 'params.value'],
  ['a DataView', new DataView(new ArrayBuffer(1)), 'params.value'],
  ['an ArrayBuffer', new ArrayBuffer(1), 'params.value'],
  ['a SharedArrayBuffer', new SharedArrayBuffer(1), 'params.value'],
  ['a class instance', new Point(1), 'params.value'],
  ['a cycle', cycle, 'params.value.a.list[0]'],
];

const carried: [string, unknown][] = [
  ['numbers', [0, 1, -1, 0.1, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER]],
  ['strings, lone surrogates included', ['', 'plain', '\ud800', 'a\udfffb', '😀', '\u0000"\\\n']],
  ['booleans and null', [true, false, null]],
  ['nested objects and arrays', { a: [{ b: [[], {}] }], 'a b': { '': 'empty key' }, n: null }],
];

describe('values arrive as they were sent, or are refused', () => {
  let net: OneMachine<Workspace>;
  beforeAll(() => {
    net = oneMachine(fixtureWorkspace(), 2);
  });
  afterAll(() => net.close());

  it.each(refusedParams)('addJob refuses %s in params, naming its path, and sends nothing', async (_kind, value, path) => {
    const adding = net.consumer.addJob('echo-value.js', { value });
    await expect(adding).rejects.toThrow(NotSerializableError);
    await expect(adding).rejects.toMatchObject({ code: 'ORCHESTRA_NOT_SERIALIZABLE', path });
    await expect(adding).rejects.toThrow(`The params of echo-value.js cannot be sent: ${path} `);
    expect(net.consumer.stats().pending).toBe(0);
    expect(net.composer.stats().queued + net.composer.stats().running).toBe(0);
  });

  it('the refusal says what to send instead', async () => {
    await expect(net.consumer.addJob('echo-value.js', { value: new Date(0) })).rejects.toThrow(/date\.toISOString\(\) or date\.getTime\(\)/);
    await expect(net.consumer.addJob('echo-value.js', { value: Buffer.from('x') })).rejects.toThrow(/binary data is not carried yet/);
  });

  it.each([
    ['nan', 'result', /is NaN/],
    ['buffer', 'result', /is a Buffer: binary data is not carried yet/],
    ['undefined-in-array', 'result[1]', /is undefined inside an array/],
  ])('a job returning %s fails with NotSerializableError naming %s', async (make, path, reason) => {
    const { result } = await net.consumer.addJob('echo-value.js', { make });
    await expect(result).rejects.toThrow(NotSerializableError);
    await expect(result).rejects.toMatchObject({ code: 'ORCHESTRA_NOT_SERIALIZABLE', path });
    await expect(result).rejects.toThrow(`The result of echo-value.js cannot be sent: ${path} `);
    await expect(result).rejects.toThrow(reason);
  });

  it('a progress value JSON would change is refused in the job, naming progress…', async () => {
    const { result } = await net.consumer.addJob('echo-value.js', { makeProgress: 'nan' });
    await expect(result).resolves.toMatchObject({ name: 'NotSerializableError', path: 'progress.step' });
  });

  it.each(carried)('%s arrive equal to what was sent, as params, progress and result', async (_kind, value) => {
    const seen: unknown[] = [];
    const { result } = await net.consumer.addJob('echo-value.js', { value, progress: value }, { onProgress: (v) => seen.push(v) });
    // toStrictEqual compares numbers with Object.is (0 is not -0) and tells holes from undefined.
    expect(await result).toStrictEqual(value);
    expect(seen).toStrictEqual([value]);
  });

  it('undefined properties are left out, as JSON leaves them out; undefined params stay undefined', async () => {
    const { result } = await net.consumer.addJob('echo-value.js', { value: { a: 1, gone: undefined } });
    expect(await result).toStrictEqual({ a: 1 });
    // No params: the job sees undefined and returns it, and the result is undefined too.
    const bare = await net.consumer.addJob('echo-value.js', undefined);
    expect(await bare.result).toBeUndefined();
  });

  it('an object with its own toJSON is sent as what that returns', async () => {
    const money = { cents: 150, toJSON: () => ({ cents: 150, currency: 'EUR' }) };
    const { result } = await net.consumer.addJob('echo-value.js', { value: money });
    expect(await result).toStrictEqual({ cents: 150, currency: 'EUR' });
  });
});
