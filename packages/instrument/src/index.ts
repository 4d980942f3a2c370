/** `@orchestra/instrument`: runs jobs on a worker-thread pool. */
export { Instrument, type InstrumentOptions, type InstrumentStats } from './instrument.js';
