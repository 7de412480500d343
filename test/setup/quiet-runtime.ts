import { DefaultLogger, type LogLevel, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

// Worker logs at ERROR so test output shows failures, not every worker state change;
// A2P_TEST_LOG_LEVEL (e.g. WARN) shows more when a test misbehaves.
const level = (process.env.A2P_TEST_LOG_LEVEL ?? 'ERROR') as LogLevel;
Runtime.install({
  logger: new DefaultLogger(level),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} } },
});
