import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { RedisRoles, uniqueNamespace } from './support/redis-roles.js';
import { type RoleEvent, RoleProcesses } from './support/role-process.js';

// The installed command: bin/orchestra.js, which loads the built program from dist/.
const bin = join(dirname(createRequire(import.meta.url).resolve('@orchestra/cli/package.json')), 'bin', 'orchestra.js');
/** Generous: each process starts a Node.js and loads the roles. */
const EXIT_MS = 20_000;

/** What the refusal says, wherever it is printed. */
const REFUSAL = /Redis at \S+ has maxmemory-policy allkeys-lru: .*CONFIG SET maxmemory-policy noeviction/;

let server: RedisServer;
const processes = new RoleProcesses();
beforeAll(async () => {
  // A server of this file's own, never REDIS_URL's: it must run with an evicting policy.
  server = await startRedisServer({ url: undefined, args: ['--maxmemory-policy', 'allkeys-lru'] });
});
afterAll(async () => {
  await processes.killAll();
  await server.stop();
});

/** Resolves as `promise` does, or rejects after `ms`. */
async function within(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  await Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `orchestra <args>` until it exits, sending it SIGTERM once it prints `until`; bounded. */
function runCli(args: readonly string[], until?: RegExp): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopping = false;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    // Once only: a second signal makes it exit at once, with code 130.
    if (!stopping && until?.test(output) === true) {
      stopping = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orchestra ${args.join(' ')} did not exit within ${EXIT_MS} ms. Output:\n${output}`));
    }, EXIT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a Redis that evicts keys', () => {
  it('keeps a composer process from starting, with the reason and the fix', async () => {
    const roles = new RedisRoles(processes, server.url, uniqueNamespace('eviction'));
    const composer = roles.composer();
    // The process reports what ended it as an `error` event (fixtures/processes/events.mjs), then exits 1.
    await expect(composer.waitFor('started', () => true, EXIT_MS)).rejects.toThrow(/reported an error while waiting for started/);
    await within(composer.exited, EXIT_MS, 'the composer process exits');
    expect(composer.child.exitCode).toBe(1);
    expect(composer.events.map((event) => event.event)).toEqual(['error']);
    const { message } = composer.events[0] as RoleEvent & { message: string };
    expect(message).toMatch(/^RedisEvictionPolicyError: /);
    expect(message).toMatch(REFUSAL);
  });

  it('ends `orchestra composer` with code 1 and the message; --allow-eviction runs it, with a warning', async () => {
    const namespace = uniqueNamespace('eviction-cli');
    const refused = await runCli(['composer', '--redis', server.url, '--namespace', namespace]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^orchestra: Redis at \S+ has maxmemory-policy allkeys-lru/m);
    expect(refused.output).toMatch(REFUSAL);
    expect(refused.output).toContain('use --allow-eviction');
    expect(refused.output).not.toContain('orchestra composer: started');

    const allowed = await runCli(['composer', '--redis', server.url, '--namespace', namespace, '--allow-eviction'], /orchestra composer: started/);
    expect(allowed.output).toContain('orchestra composer: stopped');
    expect(allowed.output).toMatch(/maxmemory-policy allkeys-lru and allowEviction is set/);
    expect(allowed.code).toBe(0);
  }, 45_000);
});
