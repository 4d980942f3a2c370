import { describe, expect, it } from '@jest/globals';
import { networkConformanceCases, runNetworkConformance, type TestRunner } from '../src/index.js';

// The cases run against real adapters in their own packages (network-mem, network-redis); here we
// check how the suite registers them.
describe('runNetworkConformance', () => {
  it('registers every case, under the adapter name, with the timeout', () => {
    const registered: { suite: string; name: string; timeoutMs: number | undefined }[] = [];
    let suite = '';
    const runner: TestRunner = {
      describe(name, body) {
        suite = name;
        body();
      },
      it(name, _body, timeoutMs) {
        registered.push({ suite, name, timeoutMs });
      },
    };
    runNetworkConformance(runner, 'SomeNetwork', () => ({ open: () => Promise.reject(new RangeError('unused')), destroy: () => Promise.resolve() }), 1234);
    expect(registered).toHaveLength(networkConformanceCases.length);
    expect(new Set(registered.map((r) => r.name)).size).toBe(registered.length);
    expect(registered.every((r) => r.suite === 'SomeNetwork conforms to the Network contract' && r.timeoutMs === 1234)).toBe(true);
  });

  it('destroys the network even when a case fails', async () => {
    let destroyed = 0;
    const failing = networkConformanceCases[0];
    await expect(
      failing?.run(() => ({
        open: () => Promise.reject(new RangeError('cannot open')),
        destroy: () => {
          destroyed += 1;
          return Promise.resolve();
        },
      })),
    ).rejects.toThrow('cannot open');
    expect(destroyed).toBe(1);
  });
});
