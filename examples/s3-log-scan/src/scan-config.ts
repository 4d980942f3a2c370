import type { MatchRule } from './match-rule.js';

/** Everything a scan needs; the command line (`parseScanArgs`) makes one. */
export interface ScanConfig {
  readonly bucket: string;
  /** Only keys starting with this are scanned (`''` scans the whole bucket). */
  readonly prefix: string;
  readonly rule: MatchRule;
  /** Output folder (on each machine that runs items). */
  readonly out: string;
  /** Threads on this machine; with the Redis network the instruments decide. Default: the machine's cores. */
  readonly threads?: number;
  /** Where items run: `mem` (this machine, in this process) or `redis` (the instruments of a Redis network). */
  readonly network: 'mem' | 'redis';
  readonly redisUrl?: string;
  readonly namespace?: string;
  /** Parse every line (exact malformed count; slower). */
  readonly strict: boolean;
  /** Objects a thread reads at once. */
  readonly concurrency: number;
  /** Reads of an object before it is reported unreadable. */
  readonly attempts: number;
  readonly retryDelayMs: number;
}

/** The defaults of the optional settings. */
export const SCAN_DEFAULTS = {
  errorCode: 505,
  out: 'output',
  network: 'mem',
  strict: false,
  concurrency: 8,
  attempts: 3,
  retryDelayMs: 200,
} as const;
