import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClosedError, InvalidArgumentError } from '@orchestra/core';
import { type RedisServer, freePort, startRedisServer } from '@orchestra/redis-server';
import { RedisConnectionError, RedisNetwork } from '../src/index.js';

const quiet = { warn: () => undefined, error: () => undefined };

let server: RedisServer;
beforeAll(async () => {
  // A server with an ACL user, so credentials can be right or wrong.
  server = await startRedisServer({ url: undefined, args: ['--user', 'worker', 'on', '>s3cret', '~*', '&*', '+@all', '--user', 'default', 'off'] });
});
afterAll(async () => {
  await server.stop();
});

describe('RedisNetwork.connect', () => {
  it('connects with an ACL user and password from the URL', async () => {
    const network = new RedisNetwork(`redis://worker:s3cret@127.0.0.1:${server.port}`, { namespace: 'acl' });
    await network.connect();
    const grant = await network.acquireLease('composer', 'me', 1000);
    expect(grant?.epoch).toBeGreaterThan(0);
    await network.close();
  });

  it('fails fast with RedisConnectionError on a wrong password, and hides the password', async () => {
    const network = new RedisNetwork(`redis://worker:wrong@127.0.0.1:${server.port}`, { namespace: 'acl', connectTimeoutMs: 20_000, logger: quiet });
    const started = Date.now();
    const error = await network.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/WRONGPASS|invalid username-password/i);
    expect((error as Error).message).not.toContain('wrong@');
    expect(Date.now() - started).toBeLessThan(10_000);
    await network.close();
  });

  it('gives up on an unreachable Redis after connectTimeoutMs', async () => {
    const port = await freePort();
    const network = new RedisNetwork(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 500, logger: quiet });
    await expect(network.connect()).rejects.toThrow(RedisConnectionError);
    await expect(network.connect()).rejects.toThrow(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/? within 500 ms/);
    await network.close();
    await expect(network.connect()).rejects.toThrow(ClosedError);
  });

  it('refuses bad arguments with InvalidArgumentError', () => {
    expect(() => new RedisNetwork('http://127.0.0.1:6379')).toThrow(InvalidArgumentError);
    expect(() => new RedisNetwork(undefined, { namespace: 'has{brace}' })).toThrow(InvalidArgumentError);
    expect(() => new RedisNetwork(undefined, { namespace: '' })).toThrow(InvalidArgumentError);
    expect(() => new RedisNetwork(undefined, { connectTimeoutMs: 0 })).toThrow(InvalidArgumentError);
  });
});
