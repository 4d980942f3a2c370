/** A job the composer is responsible for, from submission until its final settlement. */
export interface JobRecord {
  readonly id: string;
  readonly script: string;
  readonly params: string | undefined;
  readonly priority: number;
  /** The consumer that added it, which gets its settlement. */
  readonly consumer: string;
  /** The attempt now queued or running; a settlement for any other attempt is stale. */
  attempt: number;
  /** The instrument running it, if any. */
  instrument: string | undefined;
}

/** An instrument as the composer sees it. */
export interface InstrumentRecord {
  readonly id: string;
  threads: number;
  /** How many more jobs it may be sent. */
  credits: number;
  /** Threads running jobs, as it last reported (undefined from an instrument that does not report it). */
  busy: number | undefined;
  /** Ids of the jobs it holds. */
  readonly held: Set<string>;
}
