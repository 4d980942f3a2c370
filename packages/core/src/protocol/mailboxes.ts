/**
 * Mailbox names. Every role owns one mailbox and reads only its own; the names are the whole of
 * the addressing scheme, so an adapter needs to know nothing else about the roles.
 */
export const mailboxes = {
  /** The acting composer's inbox: submissions, credits, settlements, progress, departures. */
  composer: 'composer',
  /** An instrument's inbox: assignments. */
  instrument: (id: string): string => `instrument.${id}`,
  /** A consumer's inbox: settlements and progress of the jobs it added. */
  consumer: (id: string): string => `consumer.${id}`,
} as const;
