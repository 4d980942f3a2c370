import { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client from the standard AWS environment: credentials and region come from the SDK's usual
 * chain (environment, shared config files, instance roles). When `AWS_ENDPOINT_URL` (or
 * `AWS_ENDPOINT_URL_S3`) is set, the SDK sends requests there, and the client uses path-style
 * addressing (`http://host/bucket/key`), which every S3-compatible server understands; virtual-hosted
 * names (`bucket.host`) need DNS that local servers do not have.
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  return new S3Client(endpoint === undefined || endpoint === '' ? {} : { forcePathStyle: true });
}
