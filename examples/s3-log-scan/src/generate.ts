// pnpm generate: writes a month of generated logs into a bucket, and their manifest into a file.
import { parseArgs } from 'node:util';
import { DATASET_OPTIONS, DATASET_USAGE, datasetFromArgs } from './dataset-args.js';
import { UsageError, messageOf } from './errors.js';
import { generateDataset } from './generate-dataset.js';
import { writeManifest } from './manifest.js';
import { createS3Client } from './s3-client.js';
import { generatedText } from './summary-text.js';

const USAGE = `Usage: pnpm generate --bucket NAME [options]

Writes a month of gzipped ld-json logs (keys YYYY-MM-DD/app-NNNN.ldjson.gz), with decoy days outside
the month, empty objects and malformed lines, into the bucket (created if missing), and the counts a
scan of the month must find into a manifest. S3 comes from the standard AWS environment.

  --bucket NAME            The bucket (required)
  --manifest FILE          Where the manifest goes (default manifest.json)
${DATASET_USAGE}`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { bucket: { type: 'string' }, manifest: { type: 'string', default: 'manifest.json' }, help: { type: 'boolean' }, ...DATASET_OPTIONS } }));
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.bucket === undefined || values.bucket === '') throw new UsageError('--bucket is required');
  const spec = datasetFromArgs(values);
  const s3 = createS3Client();
  const started = performance.now();
  try {
    const manifest = await generateDataset(s3, values.bucket, spec);
    await writeManifest(values.manifest, manifest);
    process.stdout.write(`${generatedText(manifest, (performance.now() - started) / 1000)}; manifest: ${values.manifest}\n`);
  } finally {
    s3.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`pnpm generate: ${messageOf(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
