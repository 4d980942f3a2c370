/** `@orchestra/consumer`: adds jobs and awaits their typed results. */
export { Consumer, type ConsumerOptions, type ConsumerStats } from './consumer.js';
export type { AddedJob, Job, JobOptions } from './job.js';
