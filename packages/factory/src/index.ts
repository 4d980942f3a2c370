/**
 * `@orchestra/factory`: the thread-factory document's batch API on Orchestra.
 *
 * `const ThreadFactory = require('@orchestra/factory')` gives the class itself (as the document
 * writes it), and so do `import ThreadFactory from '@orchestra/factory'` and
 * `import { ThreadFactory } from '@orchestra/factory'`.
 */
import { ThreadFactory } from './thread-factory.js';

export { ThreadFactory };
export default ThreadFactory;
// What `require('@orchestra/factory')` returns (Node 20.19+ reads this export name).
export { ThreadFactory as 'module.exports' };
export type { FactoryOptions } from './options.js';
export type { FactorySpec, Resume, WorkerProcess } from './spec.js';
export type { Completed, FactorySummary, FailedItem, ItemFailure } from './summary.js';
