/**
 * The cluster tier (`npm run test:cluster`), apart from `npm test`: on the production-shaped
 * Temporal (the Go server on PostgreSQL with SQL visibility, started by the global setup from what
 * scripts/ensure-temporal-cluster prepared), the cluster suites with two worker processes each,
 * and the e2e suites of `npm test`'s integration project as they are.
 * One file at a time: each runs two worker processes, the sandbox and the webhook server, and the
 * rate-limit suite measures gaps that a second file's load would only blur.
 */
/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  // Only our code: .tools/ holds Temporal's Go module cache, which jest would otherwise crawl.
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-runtime.ts'],
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
  globalSetup: '<rootDir>/test/cluster/setup.ts',
  globalTeardown: '<rootDir>/test/cluster/teardown.ts',
  maxWorkers: 1,
  testTimeout: 180_000,
  // Temporal's native runtime in the main process outlives teardown, as in the default config.
  forceExit: true,
};
