import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { setupNamespace } from '../../src/stack/cluster-setup';

const root = resolve(__dirname, '../..');
const home = resolve(root, '.tools/temporal-cluster');
/** The files docker-compose.yml gives its Temporal server: one copy, so the two cannot drift. */
export const DYNAMIC_CONFIG_FILE = resolve(root, 'docker/dynamicconfig.yaml');
export const TEMPORAL_ENV_FILE = resolve(root, 'docker/temporal.env');

export interface Cluster {
  /** The frontend's gRPC address. */
  address: string;
  /** Where the PostgreSQL data, the server's configuration log and output live while it runs. */
  dir: string;
  postgresPort: number;
  stop(): Promise<void>;
}

/** KEY=VALUE lines as docker compose's env_file reads them (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`not KEY=VALUE: ${line}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

function required(path: string): string {
  if (!existsSync(path))
    throw new Error(`${path} is missing: run scripts/ensure-temporal-cluster (npm run test:cluster does)`);
  return path;
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

/**
 * Ports that are free now. Held open together so no two are the same, and released just before
 * the server binds them. `below` picks them from 20000 up instead of the kernel's ephemeral range:
 * the SQL schema stores a membership port in a smallint (at most 32767).
 */
async function freePorts(count: number, below?: number): Promise<number[]> {
  const held: Server[] = [];
  for (let tries = 0; held.length < count; tries++) {
    if (tries > 1_000) throw new Error(`no ${count} free ports found`);
    const port = below ? 20_000 + Math.floor(Math.random() * (below - 20_000)) : 0;
    const server = await listen(port);
    if (server) held.push(server);
  }
  const ports = held.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(held.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

/** PostgreSQL refuses to run as root; as root we run it as the Debian package's `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill(signal);
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(force);
}

function tail(path: string, lines = 40): string {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

async function until(
  what: string,
  timeoutMs: number,
  child: ChildProcess,
  log: string,
  probe: () => Promise<boolean>,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode}):\n${tail(log)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready within ${timeoutMs / 1000} s:\n${tail(log)}`);
}

function logTo(path: string, child: ChildProcess): void {
  const out = createWriteStream(path, { flags: 'a' });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
}

/**
 * The production stack's Temporal, as plain processes: PostgreSQL (a copy of the migrated data
 * directory that scripts/ensure-temporal-cluster made, on a loopback port, in a temp dir) and the
 * real multi-service server (frontend, history, matching, internal worker) built from the Go
 * module, configured like the temporalio/server image in docker-compose.yml: its built-in
 * template, the variables of docker/temporal.env and the dynamic config docker/dynamicconfig.yaml.
 * Ports are picked free, so it runs beside other servers on the machine. Each namespace is
 * prepared with the same setupNamespace() as compose's one-shot job.
 */
export async function startCluster(options: { namespaces: readonly string[] }): Promise<Cluster> {
  const server = required(resolve(home, 'bin/temporal-server'));
  const template = required(resolve(home, 'pgdata-template'));
  const pgBin = parseEnvFile(readFileSync(required(resolve(home, 'postgres.env')), 'utf8')).PG_BIN;
  // An unknown key or a bad value in the file compose mounts fails here, not silently in
  // production: the server only warns about them (and exits 0), then ignores them.
  const validation = execFileSync(server, ['validate-dynamic-config', DYNAMIC_CONFIG_FILE]).toString();
  if (/^\s+(error|warning):/m.test(validation))
    throw new Error(`${DYNAMIC_CONFIG_FILE} does not validate:\n${validation}`);
  const dir = mkdtempSync(join(tmpdir(), 'a2p-cluster-'));
  const data = join(dir, 'pgdata');
  cpSync(template, data, { recursive: true });
  const pgUser = postgresUser();
  if (pgUser) chownTree(dir, pgUser.uid, pgUser.gid);

  const [pgPort, grpc, http, history, matching, worker] = await freePorts(6);
  const [frontendRing, historyRing, matchingRing, workerRing] = await freePorts(4, 32_768);
  const children: ChildProcess[] = [];
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    // The server first (it holds connections to the database), then PostgreSQL (SIGINT: fast shutdown).
    const [postgres, temporal] = children;
    if (temporal) await stopChild(temporal, 'SIGTERM', 15_000);
    if (postgres) await stopChild(postgres, 'SIGINT', 15_000);
    process.removeListener('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pgLog = join(dir, 'postgres.log');
    const postgres = spawn(
      join(pgBin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(pgPort),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], ...pgUser },
    );
    children.push(postgres);
    logTo(pgLog, postgres);
    await until('PostgreSQL', 30_000, postgres, pgLog, async () => {
      execFileSync(join(pgBin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(pgPort)]);
      return true;
    });

    const serverLog = join(dir, 'temporal.log');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...parseEnvFile(readFileSync(TEMPORAL_ENV_FILE, 'utf8')),
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(pgPort),
      POSTGRES_USER: 'temporal',
      POSTGRES_PWD: 'temporal',
      BIND_ON_IP: '127.0.0.1',
      DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
      FRONTEND_GRPC_PORT: String(grpc),
      FRONTEND_HTTP_PORT: String(http),
      FRONTEND_MEMBERSHIP_PORT: String(frontendRing),
      HISTORY_GRPC_PORT: String(history),
      HISTORY_MEMBERSHIP_PORT: String(historyRing),
      MATCHING_GRPC_PORT: String(matching),
      MATCHING_MEMBERSHIP_PORT: String(matchingRing),
      WORKER_GRPC_PORT: String(worker),
      WORKER_MEMBERSHIP_PORT: String(workerRing),
    };
    const temporal = spawn(server, ['start'], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: dir });
    children.push(temporal);
    logTo(serverLog, temporal);
    const address = `127.0.0.1:${grpc}`;
    let connection: Connection | undefined;
    await until('the Temporal frontend', 90_000, temporal, serverLog, async () => {
      connection ??= await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return true;
    });
    const ready = connection as Connection;
    try {
      await Promise.all(
        options.namespaces.map((namespace) =>
          setupNamespace({ connection: ready, namespace, retention: '1d' }),
        ),
      );
    } finally {
      await ready.close();
    }
    return { address, dir, postgresPort: pgPort, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
