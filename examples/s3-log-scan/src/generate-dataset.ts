import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { datasetObjects, type DatasetSpec } from './dataset.js';
import type { Manifest } from './manifest.js';

/**
 * Writes a dataset into `bucket` (created if it is missing), `concurrency` uploads at a time, and
 * returns its manifest: what a scan of the month's prefix must find.
 */
export async function generateDataset(s3: S3Client, bucket: string, spec: DatasetSpec, concurrency = 16): Promise<Manifest> {
  await createBucket(s3, bucket);
  let objects = 0;
  let emptyObjects = 0;
  let compressedBytes = 0;
  let uncompressedBytes = 0;
  let lines = 0;
  let malformed = 0;
  let matches = 0;
  let decoyLines = 0;
  const matchesByDay: Record<string, number> = {};
  const unreadable: string[] = [];
  const outside = { objects: 0, matches: 0 };
  const pending = datasetObjects(spec);
  const uploader = async (): Promise<void> => {
    for (let next = pending.next(); next.done !== true; next = pending.next()) {
      const object = await next.value();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body, ContentType: 'application/gzip' }));
      if (!object.inPrefix) {
        outside.objects += 1;
        outside.matches += object.matches;
        continue;
      }
      objects += 1;
      compressedBytes += object.body.length;
      if (!object.readable) {
        unreadable.push(object.key);
        continue;
      }
      if (object.lines === 0) emptyObjects += 1;
      uncompressedBytes += object.uncompressedBytes;
      lines += object.lines;
      malformed += object.malformed;
      matches += object.matches;
      decoyLines += object.decoys;
      if (object.matches > 0) matchesByDay[object.day] = (matchesByDay[object.day] ?? 0) + object.matches;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, uploader));
  return {
    bucket,
    prefix: `${spec.month}-`,
    errorCode: spec.errorCode,
    objects,
    emptyObjects,
    compressedBytes,
    uncompressedBytes,
    lines,
    malformed,
    matches,
    matchesByDay: Object.fromEntries(Object.entries(matchesByDay).sort(([a], [b]) => (a < b ? -1 : 1))),
    decoyLines,
    unreadable: unreadable.sort(),
    outside,
  };
}

async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}
