import { WIRE_LIMITS, type StatusSnapshot } from '@orchestra/core/internal';
import type { InstrumentRecord } from './records.js';

/** A status reply's snapshot: each instrument known (as many as the wire allows) and the totals. */
export function statusSnapshot(records: Iterable<InstrumentRecord>, totals: Omit<StatusSnapshot, 'instruments'>): StatusSnapshot {
  const instruments: StatusSnapshot['instruments'] = [];
  for (const record of records) {
    // The wire bounds the list; the totals still count every job.
    if (instruments.length === WIRE_LIMITS.maxItems) break;
    const held = record.held.size;
    const busy = Math.min(record.threads, record.busy ?? held);
    instruments.push({ id: record.id, threads: record.threads, busy, held });
  }
  return { instruments, ...totals };
}
