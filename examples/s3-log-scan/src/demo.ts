// pnpm demo: the whole S3 log scan with no AWS account. It starts a local S3-compatible server
// (s3rver, in a child process), generates a month of logs into it with their manifest, scans them on
// every core, checks what the scan found against the manifest, and prints the summary.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkAgainstManifest } from './check-manifest.js';
import { DATASET_OPTIONS, DATASET_USAGE, datasetFromArgs } from './dataset-args.js';
import { ManifestMismatchError, UsageError, messageOf } from './errors.js';
import { generateDataset } from './generate-dataset.js';
import { integerOption } from './integer-option.js';
import { startLocalS3 } from './local-s3.js';
import { writeManifest } from './manifest.js';
import { progressBar } from './progress-bar.js';
import { runScan } from './run-scan.js';
import { createS3Client } from './s3-client.js';
import { SCAN_DEFAULTS } from './scan-config.js';
import { generatedText, summaryText } from './summary-text.js';

const USAGE = `Usage: pnpm demo [options]

Starts a local S3-compatible server, generates a month of logs into it, scans them for error 505 on
every core, and checks the result against the generator's manifest. No AWS account needed.

  --out DIR                Where the matches and the manifest go (default demo-output)
  --threads N              Worker threads (default: the machine's cores)
${DATASET_USAGE}`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string', default: 'demo-output' }, threads: { type: 'string' }, help: { type: 'boolean' }, ...DATASET_OPTIONS } }));
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const spec = datasetFromArgs(values);
  const threads = integerOption('--threads', values.threads, availableParallelism(), 1);
  // The SDK's notice that its 2027 releases will need Node 22 says nothing about this demo.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

  const started = performance.now();
  const s3server = await startLocalS3({ buckets: ['logs'] });
  try {
    // The local server for this process and for the scan's threads (which copy the environment when they start).
    Object.assign(process.env, s3server.env);
    process.stdout.write(`Local S3 (s3rver) at ${s3server.endpoint}\n`);
    const s3 = createS3Client();
    const manifest = await generateDataset(s3, 'logs', spec).finally(() => s3.destroy());
    await mkdir(values.out, { recursive: true });
    const manifestPath = join(values.out, 'manifest.json');
    await writeManifest(manifestPath, manifest);
    process.stdout.write(`${generatedText(manifest, (performance.now() - started) / 1000)}; manifest: ${manifestPath}\n`);
    process.stdout.write(`Scanning for error ${manifest.errorCode} on ${threads} threads...\n`);
    const rule = { errorCode: manifest.errorCode };
    const bar = progressBar();
    const summary = await runScan(
      { ...SCAN_DEFAULTS, bucket: 'logs', prefix: manifest.prefix, rule, out: values.out, threads, network: 'mem' },
      { onProgress: (progress) => bar.update(progress) },
    ).finally(() => bar.stop());
    process.stdout.write(`${summaryText(summary)}\n`);
    const differences = await checkAgainstManifest(summary, manifest, rule);
    if (differences.length > 0) {
      const list = differences.map((d) => `${d.what}: manifest ${d.expected}, scan ${d.found}`).join('; ');
      throw new ManifestMismatchError(`the scan does not match the manifest: ${list}`);
    }
    process.stdout.write(
      `Matches equal the manifest: ${summary.matches.toLocaleString('en-US')} errors ${manifest.errorCode} ` +
        `(and ${manifest.outside.matches} outside the prefix, ${manifest.decoyLines} decoy lines, ${manifest.malformed} malformed lines, ` +
        `${manifest.emptyObjects} empty objects, all as the manifest says). Demo done in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    return 0;
  } finally {
    await s3server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pnpm demo: ${messageOf(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
