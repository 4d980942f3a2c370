import { DEFAULT_LIMITS, consoleLogger, type Logger } from '@orchestra/core';
import { WIRE_LIMITS, integerOption, newRoleId } from '@orchestra/core/internal';
import type { ConsumerOptions } from './consumer-options.js';

/** Most jobs a consumer keeps unsettled by default. */
const DEFAULT_MAX_PENDING = 100_000;
/** How long results wait in the network for a consumer that does not read them, by default: one hour. */
const DEFAULT_RESULT_TTL_MS = 3_600_000;
/** Shortest `resultTtlMs` a consumer accepts. */
const MIN_RESULT_TTL_MS = 1_000;

/** A consumer's options, checked, with the defaults filled in. */
export interface ConsumerSettings {
  readonly id: string;
  readonly maxParamsBytes: number;
  readonly maxPending: number;
  readonly resultTtlMs: number;
  readonly logger: Logger;
}

/** Checks the options of `new Consumer`; a bad one throws `InvalidArgumentError` naming it. */
export function consumerSettings(options: ConsumerOptions): ConsumerSettings {
  return {
    maxParamsBytes: integerOption(options.maxParamsBytes ?? DEFAULT_LIMITS.maxParamsBytes, 'maxParamsBytes', { min: 1 }),
    maxPending: integerOption(options.maxPending ?? DEFAULT_MAX_PENDING, 'maxPending', { min: 1 }),
    resultTtlMs: integerOption(options.resultTtlMs ?? DEFAULT_RESULT_TTL_MS, 'resultTtlMs', {
      min: MIN_RESULT_TTL_MS,
      max: WIRE_LIMITS.maxMillis,
    }),
    id: options.id ?? newRoleId('consumer'),
    logger: options.logger ?? consoleLogger,
  };
}
