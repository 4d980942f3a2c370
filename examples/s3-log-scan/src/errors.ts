/** A command line the scan (or the generator) cannot run with: a missing or malformed option. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'S3_SCAN_USAGE';
}

/** An object that could not be read (listed, fetched, or gunzipped) after every attempt. */
export class ObjectReadError extends Error {
  override readonly name = 'ObjectReadError';
  readonly code = 'S3_SCAN_OBJECT_UNREADABLE';
  constructor(
    readonly key: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(`${key}: unreadable after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${messageOf(options.cause)}`, options);
  }
}

/** The demo's scan found something other than what the manifest says the data holds. */
export class ManifestMismatchError extends Error {
  override readonly name = 'ManifestMismatchError';
  readonly code = 'S3_SCAN_MANIFEST_MISMATCH';
}

/** The local S3-compatible server did not start. */
export class LocalS3Error extends Error {
  override readonly name = 'LocalS3Error';
  readonly code = 'S3_SCAN_LOCAL_S3';
}

/** A thrown value's message, whatever was thrown. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
