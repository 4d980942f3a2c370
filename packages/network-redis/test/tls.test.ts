import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MailboxCollector } from '@orchestra/network-conformance';
import { type RedisServer, type SelfSignedCertificate, makeSelfSignedCertificate, startRedisServer } from '@orchestra/redis-server';
import { RedisConnectionError, RedisNetwork } from '../src/index.js';

const quiet = { warn: () => undefined, error: () => undefined };

let certificate: SelfSignedCertificate;
let server: RedisServer;
beforeAll(async () => {
  certificate = await makeSelfSignedCertificate();
  // TLS only (no plaintext port), with an ACL user; the default user is off.
  server = await startRedisServer({
    url: undefined,
    tls: certificate,
    args: ['--user', 'worker', 'on', '>s3cret', '~*', '&*', '+@all', '--user', 'default', 'off'],
  });
}, 30_000);
afterAll(async () => {
  await server.stop();
  await rm(certificate.dir, { recursive: true, force: true });
});

describe('RedisNetwork over TLS', () => {
  it('carries messages over TLS with an ACL user when the certificate is trusted', async () => {
    const network = new RedisNetwork(
      { host: '127.0.0.1', port: server.port, username: 'worker', password: 's3cret', tls: { ca: [certificate.cert] } },
      { namespace: 'tls' },
    );
    await network.connect();
    expect(network.target).toBe(`rediss://127.0.0.1:${server.port}`);
    const inbox = new MailboxCollector(network, 'box');
    await network.send('box', [{ secret: 'sealed' }]);
    expect(await inbox.waitFor(1)).toEqual([{ secret: 'sealed' }]);
    await inbox.receiver.close();
    await network.close();
  });

  it('fails closed, at once, on a certificate it does not trust', async () => {
    // rediss:// with the system's CAs only: the self-signed certificate is refused, and there is no plaintext fallback.
    const network = new RedisNetwork(`rediss://worker:s3cret@127.0.0.1:${server.port}`, { connectTimeoutMs: 20_000, logger: quiet });
    const started = Date.now();
    const error = await network.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/self[- ]signed|certificate/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    await network.close();
  });

  it('fails closed on a wrong password over TLS', async () => {
    const network = new RedisNetwork(
      { host: '127.0.0.1', port: server.port, username: 'worker', password: 'wrong', tls: { ca: [certificate.cert] } },
      { connectTimeoutMs: 20_000, logger: quiet },
    );
    await expect(network.connect()).rejects.toThrow(/WRONGPASS|invalid username-password/i);
    await network.close();
  });

  it('gets no answer in plaintext from a TLS-only server', async () => {
    const network = new RedisNetwork(`redis://worker:s3cret@127.0.0.1:${server.port}`, { connectTimeoutMs: 1_500, logger: quiet });
    await expect(network.connect()).rejects.toThrow(RedisConnectionError);
    await network.close();
  });
});
