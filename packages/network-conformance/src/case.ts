import type { Network } from '@orchestra/core';
import type { NetworkFactory } from './network-under-test.js';

/** One requirement of the `Network` contract, checked against a fresh network. */
export interface ConformanceCase {
  readonly name: string;
  run(factory: NetworkFactory): Promise<void>;
}

type Body = (open: () => Promise<Network>) => Promise<void>;

/** Makes a case that runs `body` against a fresh backing network, destroyed afterwards. */
export function conformanceCase(name: string, body: Body): ConformanceCase {
  return {
    name,
    async run(factory) {
      const underTest = await factory();
      try {
        await body(async () => underTest.open());
      } finally {
        await underTest.destroy();
      }
    },
  };
}

/** `count` messages `{ n }` numbered from `from`, to check order and completeness. */
export const numbered = (from: number, count: number): { n: number }[] => Array.from({ length: count }, (_, i) => ({ n: from + i }));

