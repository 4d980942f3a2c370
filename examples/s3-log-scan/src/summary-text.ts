import type { Manifest } from './manifest.js';
import type { ScanSummary } from './run-scan.js';

/** Bytes in the largest unit that keeps the number above 1 (decimal units, as MB/s). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A count with thousands separators: 1,202. */
function n(value: number): string {
  return value.toLocaleString('en-US');
}

/** The summary as lines of text for a terminal. */
export function summaryText(summary: ScanSummary): string {
  const lines = [
    `Scanned s3://${summary.bucket}/${summary.prefix} for error ${summary.errorCode}`,
    `  objects       ${n(summary.objects)} (${n(summary.emptyObjects)} empty)`,
    `  compressed    ${formatBytes(summary.compressedBytes)}`,
    `  uncompressed  ${formatBytes(summary.uncompressedBytes)}`,
    `  lines         ${n(summary.lines)}`,
    `  matches       ${n(summary.matches)}`,
    `  malformed     ${n(summary.malformed)} lines`,
    `  failures      ${n(summary.failures.length)} objects unreadable`,
    `  time          ${(summary.elapsedMs / 1000).toFixed(2)} s`,
    `  speed         ${summary.mbPerSecond.toFixed(1)} MB/s (uncompressed)`,
  ];
  for (const failure of summary.failures) lines.push(`  unreadable: ${failure.key} (${failure.attempts} attempts): ${failure.error}`);
  if (summary.outputs.length > 0) lines.push(`  output        ${summary.outputs.join(', ')}`);
  return lines.join('\n');
}

/** One line about generated data. */
export function generatedText(manifest: Manifest, seconds: number): string {
  return (
    `Generated s3://${manifest.bucket}/${manifest.prefix}: ${n(manifest.objects)} objects, ` +
    `${formatBytes(manifest.compressedBytes)} gzipped (${formatBytes(manifest.uncompressedBytes)}), ${n(manifest.lines)} lines, ` +
    `${n(manifest.matches)} errors ${manifest.errorCode}, in ${seconds.toFixed(1)} s`
  );
}
