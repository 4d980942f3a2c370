import type { Assignment } from '@orchestra/core/internal';
import type { InstrumentRegistry } from './instrument-registry.js';
import type { JobBook } from './job-book.js';
import type { InstrumentRecord } from './records.js';
import type { TermMail } from './term-mail.js';

/**
 * Hands queued jobs to the instruments with credits, in proportion to their credits, one list per
 * instrument, starting at `rotation` among them so that none is always served first. Returns the
 * rotation for next time.
 */
export function dispatchQueued(book: JobBook, instruments: InstrumentRegistry, mail: TermMail, rotation: number): number {
  if (book.queued === 0) return rotation;
  const ready = instruments.ready();
  if (ready.length === 0) return rotation;
  const totalCredits = ready.reduce((sum, i) => sum + i.credits, 0);
  const toAssign = Math.min(book.queued, totalCredits);
  const next = (rotation + 1) % ready.length;
  for (let n = 0; n < ready.length; n += 1) {
    const instrument = ready[(next + n) % ready.length] as InstrumentRecord;
    const share = Math.min(instrument.credits, Math.ceil((toAssign * instrument.credits) / totalCredits));
    const jobs: Assignment[] = [];
    while (jobs.length < share) {
      const record = book.next();
      if (record === undefined) break;
      record.instrument = instrument.id;
      instrument.held.add(record.id);
      const assignment: Assignment = { id: record.id, script: record.script, attempt: record.attempt };
      if (record.params !== undefined) assignment.params = record.params;
      if (record.timeout !== undefined) assignment.timeout = record.timeout;
      jobs.push(assignment);
    }
    if (jobs.length === 0) break;
    instrument.credits -= jobs.length;
    mail.assign(instrument.id, jobs);
  }
  return next;
}
