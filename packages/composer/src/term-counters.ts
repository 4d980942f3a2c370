/**
 * What an acting term counted. The composer adds each ended term's counts to those of the terms
 * before it, so its stats count since it started, across every term it acted.
 */
export class TermCounters {
  /** Jobs that succeeded. */
  done = 0;
  /** Jobs that failed (cancelled ones included). */
  failed = 0;
  /** Runs that failed and were tried again. */
  retried = 0;
  /** Runs lost with their instrument. */
  lostRuns = 0;
  /** Instruments given up on after staying silent past their lease. */
  lostInstruments = 0;
  /** Settlements dropped as late or duplicate. */
  droppedSettlements = 0;

  /** Adds `other`'s counts to these. */
  add(other: TermCounters): void {
    this.done += other.done;
    this.failed += other.failed;
    this.retried += other.retried;
    this.lostRuns += other.lostRuns;
    this.lostInstruments += other.lostInstruments;
    this.droppedSettlements += other.droppedSettlements;
  }
}
