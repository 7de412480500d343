/**
 * A worker in a process of its own, so a test can kill it (SIGKILL) in the middle of a
 * registration, or scrape the Prometheus endpoint its runtime serves. Configured by the
 * environment like the real worker (A2P_METRICS_BIND_ADDRESS included), plus A2P_TEST_NAMESPACE.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { createWorkers, workerMetricsExporter } from '../../src/worker';

async function main() {
  const config = loadConfig();
  if (config.metricsBindAddress)
    Runtime.install({ telemetryOptions: { metrics: workerMetricsExporter(config.metricsBindAddress) } });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    config,
    connection,
    namespace: process.env.A2P_TEST_NAMESPACE ?? 'default',
  });
  console.log('worker-process: running');
  await Promise.all(workers.map((w) => w.run()));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
