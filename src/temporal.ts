import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

/**
 * The Temporal connection comes from @temporalio/envconfig: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_* or a TEMPORAL_PROFILE in a config file. The same binary talks to
 * the local dev server, a self-hosted cluster or Temporal Cloud without code changes.
 */
export interface TemporalTarget {
  address: string;
  namespace: string;
}

function connectConfig() {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? 'localhost:7233' },
    namespace: namespace ?? 'default',
  };
}

/** The connection options the environment names (address, TLS, API key), for a plain Connection. */
export function connectionOptions() {
  return connectConfig().connectionOptions;
}

export function temporalTarget(): TemporalTarget {
  const { connectionOptions, namespace } = connectConfig();
  return { address: connectionOptions.address, namespace };
}

export async function connectClient(dataConverter: DataConverter): Promise<Client> {
  const { connectionOptions, namespace } = connectConfig();
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace, dataConverter });
}

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = connectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  return { connection, namespace };
}
