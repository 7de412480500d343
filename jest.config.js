/**
 * Five projects, so a run pays only for the servers it needs:
 *  - unit:         plain functions, the sandbox and the webhook server over HTTP (no Temporal)
 *  - workflows:    workflow logic on the time-skipping test server (one per test file)
 *  - integration:  e2e tests on ONE real Temporal dev server started by the global setup
 *  - contract:     Twilio's documented events into running registrations, on that same server
 *  - replay:       committed histories through Worker.runReplayHistories
 */
/**
 * Whether this run may start the dev server: no test path or project named (the whole suite), or
 * one naming the integration or contract tier. Values of -t / --testNamePattern are names, not paths.
 */
function runsDevServer(argv) {
  const named = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-t' || argv[i] === '--testNamePattern') i++;
    else if (!argv[i].startsWith('-')) named.push(argv[i]);
  }
  return named.length === 0 || named.some((a) => /e2e|contract|integration/.test(a));
}

const devServer = {
  globalSetup: '<rootDir>/test/setup/dev-server-setup.ts',
  globalTeardown: '<rootDir>/test/setup/dev-server-teardown.ts',
};
const base = {
  preset: 'ts-jest',
  // Only our code: .tools/ holds Temporal's Go module cache, which jest would otherwise crawl.
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-runtime.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  // The global setup's dev server lives in jest's main process together with Temporal's native
  // runtime, whose threads outlive teardown and would keep the process from exiting. jest has one
  // forceExit for the whole run, so it is on only for runs that start the dev server: elsewhere an
  // open handle keeps jest from exiting, as it should, instead of being hidden.
  forceExit: runsDevServer(process.argv.slice(2)),
  projects: [
    // No Temporal runtime in the unit tier: installing it (quiet-runtime) would itself keep the
    // process alive.
    { ...base, setupFiles: [], displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      ...devServer,
    },
    // The same global setup: jest runs a setup module once however many projects name it.
    {
      ...base,
      displayName: 'contract',
      testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
      ...devServer,
    },
    { ...base, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
  ],
};
