/**
 * Shared jest settings. Tests run against each package's TypeScript source (the `@orchestra/source`
 * export condition), so no stale build can hide a bug; worker threads, which jest does not
 * transform, load the built `dist/` files, which turbo builds before every test run.
 * @type {import('jest').Config}
 */
const preset = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@orchestra/source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
  injectGlobals: false,
};
export default preset;
