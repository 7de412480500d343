import { createConnection } from 'node:net';
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

/** Temporal did not answer at the address the environment names. */
export class TemporalUnreachableError extends Error {
  constructor(
    readonly target: TemporalTarget,
    readonly timeoutMs: number,
    cause: unknown,
  ) {
    super(
      `Cannot reach Temporal at ${target.address} (namespace ${target.namespace}) within ${timeoutMs / 1000} s: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Start the embedded stack with `npm start` (it serves localhost:7233), or set TEMPORAL_ADDRESS ' +
        '(and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY) to your Temporal server.',
      { cause },
    );
    this.name = 'TemporalUnreachableError';
  }
}

/** Resolves once a TCP connection to `host:port` opens; rejects when refused or after `timeoutMs`. */
function probe(address: string, timeoutMs: number): Promise<void> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  return new Promise((done, fail) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      done();
    });
    socket.once('timeout', () => {
      socket.destroy();
      fail(new Error(`no answer within ${timeoutMs / 1000} s`));
    });
    socket.once('error', fail);
  });
}

/**
 * A client on the Temporal the environment names. `connectTimeoutMs` bounds the first connection
 * (a command line gives up within seconds and says where it looked, instead of gRPC's own wait).
 */
export async function connectClient(
  dataConverter: DataConverter,
  options: { connectTimeoutMs?: number } = {},
): Promise<Client> {
  const { connectionOptions, namespace } = connectConfig();
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  let connection: Connection;
  try {
    // gRPC retries a refused connection until its deadline; a plain TCP probe knows at once.
    if (options.connectTimeoutMs !== undefined) await probe(connectionOptions.address, timeoutMs);
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: timeoutMs });
  } catch (err) {
    throw new TemporalUnreachableError({ address: connectionOptions.address, namespace }, timeoutMs, err);
  }
  return new Client({ connection, namespace, dataConverter });
}

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = connectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  return { connection, namespace };
}
