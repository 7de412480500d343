/**
 * One worker process of the cluster tier: every task queue's worker, as `node dist/src/worker.js`
 * runs them, configured by the environment, on the namespace A2P_TEST_NAMESPACE names. It prints
 * its worker identity once polling, so the test can tell which process ran what from histories.
 */
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { createWorkers } from '../../src/worker';

// Warnings and errors only, as the stack's worker logs, less the one every activity-only worker
// gives at start: the test prints what the processes did.
Runtime.install({
  logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
    if (message.startsWith('No workflows registered')) return;
    console.error(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  }),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
});

async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    config: loadConfig(),
    connection,
    namespace: process.env.A2P_TEST_NAMESPACE ?? 'default',
  });
  const running = Promise.all(workers.map((w) => w.run()));
  console.log(`worker-process: running as ${workers[0].options.identity}`);
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
