import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RedisNetwork } from '@orchestra/network-redis';
import { consoleLogger, type Logger } from '@orchestra/core';
import { listObjects } from './list-objects.js';
import { addCounts, zeroCounts, type ScanCounts, type ScanFailure } from './object-stats.js';
import { createS3Client } from './s3-client.js';
import type { ScanConfig } from './scan-config.js';
import { groupObjects, type Grouping, type ScanItem } from './scan-item.js';
import { scanFactory } from './scan-job.js';

/** What a scan found, and how fast. */
export interface ScanSummary extends ScanCounts {
  readonly bucket: string;
  readonly prefix: string;
  readonly errorCode: number;
  /** Objects that could not be read, each after every attempt, in key order. */
  readonly failures: readonly ScanFailure[];
  /** The output files written (on the machines that ran the items). */
  readonly outputs: readonly string[];
  readonly elapsedMs: number;
  /** Uncompressed megabytes (10^6 bytes) scanned per second. */
  readonly mbPerSecond: number;
}

/** How far a scan has got, after each item. */
export interface ScanProgress extends ScanCounts {
  /** Objects listed under the prefix: the total to reach. */
  readonly listed: number;
  readonly elapsedMs: number;
}

/** Hooks and knobs of `runScan` beyond the configuration. */
export interface RunScanOptions {
  /** Called once the listing is known, and after every item. */
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly grouping?: Grouping;
  readonly logger?: Logger;
}

/**
 * Runs a scan: lists every object under the prefix, hands them out in items to the threads (of this
 * machine, or of the Redis network's instruments), and adds up what the items found. Output files
 * of an earlier run in `out` are removed first (on this machine), so the folder holds this run's
 * matches only. Rejects when the listing fails (no bucket, no credentials); an object that cannot be
 * read is a failure in the summary, not an error.
 */
export async function runScan(config: ScanConfig, options: RunScanOptions = {}): Promise<ScanSummary> {
  const started = performance.now();
  const totals = zeroCounts();
  const failures: ScanFailure[] = [];
  const outputs = new Set<string>();
  let listed = 0;
  let listingError: Error | undefined;
  const progress = (): void => options.onProgress?.({ ...totals, listed, elapsedMs: performance.now() - started });

  const manager = async (): Promise<ScanItem[]> => {
    const s3 = createS3Client();
    try {
      const objects = await listObjects(s3, config.bucket, config.prefix);
      listed = objects.length;
      await removeOutputs(config.out);
      progress();
      return groupObjects(objects, options.grouping).map((group) => ({
        bucket: config.bucket,
        objects: group,
        rule: config.rule,
        strict: config.strict,
        out: config.out,
        concurrency: config.concurrency,
        attempts: config.attempts,
        retryDelayMs: config.retryDelayMs,
      }));
    } finally {
      s3.destroy();
    }
  };

  const factory = scanFactory(manager, {
    ...(config.threads === undefined ? {} : { threads: config.threads }),
    ...(config.network === 'redis'
      ? { network: () => new RedisNetwork(config.redisUrl, config.namespace === undefined ? {} : { namespace: config.namespace }) }
      : {}),
    logger: options.logger ?? consoleLogger,
  });
  factory.on('completed', ({ result }) => {
    addCounts(totals, result.counts);
    failures.push(...result.failures);
    if (result.output !== undefined) outputs.add(result.output);
    progress();
  });
  factory.on('error', (error, failed) => {
    if (failed === undefined) {
      listingError ??= error;
      return;
    }
    // The whole item failed (its thread crashed, say): each of its objects is reported.
    for (const object of failed.item.objects) failures.push({ key: object.key, error: error.message, attempts: 1 });
    totals.objects += failed.item.objects.length;
    progress();
  });
  await factory.start();
  if (listingError !== undefined) throw listingError;
  const elapsedMs = performance.now() - started;
  failures.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    bucket: config.bucket,
    prefix: config.prefix,
    errorCode: config.rule.errorCode,
    ...totals,
    failures,
    outputs: [...outputs].sort(),
    elapsedMs,
    mbPerSecond: totals.uncompressedBytes / 1e6 / (elapsedMs / 1000),
  };
}

/** Removes `output-*.ldjson` files an earlier run left in `directory`. */
async function removeOutputs(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  await Promise.all(names.filter((name) => /^output-.*\.ldjson$/.test(name)).map((name) => rm(join(directory, name), { force: true })));
}
