// The local S3-compatible server, as a process of its own: `node --openssl-legacy-provider
// dist/s3rver-process.js --directory DIR [--port N] [--bucket NAME]... [--latency-ms N]`. It prints
// one JSON line, {"port":N}, once it listens, and stops on SIGTERM or SIGINT. (s3rver encrypts
// listing continuation tokens with DES, which Node 17+ has only with the legacy OpenSSL provider:
// without it, a listing past 1,000 keys fails.)
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values } = parseArgs({
  options: {
    directory: { type: 'string' },
    port: { type: 'string', default: '0' },
    bucket: { type: 'string', multiple: true, default: [] },
    'latency-ms': { type: 'string', default: '0' },
  },
});
if (values.directory === undefined) {
  process.stderr.write('s3rver-process: --directory is required\n');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(values.port),
  silent: true,
  directory: values.directory,
  configureBuckets: values.bucket.map((name) => ({ name })),
});
const latencyMs = Number(values['latency-ms']);
if (latencyMs > 0) {
  // Simulated network latency (the benchmark's stand-in for the way to S3): every request waits
  // this long before s3rver handles it. Koa runs its middleware in array order.
  server.middleware.unshift(async (_ctx: unknown, next: () => Promise<void>) => {
    await sleep(latencyMs);
    await next();
  });
}
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
