import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { TestConnection } from './connections';

/**
 * Each integration test file runs its own worker (and sandbox) under a namespace of its own, so
 * files can run in parallel on the one dev server without polling each other's task queues.
 */
export const E2E_NAMESPACES = [
  'a2p-e2e-encryption',
  'a2p-e2e-sole-proprietor',
  'a2p-e2e-remediation',
  'a2p-e2e-crash',
  'a2p-e2e-dropped-creates',
  'a2p-e2e-webhooks',
  'a2p-e2e-external',
  'a2p-e2e-rate-limit',
  'a2p-e2e-deregistration',
  'a2p-contract',
  'a2p-e2e-load',
  'a2p-e2e-import',
  'a2p-e2e-metrics',
  'a2p-e2e-standard',
] as const;
export type E2ENamespace = (typeof E2E_NAMESPACES)[number];

/** The address of the one dev server the integration project's global setup started. */
export function devServerAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: integration tests run under the jest global setup');
  return address;
}

/**
 * A client on the server TEMPORAL_ADDRESS names: on the dev server `namespace` is one of
 * E2E_NAMESPACES (the global setup registers those); the cluster tier registers its own too.
 */
export async function devServerClient(namespace: string, dataConverter?: DataConverter): Promise<Client> {
  const test = new TestConnection();
  const connection = test.watch(
    await Connection.connect({ address: devServerAddress(), plugins: [test.plugin()] }),
  );
  return new Client({ connection, namespace, dataConverter });
}

export function devServerWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: devServerAddress() });
}
