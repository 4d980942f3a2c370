import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { messageOf } from './errors.js';
import { listObjects } from './list-objects.js';
import { isMatch, isRecord, type MatchRule } from './match-rule.js';
import { zeroCounts, type ScanCounts, type ScanFailure } from './object-stats.js';

/** What the reference scan found: the counts, and the text of every match in key order. */
export interface ReferenceResult extends ScanCounts {
  readonly matchLines: string[];
  readonly failures: ScanFailure[];
  readonly elapsedMs: number;
}

/**
 * The plain single-threaded scan, the document's code with its bugs fixed: every page of the
 * listing, then one object after another through gunzip and readline, `JSON.parse` on every line.
 * It is the yardstick of the tests (the same answers) and of the benchmark (the same data, one
 * thread). An object that fails is reported, not retried.
 */
export async function referenceScan(s3: S3Client, bucket: string, prefix: string, rule: MatchRule): Promise<ReferenceResult> {
  const started = performance.now();
  const counts = zeroCounts();
  const matchLines: string[] = [];
  const failures: ScanFailure[] = [];
  for (const object of await listObjects(s3, bucket, prefix)) {
    counts.objects += 1;
    if (object.size === 0) {
      counts.emptyObjects += 1;
      continue;
    }
    try {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
      const body = response.Body as Readable;
      const gunzip = createGunzip();
      let uncompressed = 0;
      gunzip.on('data', (chunk: Buffer) => {
        uncompressed += chunk.length;
      });
      body.once('error', (error) => gunzip.destroy(error));
      const lines = createInterface({ input: body.pipe(gunzip), crlfDelay: Infinity });
      let objectLines = 0;
      for await (const raw of lines) {
        const line = raw.trim();
        if (line === '') continue;
        objectLines += 1;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          counts.malformed += 1;
          continue;
        }
        if (!isRecord(record)) counts.malformed += 1;
        else if (isMatch(record, rule)) matchLines.push(line);
      }
      counts.lines += objectLines;
      if (objectLines === 0) counts.emptyObjects += 1;
      counts.compressedBytes += object.size;
      counts.uncompressedBytes += uncompressed;
    } catch (error) {
      failures.push({ key: object.key, error: messageOf(error), attempts: 1 });
    }
  }
  counts.matches = matchLines.length;
  return { ...counts, matchLines, failures, elapsedMs: performance.now() - started };
}
