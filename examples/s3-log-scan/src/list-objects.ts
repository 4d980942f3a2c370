import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef } from './scan-object.js';

/** Every object under `prefix`, all pages of the listing (S3 returns at most 1,000 keys a page), in key order. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ObjectRef[]> {
  const objects: ObjectRef[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const entry of page.Contents ?? []) {
      if (entry.Key !== undefined) objects.push({ key: entry.Key, size: entry.Size ?? 0 });
    }
  }
  return objects;
}
