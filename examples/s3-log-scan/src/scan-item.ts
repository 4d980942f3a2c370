import type { MatchRule } from './match-rule.js';
import type { ScanCounts, ScanFailure } from './object-stats.js';
import type { ObjectRef } from './scan-object.js';

/**
 * One unit of work handed to a thread: some objects of a bucket, and everything needed to scan them.
 * Items carry their settings (not the thread's arguments) because on many machines the threads
 * belong to instruments started with arguments of their own.
 */
export interface ScanItem {
  readonly bucket: string;
  readonly objects: readonly ObjectRef[];
  readonly rule: MatchRule;
  readonly strict: boolean;
  /** The folder of the output files, on the machine that runs the item. */
  readonly out: string;
  /** Objects a thread reads at once (small objects are latency-bound). */
  readonly concurrency: number;
  readonly attempts: number;
  readonly retryDelayMs: number;
}

/** What a thread reports for an item. */
export interface ItemResult {
  readonly counts: ScanCounts;
  readonly failures: readonly ScanFailure[];
  /** The output file the matches went to, if there were any. */
  readonly output?: string;
}

/** How listed objects are grouped into items. */
export interface Grouping {
  /** Most gzipped bytes in one item (an object larger than this is an item of its own). */
  readonly maxBytes: number;
  /** Most objects in one item. */
  readonly maxObjects: number;
}

/**
 * Items of up to 1 MiB gzipped or 64 objects: small objects travel in groups (a thread reads a
 * group's objects several at a time, and the per-item cost vanishes), large ones one to an item, so
 * threads stay balanced down to the last few items.
 */
export const DEFAULT_GROUPING: Grouping = { maxBytes: 1024 * 1024, maxObjects: 64 };

/** Groups objects, in listing order, into runs of at most `maxObjects` objects and (unless one object is larger) `maxBytes` bytes. */
export function groupObjects(objects: readonly ObjectRef[], grouping: Grouping = DEFAULT_GROUPING): ObjectRef[][] {
  const groups: ObjectRef[][] = [];
  let group: ObjectRef[] = [];
  let bytes = 0;
  for (const object of objects) {
    if (group.length > 0 && (group.length >= grouping.maxObjects || bytes + object.size > grouping.maxBytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(object);
    bytes += object.size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
