import { isMainThread } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { ThreadFactory, type FactoryOptions, type Resume } from '@orchestra/factory';
import { ObjectReadError, messageOf } from './errors.js';
import { addCounts, zeroCounts, type ScanFailure } from './object-stats.js';
import { OutputFile } from './output-file.js';
import { createS3Client } from './s3-client.js';
import { s3Opener, scanObject } from './scan-object.js';
import type { ItemResult, ScanItem } from './scan-item.js';

// This file holds the ThreadFactory spec: every worker thread loads it, and building the factory
// there registers the worker functions below. The manager (listing and grouping the objects) is
// given by the program that builds the factory in the main thread.

/**
 * This file as built, which the threads load (and which instruments on other machines must have in
 * their workspace). Resolved from this file's folder, so it names dist/scan-job.js from dist/ and
 * from src/ too (the tests run the source; threads run JavaScript).
 */
export const SCAN_JOB_FILE = fileURLToPath(new URL('../dist/scan-job.js', import.meta.url));

let s3: S3Client | undefined;
const outputs = new Map<string, OutputFile>();

/** Once per thread: one S3 client (and its pool of kept-alive connections) for all the thread's items. */
function workerStartup(): Promise<void> {
  s3 = createS3Client();
  return Promise.resolve();
}

/** Scans an item's objects, `concurrency` at a time, and appends each object's matches once it was read whole. */
async function workerProcess(item: ScanItem, resume: Resume): Promise<ItemResult> {
  s3 ??= createS3Client();
  const open = s3Opener(s3, item.bucket);
  let output = outputs.get(item.out);
  if (output === undefined) {
    output = new OutputFile(item.out, resume.id);
    outputs.set(item.out, output);
  }
  const file = output;
  const counts = zeroCounts();
  const failures: ScanFailure[] = [];
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < item.objects.length) {
      const object = item.objects[next++]!;
      try {
        const scanned = await scanObject(object, open, item);
        await file.append(scanned.matches);
        addCounts(counts, scanned.counts);
      } catch (error) {
        counts.objects += 1;
        const attempts = error instanceof ObjectReadError ? error.attempts : 1;
        const reason = error instanceof ObjectReadError ? messageOf(error.cause) : messageOf(error);
        failures.push({ key: object.key, error: reason, attempts });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(item.concurrency, item.objects.length) }, runner));
  return counts.matches > 0 ? { counts, failures, output: file.path } : { counts, failures };
}

/** Once per thread, after its last item: closes the output files and the S3 client. */
async function workerFinish(): Promise<void> {
  await Promise.all([...outputs.values()].map((output) => output.close()));
  outputs.clear();
  s3?.destroy();
  s3 = undefined;
}

/** The scan's ThreadFactory: `manager` lists the items; the worker functions are this file's. */
export function scanFactory(manager: () => Promise<ScanItem[]>, options: Omit<FactoryOptions, 'file'> = {}): ThreadFactory<ScanItem, ItemResult> {
  return new ThreadFactory<ScanItem, ItemResult>({ manager, workerStartup, workerProcess, workerFinish }, { ...options, file: SCAN_JOB_FILE });
}

// In a thread, loading this file registers the worker functions.
if (!isMainThread) scanFactory(() => Promise.resolve([]));
