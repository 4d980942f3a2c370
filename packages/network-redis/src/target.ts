import { isClusterConnection, type RedisConnection } from './connection-options.js';

/** Where a network connects, for messages: the URL without its password, host:port, or the cluster's nodes. */
export function describeTarget(connection: RedisConnection): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      if (url.password !== '') url.password = '***';
      return url.toString();
    } catch {
      return '(an invalid URL)';
    }
  }
  if (isClusterConnection(connection)) {
    const nodes = connection.cluster.map((node) => (typeof node === 'object' ? `${node.host ?? '127.0.0.1'}:${String(node.port ?? 6379)}` : String(node)));
    return `cluster ${nodes.join(', ')}`;
  }
  if (connection.sentinels !== undefined) return `sentinels for ${connection.name ?? '(unnamed master)'}`;
  if (connection.path !== undefined) return connection.path;
  const scheme = connection.tls === undefined ? 'redis' : 'rediss';
  return `${scheme}://${connection.host ?? '127.0.0.1'}:${String(connection.port ?? 6379)}`;
}
