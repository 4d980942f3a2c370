// pnpm scan: the command line of the S3 log scan.
import { UsageError, messageOf } from './errors.js';
import { progressBar } from './progress-bar.js';
import { runScan } from './run-scan.js';
import { SCAN_USAGE, parseScanArgs } from './scan-args.js';
import { summaryText } from './summary-text.js';

async function main(): Promise<number> {
  let command;
  try {
    command = parseScanArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pnpm scan: ${error.message}\n\n${SCAN_USAGE}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${SCAN_USAGE}\n`);
    return 0;
  }
  const bar = progressBar();
  let summary;
  try {
    summary = await runScan(command.config, { onProgress: (progress) => bar.update(progress) });
  } finally {
    bar.stop();
  }
  process.stdout.write(command.json ? `${JSON.stringify(summary)}\n` : `${summaryText(summary)}\n`);
  return summary.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pnpm scan: ${messageOf(error)}\n`);
    process.exitCode = 1;
  },
);
