import { compileMessageCheck } from './message-check.js';
import { ComposerMessageSchema, ConsumerMessageSchema, IdSchema, InstrumentMessageSchema, ObserverMessageSchema } from './messages.js';

/** Validates what the composer reads from its mailbox. */
export const isComposerMessage = compileMessageCheck(ComposerMessageSchema);
/** Validates what an instrument reads from its mailbox. */
export const isInstrumentMessage = compileMessageCheck(InstrumentMessageSchema);
/** Validates what a consumer reads from its mailbox. */
export const isConsumerMessage = compileMessageCheck(ConsumerMessageSchema);
/** Validates what an observer (a status query) reads from its mailbox. */
export const isObserverMessage = compileMessageCheck(ObserverMessageSchema);
/** True for a valid id (of a role, a job, an observer): 1-128 characters of `A-Z a-z 0-9 _ . : -`. */
export const isValidId = compileMessageCheck(IdSchema);
