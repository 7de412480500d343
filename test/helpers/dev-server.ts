import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';

/** The address of the one dev server the integration project's global setup started. */
export function devServerAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: integration tests run under the jest global setup');
  return address;
}

export async function devServerClient(dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address: devServerAddress() });
  return new Client({ connection, namespace: 'default', dataConverter });
}

export function devServerWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: devServerAddress() });
}
