import { readFile } from 'node:fs/promises';
import { isMatch, type MatchRule } from './match-rule.js';
import type { Manifest } from './manifest.js';
import type { ScanSummary } from './run-scan.js';

/** One way a scan differs from its manifest. */
export interface Difference {
  readonly what: string;
  readonly expected: number;
  readonly found: number;
}

/**
 * Compares a scan of the manifest's whole prefix (no time window) with the manifest: every count,
 * the unreadable objects, and the output files, which must hold exactly `matches` lines, each a
 * match. Returns the differences (none when the scan is right).
 */
export async function checkAgainstManifest(summary: ScanSummary, manifest: Manifest, rule: MatchRule): Promise<Difference[]> {
  let written = 0;
  let wrong = 0;
  for (const path of summary.outputs) {
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (line === '') continue;
      written += 1;
      if (!isMatch(JSON.parse(line), rule)) wrong += 1;
    }
  }
  const pairs: [string, number, number][] = [
    ['objects', manifest.objects, summary.objects],
    ['empty objects', manifest.emptyObjects, summary.emptyObjects],
    ['uncompressed bytes', manifest.uncompressedBytes, summary.uncompressedBytes],
    ['lines', manifest.lines, summary.lines],
    ['malformed lines', manifest.malformed, summary.malformed],
    ['matches', manifest.matches, summary.matches],
    ['lines in the output files', manifest.matches, written],
    ['output lines that are not matches', 0, wrong],
    ['unreadable objects', manifest.unreadable.length, summary.failures.length],
  ];
  return pairs.filter(([, expected, found]) => expected !== found).map(([what, expected, found]) => ({ what, expected, found }));
}
