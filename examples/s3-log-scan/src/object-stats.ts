/** What scanning some objects found; a scan's totals are the sum over its objects. */
export interface ScanCounts {
  /** Objects listed under the prefix and scanned (or tried). */
  objects: number;
  /** Objects with no lines: zero bytes, or nothing once gunzipped. */
  emptyObjects: number;
  /** Bytes read from S3 (gzipped). */
  compressedBytes: number;
  /** Bytes once gunzipped. */
  uncompressedBytes: number;
  /** Non-blank lines. */
  lines: number;
  /** Records that matched, each written as one line to the output. */
  matches: number;
  /** Lines that are not a JSON object. */
  malformed: number;
}

/** An object that could not be read after every attempt. */
export interface ScanFailure {
  readonly key: string;
  readonly error: string;
  readonly attempts: number;
}

/** Counts of nothing. */
export function zeroCounts(): ScanCounts {
  return { objects: 0, emptyObjects: 0, compressedBytes: 0, uncompressedBytes: 0, lines: 0, matches: 0, malformed: 0 };
}

/** Adds `more` into `into`. */
export function addCounts(into: ScanCounts, more: ScanCounts): void {
  into.objects += more.objects;
  into.emptyObjects += more.emptyObjects;
  into.compressedBytes += more.compressedBytes;
  into.uncompressedBytes += more.uncompressedBytes;
  into.lines += more.lines;
  into.matches += more.matches;
  into.malformed += more.malformed;
}
