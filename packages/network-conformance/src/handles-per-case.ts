import type { Network } from '@orchestra/core';
import type { NetworkFactory } from './network-under-test.js';

/**
 * A {@link NetworkFactory} for adapters whose handles are connections. Each case gets a number of its
 * own; `open(caseNumber)` opens a handle on that case's backing network (a namespace of its own, say),
 * and at the case's end every handle it opened is closed.
 *
 * ```ts
 * runNetworkConformance({ describe, it }, 'MyNetwork', handlesPerCase((n) => new MyNetwork(url, { namespace: `case-${n}` })));
 * ```
 */
export function handlesPerCase(open: (caseNumber: number) => Network): NetworkFactory {
  let cases = 0;
  return () => {
    const caseNumber = (cases += 1);
    const handles: Network[] = [];
    return {
      open() {
        const network = open(caseNumber);
        handles.push(network);
        return network;
      },
      async destroy() {
        await Promise.all(handles.map((network) => network.close()));
      },
    };
  };
}
