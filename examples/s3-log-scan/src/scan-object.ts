import { setTimeout as sleep } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectReadError } from './errors.js';
import { LineScanner } from './line-scanner.js';
import type { MatchRule } from './match-rule.js';
import { zeroCounts, type ScanCounts } from './object-stats.js';

/** An object to scan, as the listing gave it. */
export interface ObjectRef {
  readonly key: string;
  /** Its size in bytes (gzipped). */
  readonly size: number;
}

/** How objects are read. */
export interface ReadOptions {
  readonly rule: MatchRule;
  /** Parse every line, not only those holding the error code's digits. */
  readonly strict: boolean;
  /** Reads of one object before it is reported unreadable. */
  readonly attempts: number;
  /** Wait before the second read, doubled for each later one, in ms. */
  readonly retryDelayMs: number;
}

/** One object scanned: its counts, and the text of each matching record, to be written once the read succeeded. */
export interface ScannedObject {
  readonly counts: ScanCounts;
  readonly matches: string[];
}

/** Opens an object's (gzipped) bytes as a stream. */
export type OpenObject = (key: string) => Promise<Readable>;

/** Opens objects of `bucket` through `s3`. */
export function s3Opener(s3: S3Client, bucket: string): OpenObject {
  return async (key) => {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    // In Node the SDK's body is the HTTP response stream.
    return response.Body as Readable;
  };
}

/**
 * Streams one object through gunzip and the line scanner. A read that fails (the request, the
 * connection, the gzip data) is tried again from the start, up to `attempts` reads in all; matches
 * are kept until a read succeeds, so a retried object never writes a match twice. Throws
 * `ObjectReadError` when every read failed. An object of zero bytes is not fetched: it is empty.
 */
export async function scanObject(object: ObjectRef, open: OpenObject, options: ReadOptions): Promise<ScannedObject> {
  if (object.size === 0) return { counts: { ...zeroCounts(), objects: 1, emptyObjects: 1 }, matches: [] };
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    if (attempt > 1) await sleep(options.retryDelayMs * 2 ** (attempt - 2));
    try {
      return await readOnce(object.key, open, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw new ObjectReadError(object.key, options.attempts, { cause: lastError });
}

async function readOnce(key: string, open: OpenObject, options: ReadOptions): Promise<ScannedObject> {
  const matches: string[] = [];
  const scanner = new LineScanner(options.rule, (line) => matches.push(line), { strict: options.strict });
  let compressedBytes = 0;
  let uncompressedBytes = 0;
  const body = await open(key);
  const counted = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      compressedBytes += chunk.length;
      yield chunk;
    }
  };
  await pipeline(body, counted, createGunzip({ chunkSize: 64 * 1024 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      uncompressedBytes += chunk.length;
      scanner.push(chunk);
    }
    scanner.end();
  });
  const counts: ScanCounts = {
    objects: 1,
    emptyObjects: scanner.lines === 0 ? 1 : 0,
    compressedBytes,
    uncompressedBytes,
    lines: scanner.lines,
    matches: scanner.matches,
    malformed: scanner.malformed,
  };
  return { counts, matches };
}
