import { readFile, writeFile } from 'node:fs/promises';

/** What generated data holds, known as it was written: the answer a scan must give. */
export interface Manifest {
  readonly bucket: string;
  /** The prefix the month's objects share (`2017-11-`). */
  readonly prefix: string;
  readonly errorCode: number;
  /** Under the prefix: */
  readonly objects: number;
  readonly emptyObjects: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly lines: number;
  readonly malformed: number;
  /** Records whose `error` is the number `errorCode`. */
  readonly matches: number;
  /** The matches per day (`2017-11-03`: n), by each record's UTC `time`. */
  readonly matchesByDay: Readonly<Record<string, number>>;
  /** Lines that hold the code's digits without being a match (status 505, "505" in a message, error 5050...). */
  readonly decoyLines: number;
  /** Objects under the prefix that are not gzip: every read fails. */
  readonly unreadable: readonly string[];
  /** Outside the prefix: objects (the days before and after the month) and the matches they hold, which a scan must not count. */
  readonly outside: { readonly objects: number; readonly matches: number };
}

/** The matches between two UTC days, `from` included and `to` excluded (`YYYY-MM-DD`). */
export function matchesBetween(manifest: Manifest, from: string, to: string): number {
  return Object.entries(manifest.matchesByDay)
    .filter(([day]) => day >= from && day < to)
    .reduce((sum, [, count]) => sum + count, 0);
}

export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(path: string): Promise<Manifest> {
  return JSON.parse(await readFile(path, 'utf8')) as Manifest;
}
