import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { checkAgainstManifest } from '../src/check-manifest.js';
import { DEMO_DATASET } from '../src/dataset.js';
import { generateDataset } from '../src/generate-dataset.js';
import { startLocalS3, type LocalS3 } from '../src/local-s3.js';
import { matchesBetween, type Manifest } from '../src/manifest.js';
import { referenceScan, type ReferenceResult } from '../src/reference-scan.js';
import { runScan, type ScanSummary } from '../src/run-scan.js';
import { createS3Client } from '../src/s3-client.js';
import { SCAN_DEFAULTS, type ScanConfig } from '../src/scan-config.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const orchestraBin = join(dirname(createRequire(import.meta.url).resolve('@orchestra/cli/package.json')), 'bin', 'orchestra.js');
const rule = { errorCode: 505 };

let s3server: LocalS3;
let manifest: Manifest;
let reference: ReferenceResult;
let work: string;

/** Every line of the scan's output files, sorted. */
async function outputLines(summary: ScanSummary): Promise<string[]> {
  const lines: string[] = [];
  for (const path of summary.outputs) lines.push(...(await readFile(path, 'utf8')).split('\n').filter((line) => line !== ''));
  return lines.sort();
}

function config(out: string, more: Partial<ScanConfig> = {}): ScanConfig {
  return { ...SCAN_DEFAULTS, bucket: 'logs', prefix: manifest.prefix, rule, out: join(work, out), network: 'mem', ...more };
}


/** Runs a program to its end: its exit code and output. */
function run(args: readonly string[], env: Record<string, string>, unset: readonly string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of unset) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: exampleDir, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  work = await mkdtemp(join(tmpdir(), 's3-log-scan-test-'));
  s3server = await startLocalS3();
  Object.assign(process.env, s3server.env);
  const s3 = createS3Client();
  try {
    // 30 days of 35 small objects: 1,050 keys under the prefix (two listing pages), with decoy days
    // outside it, two empty objects, malformed and decoy lines, and one object that is not gzip.
    manifest = await generateDataset(s3, 'logs', { ...DEMO_DATASET, days: 30, objectsPerDay: 35, linesPerObject: 30, matchRate: 0.02, malformedRate: 0.01, decoyRate: 0.05, unreadable: 1, seed: 6 });
    reference = await referenceScan(s3, 'logs', manifest.prefix, rule);
  } finally {
    s3.destroy();
  }
}, 120_000);

afterAll(async () => {
  await s3server.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the generated data', () => {
  it('has what the tests need: more than 1,000 keys, decoys, malformed lines, empty objects, one unreadable object', () => {
    expect(manifest.objects).toBeGreaterThan(1000);
    expect(manifest.outside.matches).toBeGreaterThan(0);
    expect(manifest.decoyLines).toBeGreaterThan(0);
    expect(manifest.malformed).toBeGreaterThan(0);
    expect(manifest.emptyObjects).toBe(2);
    expect(manifest.unreadable).toHaveLength(1);
  });

  it('gives the plain single-threaded reference scan exactly the manifest', () => {
    expect(reference).toMatchObject({ objects: manifest.objects, emptyObjects: manifest.emptyObjects, lines: manifest.lines, malformed: manifest.malformed, matches: manifest.matches });
    expect(reference.failures.map((failure) => failure.key)).toEqual(manifest.unreadable);
  });
});

/** `pnpm scan --json` in a process of its own (worker threads copy the real environment, which a jest test cannot change), to its end. */
async function scan(out: string, more: readonly string[] = []): Promise<{ code: number | null; summary: ScanSummary; stderr: string }> {
  const args = ['dist/scan.js', '--bucket', 'logs', '--prefix', manifest.prefix, '--out', join(work, out), '--json', ...more];
  // As a user runs it: without the variable that silences the SDK's Node version warning.
  const result = await run(args, s3server.env, ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']);
  if (result.stdout === '') throw new Error(`pnpm scan printed nothing (exit ${result.code}): ${result.stderr}`);
  return { code: result.code, summary: JSON.parse(result.stdout) as ScanSummary, stderr: result.stderr };
}

describe('pnpm scan on this machine', () => {
  it('finds exactly the manifest, equal to the reference scan line for line, reports the unreadable object after 3 reads, exits 1 for it', async () => {
    const { code, summary, stderr } = await scan('mem', ['--threads', '2']);
    expect(await checkAgainstManifest(summary, manifest, rule)).toEqual([]);
    expect(await outputLines(summary)).toEqual([...reference.matchLines].sort());
    expect(summary.outputs.length).toBe(2);
    expect(summary.failures).toEqual([{ key: manifest.unreadable[0], attempts: 3, error: expect.stringMatching(/header/) }]);
    expect(code).toBe(1);
    // stderr is not a terminal here: no progress bar. On Node 20, one line about the SDK's Node versions
    // (the SDK's own nine-line warning, once per thread, stays quiet); on Node 22 and later, nothing.
    const node20 = Number(process.versions.node.split('.')[0]) < 22;
    expect(stderr).toBe(node20 ? `Note: AWS SDK releases after the first week of January 2027 need Node 22 or later (this is Node ${process.version}).\n` : '');
  }, 60_000);

  it('with --from and --to finds the window’s matches only', async () => {
    const from = '2017-11-03';
    const to = '2017-11-10';
    const { summary } = await scan('window', ['--from', from, '--to', to]);
    const inWindow = reference.matchLines.filter((line) => {
      const day = (JSON.parse(line) as { time: string }).time.slice(0, 10);
      return day >= from && day < to;
    });
    expect(summary.matches).toBe(matchesBetween(manifest, from, to));
    expect(summary.matches).toBe(inWindow.length);
    expect(summary.matches).toBeGreaterThan(0);
    expect(summary.matches).toBeLessThan(manifest.matches);
    expect(await outputLines(summary)).toEqual(inWindow.sort());
  }, 60_000);

  it('exits 2 with a clear message for a bad command line', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--bucket is required/],
      [['--bucket', 'logs', '--network', 'carrier-pigeon'], /--network must be mem or redis/],
      [['--bucket', 'logs', '--from', 'last tuesday'], /--from must be an ISO 8601 time/],
      [['--bucket', 'logs', '--threads', '0'], /--threads must be at least 1/],
      [['--bucket', 'logs', '--colour'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const result = await run(['dist/scan.js', ...args], s3server.env);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    }
  }, 60_000);

  it('exits 1 naming the problem when the bucket does not exist', async () => {
    const result = await run(['dist/scan.js', '--bucket', 'no-such-bucket', '--out', join(work, 'none')], s3server.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bucket does not exist/i);
  }, 60_000);
});

describe('many machines: the scan over Redis, a composer and an instrument in processes of their own', () => {
  let redis: RedisServer;
  const roles: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(
      roles.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await redis.stop();
  });

  it('finds exactly the manifest, the items run on the instrument', async () => {
    const env = { ...process.env, ...s3server.env, ORCHESTRA_REDIS_URL: redis.url, ORCHESTRA_NAMESPACE: 'scan' };
    const start = (args: string[]): void => {
      roles.push(spawn(process.execPath, [orchestraBin, ...args], { cwd: work, env, stdio: 'ignore' }));
    };
    start(['composer']);
    start(['instrument', '--workspace', join(exampleDir, 'dist'), '--threads', '2']);
    const instrumentPid = roles[1]?.pid;
    const summary = await runScan(config('redis', { network: 'redis', redisUrl: redis.url, namespace: 'scan' }));
    expect(await checkAgainstManifest(summary, manifest, rule)).toEqual([]);
    expect(summary.outputs.length).toBeGreaterThan(0);
    for (const output of summary.outputs) expect(output).toContain(`output-${instrumentPid}-`);
  }, 90_000);
});

describe('pnpm generate and pnpm demo', () => {
  it('generate writes the objects and a manifest that the reference scan agrees with', async () => {
    const manifestPath = join(work, 'generated.json');
    const result = await run(['dist/generate.js', '--bucket', 'generated', '--manifest', manifestPath, '--days', '2', '--objects-per-day', '3', '--lines-per-object', '50'], s3server.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Generated s3:\/\/generated\/2017-11-: 8 objects/);
    const generated = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    const s3 = createS3Client();
    try {
      const scanned = await referenceScan(s3, 'generated', generated.prefix, rule);
      expect(scanned).toMatchObject({ objects: generated.objects, lines: generated.lines, malformed: generated.malformed, matches: generated.matches });
    } finally {
      s3.destroy();
    }
    const bad = await run(['dist/generate.js', '--bucket', 'generated', '--days', '31', '--month', '2017-11'], s3server.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/2017-11 has 30 days/);
  }, 60_000);

  it('demo starts its own S3, scans, and says the matches equal the manifest', async () => {
    const result = await run(['dist/demo.js', '--days', '3', '--objects-per-day', '4', '--out', join(work, 'demo')], {});
    expect(result.code).toBe(0);
    const manifestOfDemo = JSON.parse(await readFile(join(work, 'demo', 'manifest.json'), 'utf8')) as Manifest;
    expect(result.stdout).toContain(`Matches equal the manifest: ${manifestOfDemo.matches.toLocaleString('en-US')} errors 505`);
  }, 60_000);
});
