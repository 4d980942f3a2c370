import { isMainThread } from 'node:worker_threads';
import { S3Client } from '@aws-sdk/client-s3';

const SDK_WARNING_OFF = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
let noted = false;

/**
 * On Node 20 the SDK warns, in nine lines, that its releases after the first week of January 2027 need
 * Node 22, and does so once per copy of the SDK loaded: once per worker thread. The main process says it
 * once, in one line, instead; threads say nothing. Set the SDK's own variable to hear nothing at all.
 */
function quietSdkVersionWarning(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (isMainThread && !noted && major < 22 && process.env[SDK_WARNING_OFF] !== 'true') {
    console.error(`Note: AWS SDK releases after the first week of January 2027 need Node 22 or later (this is Node ${process.version}).`);
  }
  noted = true;
  // A thread's process.env is its own copy; in the main process this also reaches threads made later.
  process.env[SDK_WARNING_OFF] ??= 'true';
}

/**
 * An S3 client from the standard AWS environment: credentials and region come from the SDK's usual
 * chain (environment, shared config files, instance roles). When `AWS_ENDPOINT_URL` (or
 * `AWS_ENDPOINT_URL_S3`) is set, the SDK sends requests there, and the client uses path-style
 * addressing (`http://host/bucket/key`), which every S3-compatible server understands; virtual-hosted
 * names (`bucket.host`) need DNS that local servers do not have.
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  quietSdkVersionWarning();
  const endpoint = env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  return new S3Client(endpoint === undefined || endpoint === '' ? {} : { forcePathStyle: true });
}
