/**
 * `npm run test:ui`: what an operator sees, on the embedded stack as `npm start` runs it — the
 * Web UI in Debian's Chromium (driven by playwright-core) and the `a2p` command as typed in a
 * shell. Each file starts its own stack on free ports; files run one at a time.
 */
/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  roots: ['<rootDir>/test/ui'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-runtime.ts'],
  testMatch: ['<rootDir>/test/ui/**/*.test.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
  forceExit: true,
};
