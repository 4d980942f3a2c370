import { OrchestraError } from './orchestra-error.js';

/** The role or network was closed; the operation did not happen. */
export class ClosedError extends OrchestraError {
  constructor(what: string) {
    super('ORCHESTRA_CLOSED', `${what} is closed`);
  }
}

/** An argument or option is out of range or of the wrong type. */
export class InvalidArgumentError extends OrchestraError {
  constructor(message: string) {
    super('ORCHESTRA_INVALID_ARGUMENT', message);
  }
}

/** A message read from the network failed validation; it was counted, logged and set aside. */
export class InvalidMessageError extends OrchestraError {
  /** The mailbox it was read from. */
  readonly mailbox: string;
  constructor(mailbox: string, reason: string) {
    super('ORCHESTRA_MESSAGE_INVALID', `Invalid message set aside from mailbox ${mailbox}: ${reason}`);
    this.mailbox = mailbox;
  }
}

/**
 * A consumer already has as many unsettled jobs as it allows (`maxPending`) and the caller asked
 * `addJob` not to wait for room (`wait: false`). Nothing was sent.
 */
export class BackpressureError extends OrchestraError {
  /** The consumer's `maxPending`. */
  readonly limit: number;
  constructor(limit: number) {
    super('ORCHESTRA_BACKPRESSURE', `The consumer already has ${String(limit)} unsettled jobs (maxPending); addJob was asked not to wait`);
    this.limit = limit;
  }
}
