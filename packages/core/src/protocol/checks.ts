import { compileMessageCheck } from './message-check.js';
import { ComposerMessageSchema, ConsumerMessageSchema, InstrumentMessageSchema } from './messages.js';

/** Validates what the composer reads from its mailbox. */
export const isComposerMessage = compileMessageCheck(ComposerMessageSchema);
/** Validates what an instrument reads from its mailbox. */
export const isInstrumentMessage = compileMessageCheck(InstrumentMessageSchema);
/** Validates what a consumer reads from its mailbox. */
export const isConsumerMessage = compileMessageCheck(ConsumerMessageSchema);
