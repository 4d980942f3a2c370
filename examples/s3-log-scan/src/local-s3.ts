import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LocalS3Error } from './errors.js';

// Resolved from this file's folder so it names the built entry from dist/ and from src/ (the tests run the source).
const entry = fileURLToPath(new URL('../dist/s3rver-process.js', import.meta.url));

/** A running local S3-compatible server (s3rver) and the environment that points the AWS SDK at it. */
export interface LocalS3 {
  readonly endpoint: string;
  /** AWS_ENDPOINT_URL, AWS_REGION and s3rver's fixed credentials: merge into `process.env` or a child's env. */
  readonly env: Readonly<Record<string, string>>;
  /** Ends the server and, unless a directory was given, removes its data. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver in a child process (with `--openssl-legacy-provider`, which its listings need to
 * page past 1,000 keys), on a free port, storing objects in `directory` (default: a new temporary
 * folder, removed by `stop()`), with the given buckets created. `latencyMs` delays every request
 * (a stand-in for the network between a program and S3).
 */
export async function startLocalS3(options: { buckets?: readonly string[]; directory?: string; latencyMs?: number } = {}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'orchestra-s3-')));
  const args = ['--openssl-legacy-provider', entry, '--directory', directory];
  for (const bucket of options.buckets ?? []) args.push('--bucket', bucket);
  if (options.latencyMs !== undefined) args.push('--latency-ms', String(options.latencyMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      let parsed: { port?: unknown } = {};
      try {
        parsed = JSON.parse(line) as { port?: unknown };
      } catch {
        // Not the port line: reported below.
      }
      if (typeof parsed.port === 'number') resolve(parsed.port);
      else reject(new LocalS3Error(`s3rver said "${line}" instead of its port`));
    });
    child.once('exit', (code) => reject(new LocalS3Error(`s3rver exited (code ${code}) before it listened`)));
    child.once('error', (error) => reject(new LocalS3Error(`s3rver did not start: ${error.message}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (options.directory === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
}
