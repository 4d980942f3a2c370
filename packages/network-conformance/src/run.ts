import { networkConformanceCases } from './cases.js';
import type { NetworkFactory } from './network-under-test.js';

/** The two functions of a test runner the suite needs; jest, vitest, mocha and `node:test` all fit. */
export interface TestRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/**
 * Registers every conformance case as a test named `<adapterName> conforms to the Network
 * contract: <case>`. For example, with jest:
 *
 * ```ts
 * import { describe, it } from '@jest/globals';
 * runNetworkConformance({ describe, it }, 'MyNetwork', () => ({
 *   open: () => new MyNetwork(url, { namespace }),
 *   destroy: async () => { ... },
 * }));
 * ```
 */
export function runNetworkConformance(runner: TestRunner, adapterName: string, factory: NetworkFactory, timeoutMs = 20_000): void {
  runner.describe(`${adapterName} conforms to the Network contract`, () => {
    for (const conformanceCase of networkConformanceCases) {
      runner.it(conformanceCase.name, () => conformanceCase.run(factory), timeoutMs);
    }
  });
}
