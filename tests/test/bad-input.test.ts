import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ParamsValidationError,
  PayloadTooLargeError,
  ResultValidationError,
  ScriptNotFoundError,
  ScriptPathError,
  Workspace,
  WorkspaceError,
} from '@orchestra/core';
import { Consumer } from '@orchestra/consumer';
import { MemNetwork } from '@orchestra/network-mem';
import Type from 'typebox';
import { fixtureRoot, fixtureWorkspace, oneMachine, type OneMachine } from './support/orchestra.js';

describe('bad input is refused at addJob, and nothing is sent', () => {
  let net: OneMachine<Workspace>;
  let outside: string;
  let linked: Workspace;
  beforeAll(() => {
    net = oneMachine(fixtureWorkspace(), 1);
    const dir = mkdtempSync(join(tmpdir(), 'orchestra-ws-'));
    outside = mkdtempSync(join(tmpdir(), 'orchestra-outside-'));
    writeFileSync(join(outside, 'evil.cjs'), 'module.exports = async () => "escaped";');
    symlinkSync(join(outside, 'evil.cjs'), join(dir, 'link.cjs'));
    linked = new Workspace(dir);
  });
  afterAll(() => net.close());

  it.each([
    ['../x.js', /"\.\."/],
    ['/etc/passwd', /absolute/],
    ['file:///etc/passwd', /URL/],
    ['add.js\0.txt', /null byte/],
    ['sub\\add.js', /backslash/],
    ['', /empty/],
  ])('refuses the script name %j', async (name, reason) => {
    await expect(net.consumer.addJob(name, {})).rejects.toThrow(ScriptPathError);
    await expect(net.consumer.addJob(name, {})).rejects.toThrow(reason);
    expect(net.consumer.stats().pending).toBe(0);
    expect(net.composer.stats().queued + net.composer.stats().running).toBe(0);
  });

  it('refuses a symlink that leads outside the workspace', async () => {
    const consumer = new Consumer(new MemNetwork(), linked);
    await expect(consumer.addJob('link.cjs', {})).rejects.toThrow(/symlink/);
    await consumer.close();
  });

  it('refuses a script that does not exist', async () => {
    await expect(net.consumer.addJob('missing.js', {})).rejects.toThrow(ScriptNotFoundError);
  });

  it('refuses params over the size limit', async () => {
    const consumer = new Consumer(net.network, fixtureWorkspace(), { maxParamsBytes: 1024 });
    await expect(consumer.addJob('add.js', { a: 'x'.repeat(2000), b: 1 })).rejects.toThrow(PayloadTooLargeError);
    await consumer.close();
  });

  it('refuses a relative or missing workspace folder', () => {
    expect(() => new Workspace('relative/path')).toThrow(WorkspaceError);
    expect(() => new Workspace(join(fixtureRoot, 'no-such-folder'))).toThrow(WorkspaceError);
  });
});

describe('schema form', () => {
  const workspace = new Workspace(fixtureRoot, {
    'typed-add.js': { params: Type.Object({ a: Type.Number(), b: Type.Number() }), result: Type.Number() },
  });
  let net: OneMachine<typeof workspace>;
  beforeAll(() => {
    net = oneMachine(workspace, 1);
  });
  afterAll(() => net.close());

  it('validates params at addJob with an error naming the failing path', async () => {
    const bad = { a: 1, b: 'two' } as unknown as { a: number; b: number };
    const error = await net.consumer.addJob('typed-add.js', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParamsValidationError);
    expect((error as ParamsValidationError).message).toContain('/b');
    expect((error as ParamsValidationError).issues[0]?.path).toBe('/b');
  });

  it('validates results at the instrument', async () => {
    const ok = await net.consumer.addJob('typed-add.js', { a: 1, b: 2 });
    await expect(ok.result).resolves.toBe(3);
    const wrong = await net.consumer.addJob('typed-add.js', { a: 1, b: -1 });
    await expect(wrong.result).rejects.toThrow(ResultValidationError);
  });
});
