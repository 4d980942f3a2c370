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
  /** A status observer's inbox: the composer's answer to its status request. Deleted by the observer afterwards. */
  observer: (id: string): string => `observer.${id}`,
} as const;
