// pnpm bench: the same objects scanned by Orchestra (every thread) and by the plain single-threaded
// scan, in the same run, against a local S3-compatible server: MB/s and the speedup, for many small
// objects (latency-bound) and for a few large ones (CPU-bound: gunzip and JSON.parse).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DATASET, type DatasetSpec } from './dataset.js';
import { ManifestMismatchError } from './errors.js';
import type { Manifest } from './manifest.js';
import { generateDataset } from './generate-dataset.js';
import { startLocalS3 } from './local-s3.js';
import { referenceScan } from './reference-scan.js';
import { runScan } from './run-scan.js';
import { createS3Client } from './s3-client.js';
import { SCAN_DEFAULTS } from './scan-config.js';
import { formatBytes } from './summary-text.js';

const threads = Number(process.env['BENCH_THREADS'] ?? 2);
const scale = Number(process.env['BENCH_SCALE'] ?? 1);
const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 10);

interface Case {
  readonly name: string;
  readonly bucket: string;
  readonly spec: DatasetSpec;
  /** Scan only this prefix (default: the month's). */
  readonly prefix?: string;
  /** Through the server that delays every request. */
  readonly latency?: boolean;
}

const small: DatasetSpec = { ...DEMO_DATASET, days: 30, objectsPerDay: Math.round(40 * scale), linesPerObject: 100, seed: 1 };
const cases: Case[] = [
  { name: 'small objects', bucket: 'small', spec: small },
  // The same objects, each request delayed as by the network to S3 (the single thread waits out every one).
  { name: `small, +${latencyMs} ms`, bucket: 'small', spec: small, latency: true },
  // A few objects of about 140 MB each (the thread-factory document's files are 500 MB).
  { name: 'large objects', bucket: 'large', spec: { ...DEMO_DATASET, days: 4, objectsPerDay: 1, linesPerObject: Math.round(800_000 * scale), seed: 2 } },
];

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const data = await mkdtemp(join(tmpdir(), 'orchestra-bench-s3-'));
const out = await mkdtemp(join(tmpdir(), 'orchestra-bench-out-'));
const direct = await startLocalS3({ directory: data });
// A second server on the same files, which delays every request.
const delayed = await startLocalS3({ directory: data, latencyMs });
const rows: string[] = [];
const manifests = new Map<string, Manifest>();
try {
  for (const test of cases) {
    Object.assign(process.env, test.latency === true ? delayed.env : direct.env);
    const s3 = createS3Client();
    try {
      let manifest = manifests.get(test.bucket);
      if (manifest === undefined) {
        process.stdout.write(`${test.bucket}: generating... `);
        manifest = await generateDataset(s3, test.bucket, test.spec);
        manifests.set(test.bucket, manifest);
        process.stdout.write(`${manifest.objects} objects, ${formatBytes(manifest.compressedBytes)} gzipped, ${formatBytes(manifest.uncompressedBytes)}\n`);
      }
      const prefix = test.prefix ?? manifest.prefix;
      const rule = { errorCode: manifest.errorCode };
      // Warm-up of the single thread (the JIT, the connection) on one day, so it is measured at its best.
      await referenceScan(s3, test.bucket, `${manifest.prefix}01`, rule);
      const reference = await referenceScan(s3, test.bucket, prefix, rule);
      const orchestra = await runScan({ ...SCAN_DEFAULTS, bucket: test.bucket, prefix, rule, out, threads, network: 'mem' });
      if (reference.matches !== orchestra.matches || (test.prefix === undefined && orchestra.matches !== manifest.matches)) {
        throw new ManifestMismatchError(`${test.name}: matches differ: manifest ${manifest.matches}, reference ${reference.matches}, orchestra ${orchestra.matches}`);
      }
      const referenceMbps = reference.uncompressedBytes / 1e3 / reference.elapsedMs;
      rows.push(
        [
          test.name.padEnd(16),
          String(orchestra.objects).padStart(7),
          formatBytes(orchestra.uncompressedBytes).padStart(9),
          `${referenceMbps.toFixed(1)} MB/s`.padStart(14),
          `${orchestra.mbPerSecond.toFixed(1)} MB/s`.padStart(14),
          `${(orchestra.mbPerSecond / referenceMbps).toFixed(2)}x`.padStart(8),
        ].join('  '),
      );
    } finally {
      s3.destroy();
    }
  }
} finally {
  await delayed.stop();
  await direct.stop();
  await rm(data, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
}
process.stdout.write(`\nOrchestra on ${threads} threads against the plain single-threaded scan: same objects, same run, s3rver on this machine\n`);
process.stdout.write(`${['case'.padEnd(16), 'objects'.padStart(7), 'data'.padStart(9), 'single thread'.padStart(14), 'Orchestra'.padStart(14), 'speedup'.padStart(8)].join('  ')}\n`);
process.stdout.write(`${rows.join('\n')}\n`);
