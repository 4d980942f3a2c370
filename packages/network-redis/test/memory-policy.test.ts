import { afterEach, describe, expect, it } from '@jest/globals';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';
import { type RedisServer, startRedisCluster, startRedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { RedisEvictionPolicyError, RedisNetwork, type RedisNetworkOptions } from '../src/index.js';

const servers: { stop(): Promise<void> }[] = [];
const clients: Redis[] = [];
const networks: RedisNetwork[] = [];
afterEach(async () => {
  await Promise.all(networks.splice(0).map((network) => network.close()));
  await Promise.all(clients.splice(0).map((client) => client.quit()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A server of this test's own (never REDIS_URL's), started with `args`. */
async function ownServer(args: string[] = []): Promise<RedisServer> {
  const server = await startRedisServer({ url: undefined, args });
  servers.push(server);
  return server;
}

function admin(url: string): Redis {
  const client = new Redis(url, { protocol: 2 });
  clients.push(client);
  return client;
}

interface Logged {
  readonly warnings: string[];
  readonly errors: string[];
}

function networkOn(url: string | { host: string; port: number; username?: string; password?: string; enableReadyCheck?: boolean }, options: RedisNetworkOptions = {}): RedisNetwork & Logged {
  const warnings: string[] = [];
  const errors: string[] = [];
  const network = new RedisNetwork(url, {
    namespace: 'policy',
    logger: { warn: (message) => warnings.push(message), error: (message) => errors.push(message) },
    ...options,
  });
  networks.push(network);
  return Object.assign(network, { warnings, errors });
}

/** Cuts every connection but the admin's own, as a network blip or failover would. */
async function cutConnections(client: Redis): Promise<void> {
  await client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
}

describe('RedisNetwork refuses a Redis that evicts keys', () => {
  it('rejects connect() and sends on allkeys-lru with RedisEvictionPolicyError, and writes nothing', async () => {
    const server = await ownServer(['--maxmemory-policy', 'allkeys-lru']);
    const network = networkOn(server.url);
    const error = await network.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisEvictionPolicyError);
    expect((error as RedisEvictionPolicyError).code).toBe('ORCHESTRA_REDIS_EVICTION_POLICY');
    expect((error as RedisEvictionPolicyError).policy).toBe('allkeys-lru');
    expect((error as Error).message).toContain('maxmemory-policy allkeys-lru');
    expect((error as Error).message).toContain('CONFIG SET maxmemory-policy noeviction');
    expect((error as Error).message).toContain('allowEviction: true');

    await expect(network.send('box', [{ n: 1 }])).rejects.toBeInstanceOf(RedisEvictionPolicyError);
    expect(await admin(server.url).exists('orchestra:{policy}:mailbox:box')).toBe(0);
  });

  it('refuses volatile-lru, the default of several managed services', async () => {
    const server = await ownServer(['--maxmemory-policy', 'volatile-lru']);
    const network = networkOn(server.url);
    await expect(network.connect()).rejects.toMatchObject({ name: 'RedisEvictionPolicyError', policy: 'volatile-lru' });
  });

  it('accepts noeviction without a word', async () => {
    const server = await ownServer(['--maxmemory-policy', 'noeviction']);
    const network = networkOn(server.url);
    await network.connect();
    await network.send('box', [{ n: 1 }]);
    expect(await new MailboxCollector(network, 'box').waitFor(1)).toEqual([{ n: 1 }]);
    expect(network.warnings).toEqual([]);
    expect(network.errors).toEqual([]);
  });

  it('accepts an evicting Redis with allowEviction: true, warning once', async () => {
    const server = await ownServer(['--maxmemory-policy', 'allkeys-lru']);
    const network = networkOn(server.url, { allowEviction: true });
    await network.connect();
    await network.send('box', [{ n: 1 }]);
    expect(await new MailboxCollector(network, 'box').waitFor(1)).toEqual([{ n: 1 }]);
    expect(network.warnings).toHaveLength(1);
    expect(network.warnings[0]).toMatch(/maxmemory-policy allkeys-lru and allowEviction is set.*lost silently/);
  });

  it('reads the policy from INFO where CONFIG is forbidden (renamed away, as managed services do)', async () => {
    const server = await ownServer(['--maxmemory-policy', 'allkeys-lru', '--rename-command', 'CONFIG', '']);
    const network = networkOn(server.url);
    await expect(network.connect()).rejects.toMatchObject({ name: 'RedisEvictionPolicyError', policy: 'allkeys-lru' });
  });

  it('warns once, and carries on, where neither CONFIG nor INFO may be run', async () => {
    const server = await ownServer(['--user', 'worker', 'on', '>s3cret', '~*', '&*', '+@all', '-config', '-info']);
    // Without INFO, ioredis's own ready check cannot run either.
    const network = networkOn({ host: '127.0.0.1', port: server.port, username: 'worker', password: 's3cret', enableReadyCheck: false });
    await network.connect();
    await network.send('box', [{ n: 1 }]);
    await waitUntil(() => network.stats().dataChecks === 1, 'the first data check');

    await cutConnections(admin(server.url));
    await waitUntil(() => network.stats().dataChecks === 2, 'the checks after reconnecting', 10_000);
    await network.send('box', [{ n: 2 }]);
    expect(await new MailboxCollector(network, 'box').waitFor(2)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(network.warnings.filter((message) => message.includes('maxmemory-policy'))).toHaveLength(1);
    expect(network.warnings[0]).toMatch(/would not say its maxmemory-policy \(CONFIG GET and INFO memory were refused: NOPERM/);
  });

  it('keeps a receiver from reading until the policy is fixed, reporting why through onError', async () => {
    const server = await ownServer(['--maxmemory-policy', 'allkeys-lru']);
    const network = networkOn(server.url);
    const reported: unknown[] = [];
    const inbox = new MailboxCollector(network, 'box', { onError: (error) => reported.push(error) });
    await waitUntil(() => reported.length > 0, 'the receiver reported the refusal');
    expect(reported[0]).toBeInstanceOf(RedisEvictionPolicyError);

    await admin(server.url).call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await network.send('box', [{ n: 1 }]);
    expect(await inbox.waitFor(1, 10_000)).toEqual([{ n: 1 }]);
    // Reported once for the whole refusal, not once per retry.
    expect(reported).toHaveLength(1);
  });

  it('checks again on every reconnection, and refuses a policy changed meanwhile', async () => {
    const server = await ownServer();
    const network = networkOn(server.url);
    await network.connect();
    const reported: unknown[] = [];
    const inbox = new MailboxCollector(network, 'box', { onError: (error) => reported.push(error) });
    await network.send('box', [{ n: 1 }]);
    await inbox.waitFor(1);

    const redis = admin(server.url);
    await redis.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await cutConnections(redis);
    await waitUntil(() => network.errors.some((message) => message.includes('maxmemory-policy allkeys-lru')), 'the network reported the change', 10_000);
    await expect(network.send('box', [{ n: 2 }])).rejects.toBeInstanceOf(RedisEvictionPolicyError);
    await waitUntil(() => reported.some((error) => error instanceof RedisEvictionPolicyError), 'the receiver reported the refusal');
    expect(network.errors).toHaveLength(1);

    await redis.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await network.send('box', [{ n: 3 }]);
    expect(await inbox.waitFor(2, 10_000)).toEqual([{ n: 1 }, { n: 3 }]);
  }, 30_000);

  it('checks every master of a cluster, and names the one that evicts', async () => {
    const cluster = await startRedisCluster(3);
    servers.push(cluster);
    const evicting = cluster.nodes[1] as { host: string; port: number };
    await admin(`redis://${evicting.host}:${String(evicting.port)}`).call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const network = new RedisNetwork({ cluster: cluster.nodes }, { namespace: 'policy' });
    networks.push(network);
    await expect(network.connect()).rejects.toMatchObject({ name: 'RedisEvictionPolicyError', policy: 'allkeys-lru', node: `${evicting.host}:${String(evicting.port)}` });
  }, 60_000);
});
