import { DEMO_DATASET, type DatasetSpec } from './dataset.js';
import { UsageError } from './errors.js';
import { integerOption } from './integer-option.js';

/** The dataset options `pnpm generate` and `pnpm demo` share, as `parseArgs` options. */
export const DATASET_OPTIONS = {
  month: { type: 'string' },
  days: { type: 'string' },
  'objects-per-day': { type: 'string' },
  'lines-per-object': { type: 'string' },
  unreadable: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** Their lines of a usage text. */
export const DATASET_USAGE = `  --month YYYY-MM          The month (default ${DEMO_DATASET.month})
  --days N                 Days of the month with logs (default ${DEMO_DATASET.days})
  --objects-per-day N      Objects a day (default ${DEMO_DATASET.objectsPerDay})
  --lines-per-object N     Lines an object, on average (default ${DEMO_DATASET.linesPerObject})
  --unreadable N           Objects in the month that are not gzip (default ${DEMO_DATASET.unreadable})
  --seed N                 The same seed writes the same data (default ${DEMO_DATASET.seed})`;

type DatasetValues = Partial<Record<keyof typeof DATASET_OPTIONS, string>>;

/** The dataset the options describe (the demo's by default); throws `UsageError` naming a bad one. */
export function datasetFromArgs(values: DatasetValues): DatasetSpec {
  const month = values.month ?? DEMO_DATASET.month;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, got "${month}"`);
  const spec: DatasetSpec = {
    ...DEMO_DATASET,
    month,
    days: integerOption('--days', values.days, DEMO_DATASET.days, 1),
    objectsPerDay: integerOption('--objects-per-day', values['objects-per-day'], DEMO_DATASET.objectsPerDay, 1),
    linesPerObject: integerOption('--lines-per-object', values['lines-per-object'], DEMO_DATASET.linesPerObject, 1),
    unreadable: integerOption('--unreadable', values.unreadable, DEMO_DATASET.unreadable, 0),
    seed: integerOption('--seed', values.seed, DEMO_DATASET.seed, 0),
  };
  const daysInMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  if (spec.days > daysInMonth) throw new UsageError(`--days: ${month} has ${daysInMonth} days`);
  return spec;
}
