import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadClientConfig, RegistrarClient } from '../../src/client';
import { createDataConverter } from '../../src/encryption';
import type { RegistrationProgress } from '../../src/shared';
import { demoRequest } from '../../src/stack/demo';

const root = resolve(__dirname, '../..');

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningStack {
  uiUrl: string;
  namespace: string;
  /** The environment `a2p` needs to talk to this stack (address, key ring, sandbox, timings). */
  cliEnv: NodeJS.ProcessEnv;
  /** What the stack printed so far. */
  output(): string;
  registrar: RegistrarClient;
  client: Client;
  /** Polls the progress query until `pred` holds. */
  until(
    customerId: string,
    pred: (p: RegistrationProgress) => boolean,
    what: string,
  ): Promise<RegistrationProgress>;
  stop(): Promise<void>;
}

/**
 * `npm start` as an operator runs it (`tsx src/stack.ts`, its own process and process group),
 * on free ports with a fresh data directory and a 1 s settle delay. Resolves once it printed its
 * ready banner.
 */
export async function startStack(): Promise<RunningStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'a2p-ui-'));
  const ports = {
    A2P_TEMPORAL_PORT: await freePort(),
    A2P_TEMPORAL_UI_PORT: await freePort(),
    SANDBOX_PORT: await freePort(),
    WEBHOOK_PORT: await freePort(),
    A2P_CODEC_SERVER_PORT: await freePort(),
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    A2P_DATA_DIR: dataDir,
    A2P_SETTLE_DELAY: '1s',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  const child: ChildProcess = spawn(join(root, 'node_modules/.bin/tsx'), ['src/stack.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      kill();
      fail(new Error(`the stack did not get ready in 120 s:\n${output}`));
    }, 120_000);
    const check = () => {
      if (/\[stack\]\s+ready\./.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  const cliEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.A2P_TEMPORAL_PORT}`,
    TEMPORAL_NAMESPACE: 'default',
    A2P_DATA_DIR: dataDir,
    SANDBOX_PORT: String(ports.SANDBOX_PORT),
    A2P_SETTLE_DELAY: '1s',
  };
  const config = loadClientConfig(cliEnv);
  const connection = await Connection.connect({ address: cliEnv.TEMPORAL_ADDRESS });
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: createDataConverter(config.keyRing),
  });
  const registrar = new RegistrarClient(client, config);
  return {
    uiUrl: `http://localhost:${ports.A2P_TEMPORAL_UI_PORT}`,
    namespace: 'default',
    cliEnv,
    output: () => output,
    registrar,
    client,
    async until(customerId, pred, what) {
      const deadline = Date.now() + 90_000;
      let last: RegistrationProgress | undefined;
      while (Date.now() < deadline) {
        last = await registrar.getProgress(customerId).catch(() => last);
        if (last && pred(last)) return last;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    },
    async stop() {
      await connection.close();
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGINT');
      const force = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(force);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The sample sole proprietor as a new person (its own mobile number, email, street). */
export function sampleRequest(customerId: string, phoneNumberSid: string, email?: string) {
  const request = demoRequest(customerId, phoneNumberSid);
  if (email) request.soleProprietor.email = email;
  return request;
}

/** A JSON file in a fresh temp directory, for `a2p register` and `a2p correct`. */
export function jsonFile(name: string, value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2p-file-'));
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** `npx a2p <args>` in the checkout, as an operator types it. */
export function a2p(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const started = Date.now();
  const run = spawnSync('npx', ['--no-install', 'a2p', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout.trimEnd(), err: run.stderr.trimEnd(), ms: Date.now() - started };
}
