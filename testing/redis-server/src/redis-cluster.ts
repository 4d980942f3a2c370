import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisServerUnavailableError } from './redis-server-unavailable-error.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

const run = promisify(execFile);

/** A private Redis Cluster of master nodes on free ports. */
export interface RedisCluster {
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** Stops every node and removes their folders. */
  stop(): Promise<void>;
}

/**
 * Starts `size` (at least 3) redis-servers in cluster mode, joins them with `redis-cli --cluster
 * create` (slots spread evenly, no replicas), and waits until every node reports the cluster ok.
 */
export async function startRedisCluster(size = 3, timeoutMs = 20_000): Promise<RedisCluster> {
  const servers: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let i = 0; i < size; i += 1) {
      servers.push(
        await startRedisServer({ url: undefined, args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${String(server.port)}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']).catch((error: unknown) => {
      throw new RedisServerUnavailableError('redis-cli --cluster create failed (redis-cli comes with Redis: install redis-tools or redis)', { cause: error });
    });
    const deadline = Date.now() + timeoutMs;
    for (const server of servers) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(server.port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new RedisServerUnavailableError(`The cluster did not become ok within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), stop };
}
