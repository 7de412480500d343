import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { type Config, loadConfig } from '../config';
import { createDataConverter, EncryptionCodec } from '../encryption';
import { startCodecServer } from '../encryption/codec-server';
import { startSandbox, type RunningSandbox } from '../sandbox';
import { startWebhookServer } from '../webhooks';
import { eventStreamsSinkUrl } from '../webhooks/urls';
import { createWorkers } from '../worker';
import { startDevServer, type DevServer } from './dev-server';

export interface Stack {
  config: Config;
  client: Client;
  sandbox: RunningSandbox;
  devServer: DevServer;
  webhookUrl: string;
  codecUrl: string;
  /** Stops everything in reverse order of start. */
  stop(): Promise<void>;
}

export type Logger = (component: string, line: string) => void;

const colours: Record<string, string> = {
  temporal: '35',
  sandbox: '33',
  webhooks: '36',
  worker: '32',
  codec: '34',
  demo: '1',
};
export const consoleLogger: Logger = (component, line) => {
  const tag = `[${component}]`.padEnd(11);
  console.log(
    process.stdout.isTTY ? `\x1b[${colours[component] ?? '0'}m${tag}\x1b[0m ${line}` : `${tag} ${line}`,
  );
};

/**
 * The embedded default: Temporal dev server (SQLite under the data dir), the Twilio sandbox, the
 * webhook server, the codec server and the worker, wired so the sandbox's signed callbacks reach
 * the workflows through the webhook server exactly as Twilio's would.
 */
export async function startStack(options: { demo: boolean; log?: Logger }): Promise<Stack> {
  const log = options.log ?? consoleLogger;
  const env = process.env;
  const dataDir = resolve(env.A2P_DATA_DIR ?? '.data');
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => log('stack', `while stopping: ${String(err)}`));
  };
  try {
    const devServer = await startDevServer({ dataDir, log: (l) => log('temporal', l) });
    stops.push(() => devServer.stop());
    log('temporal', `dev server on ${devServer.address}, Web UI ${devServer.uiUrl}`);

    const webhookPort = Number(env.WEBHOOK_PORT ?? 4020);
    const webhookUrl = `http://127.0.0.1:${webhookPort}`;
    const sandbox = await startSandbox({
      port: Number(env.SANDBOX_PORT ?? 4010),
      stateFile: resolve(dataDir, 'sandbox.json'),
      eventSinkUrl: eventStreamsSinkUrl(webhookUrl),
      otpAutoReplyMs: options.demo ? 3_000 : null,
    });
    stops.push(() => sandbox.close());
    log('sandbox', `Twilio sandbox on ${sandbox.url} (account ${sandbox.accountSid})`);

    // The embedded stack talks to its own sandbox unless real Twilio credentials are given.
    const useSandbox = !env.TWILIO_ACCOUNT_SID;
    const config = loadConfig({
      ...env,
      TEMPORAL_ADDRESS: devServer.address,
      ...(useSandbox
        ? {
            TWILIO_ACCOUNT_SID: sandbox.accountSid,
            TWILIO_AUTH_TOKEN: sandbox.authToken,
            TWILIO_API_BASE_URL: sandbox.url,
            A2P_PRIMARY_PROFILE_SID: sandbox.primaryProfileSid,
          }
        : {}),
      A2P_PUBLIC_WEBHOOK_URL: env.A2P_PUBLIC_WEBHOOK_URL ?? webhookUrl,
      A2P_DATA_DIR: dataDir,
      A2P_SETTLE_DELAY: env.A2P_SETTLE_DELAY ?? (options.demo ? '2s' : undefined),
      A2P_POLL_INTERVAL: env.A2P_POLL_INTERVAL ?? (options.demo ? '30s' : undefined),
    });
    const dataConverter = createDataConverter(config.keyRing);

    const connection = await Connection.connect({ address: devServer.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default', dataConverter });

    const webhooks = await startWebhookServer({
      client,
      authToken: config.twilio.authToken,
      publicBaseUrl: config.publicWebhookUrl,
      port: webhookPort,
      tcrSecret: env.A2P_TCR_WEBHOOK_SECRET,
    });
    stops.push(() => webhooks.close());
    log('webhooks', `webhook server on ${webhooks.url}`);

    const codec = await startCodecServer({
      codec: new EncryptionCodec(config.keyRing.active, config.keyRing.previous),
      authToken: env.A2P_CODEC_AUTH_TOKEN,
      corsOrigins: [devServer.uiUrl, devServer.uiUrl.replace('localhost', '127.0.0.1')],
      port: Number(env.A2P_CODEC_SERVER_PORT ?? 8888),
    });
    stops.push(() => codec.close());
    log(
      'codec',
      `codec server on ${codec.url} (set it as the Web UI's codec endpoint to see decrypted payloads)`,
    );

    const workerConnection = await NativeConnection.connect({ address: devServer.address });
    stops.push(() => workerConnection.close());
    const workers = await createWorkers({ config, connection: workerConnection, namespace: 'default' });
    const running = Promise.all(workers.map((w: Worker) => w.run()));
    stops.push(async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    });
    log('worker', `polling ${workers.length} task queues`);

    return { config, client, sandbox, devServer, webhookUrl: webhooks.url, codecUrl: codec.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Our own Ctrl-C handling: the stack stops its parts in order, the worker included. */
export function installRuntime(): void {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
}
