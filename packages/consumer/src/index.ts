/** `@orchestra/consumer`: adds jobs and awaits their typed results. */
export { Consumer } from './consumer.js';
export type { ConsumerOptions, ConsumerStats, ResultOptions } from './consumer-options.js';
export type { AddedJob, Job, JobOptions } from './job.js';
