import { basename, dirname } from 'node:path';
import { Workspace, type Logger, type Network } from '@orchestra/core';
import { asError } from './as-error.js';
import type { FactoryOptions } from './options.js';
import type { Completed, FactorySummary, FailedItem, ItemFailure } from './summary.js';

/** What a batch run reports back to the factory as it goes. */
export interface BatchEvents<Item, Result> {
  completed(done: Completed<Item, Result>): void;
  failed(error: Error, item: FailedItem<Item>): void;
}

/**
 * Runs the items as jobs of the file that holds the spec: on this machine (a MemNetwork with a
 * composer and an instrument of `threads` threads) or on the network given (its composer and
 * instruments, whose workspace holds the same file). Resolves once every item settled and the
 * local roles closed (which runs `workerFinish` on each thread).
 */
export async function runBatch<Item, Result>(
  file: string,
  items: readonly Item[],
  options: FactoryOptions,
  logger: Logger,
  events: BatchEvents<Item, Result>,
): Promise<Pick<FactorySummary<Item>, 'completed' | 'failed' | 'failures'>> {
  // Imported here, not at the top: the file is loaded in every thread too, where only the
  // worker functions are needed.
  const [{ Consumer }, { MemNetwork }, { Composer }, { Instrument }] = await Promise.all([
    import('@orchestra/consumer'),
    import('@orchestra/network-mem'),
    import('@orchestra/composer'),
    import('@orchestra/instrument'),
  ]);
  const workspace = new Workspace(dirname(file));
  const script = options.script ?? basename(file);
  // A network the factory made (the default, or from the function given) is the factory's to close.
  const owned = typeof options.network === 'function' || options.network === undefined;
  const given = typeof options.network === 'function' ? options.network() : options.network;
  const local = given === undefined;
  const network: Network = given ?? new MemNetwork();
  const composer = local ? new Composer(network, { logger }) : undefined;
  const instrument = local ? new Instrument(network, workspace, options.threads, { logger }) : undefined;
  const consumer = new Consumer(network, workspace, { logger });
  const failures: ItemFailure<Item>[] = [];
  let completed = 0;
  const jobOptions = {
    ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  };
  try {
    const results = items.map(async (item, index) => {
      try {
        const { result } = await consumer.addJob(script, item, jobOptions);
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
    await consumer.close();
    await instrument?.close();
    await composer?.close();
    if (owned) await network.close();
  }
  failures.sort((a, b) => a.index - b.index);
  return { completed, failed: failures.length, failures };
}
