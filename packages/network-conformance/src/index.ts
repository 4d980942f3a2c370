export { networkConformanceCases } from './cases.js';
export type { ConformanceCase } from './case.js';
export { runNetworkConformance, type TestRunner } from './run.js';
export type { NetworkFactory, NetworkUnderTest } from './network-under-test.js';
export { handlesPerCase } from './handles-per-case.js';
export { MailboxCollector } from './collector.js';
export { waitUntil } from './wait.js';
