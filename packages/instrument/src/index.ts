/** `@orchestra/instrument`: runs jobs on a worker-thread pool. */
export { Instrument } from './instrument.js';
export type { InstrumentOptions, InstrumentStats } from './options.js';
