/**
 * A worker in a process of its own, so a test can kill it (SIGKILL) in the middle of a
 * registration. Configured by the environment like the real worker, plus A2P_TEST_NAMESPACE.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { createWorkers } from '../../src/worker';

async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    config: loadConfig(),
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
