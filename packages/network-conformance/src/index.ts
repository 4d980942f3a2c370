export { networkConformanceCases, type ConformanceCase } from './cases.js';
export { runNetworkConformance, type TestRunner } from './run.js';
export type { NetworkFactory, NetworkUnderTest } from './network-under-test.js';
