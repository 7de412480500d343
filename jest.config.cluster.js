/**
 * The cluster tier (`npm run test:cluster`), apart from `npm test`: the end-to-end suites on the
 * production-shaped Temporal (the Go server on PostgreSQL with SQL visibility, started by the
 * global setup from what scripts/ensure-temporal-cluster prepared) with two worker processes.
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
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  globalSetup: '<rootDir>/test/cluster/setup.ts',
  globalTeardown: '<rootDir>/test/cluster/teardown.ts',
  maxWorkers: 1,
  testTimeout: 180_000,
  // Temporal's native runtime in the main process outlives teardown, as in the default config.
  forceExit: true,
};
