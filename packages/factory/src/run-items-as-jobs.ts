import type { Logger } from '@orchestra/core';
import { asError } from './as-error.js';
import type { FactoryOptions } from './options.js';
import { startRoles } from './roles.js';
import type { Completed, FactorySummary, FailedItem, ItemFailure } from './summary.js';

/** What a run reports back to the factory as each item settles. */
export interface ItemEvents<Item, Result> {
  completed(done: Completed<Item, Result>): void;
  failed(error: Error, item: FailedItem<Item>): void;
}

/** What a run adds to the factory's summary. */
export type ItemOutcomes<Item> = Pick<FactorySummary<Item>, 'completed' | 'failed' | 'failures'>;

/**
 * Runs each item as one job of the file that holds the spec (see {@link startRoles} for where),
 * with the factory's `attempts` and `timeout`. Resolves once every item settled and the roles
 * closed (which runs `workerFinish` on each local thread); failures come sorted by index.
 */
export async function runItemsAsJobs<Item, Result>(
  file: string,
  items: readonly Item[],
  options: FactoryOptions,
  logger: Logger,
  events: ItemEvents<Item, Result>,
): Promise<ItemOutcomes<Item>> {
  const roles = await startRoles(file, options, logger);
  const failures: ItemFailure<Item>[] = [];
  let completed = 0;
  const jobOptions = {
    ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  };
  try {
    const results = items.map(async (item, index) => {
      try {
        const { result } = await roles.consumer.addJob(roles.script, item, jobOptions);
        const value = (await result) as Result;
        completed += 1;
        events.completed({ index, item, result: value });
      } catch (thrown) {
        const error = asError(thrown);
        failures.push({ index, item, error });
        events.failed(error, { index, item });
      }
    });
    await Promise.all(results);
  } finally {
    await roles.close();
  }
  failures.sort((a, b) => a.index - b.index);
  return { completed, failed: failures.length, failures };
}
