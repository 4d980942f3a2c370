/** What makes a record a match: its `error` field is `errorCode`, and its `time` is in the window. */
export interface MatchRule {
  /** The error code to find (the number in the record's `error` field). */
  readonly errorCode: number;
  /** Earliest record time, inclusive, in ms since the epoch. */
  readonly fromMs?: number;
  /** Latest record time, exclusive, in ms since the epoch. */
  readonly toMs?: number;
}

/**
 * True when a parsed line is a match: a JSON object whose `error` is the number `errorCode`
 * (as the document's `json.error === 505`), and, with a window, whose `time` parses to a moment in
 * `[fromMs, toMs)`. A record without a readable `time` is outside every window.
 */
export function isMatch(record: unknown, rule: MatchRule): boolean {
  if (!isRecord(record) || record['error'] !== rule.errorCode) return false;
  if (rule.fromMs === undefined && rule.toMs === undefined) return true;
  const time = typeof record['time'] === 'string' ? Date.parse(record['time']) : Number.NaN;
  if (Number.isNaN(time)) return false;
  return (rule.fromMs === undefined || time >= rule.fromMs) && (rule.toMs === undefined || time < rule.toMs);
}

/** A JSON object (not an array, not null): the only well-formed record. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
