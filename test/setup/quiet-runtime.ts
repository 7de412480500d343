import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

// Worker logs at ERROR so test output shows failures, not every worker state change.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
});
