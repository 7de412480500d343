import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { type Config, ConfigError, loadConfig, optionalBindAddress } from '../config';
import { createDataConverter, EncryptionCodec } from '../encryption';
import { DEFAULT_CODEC_SERVER_PORT, startCodecServer } from '../encryption/codec-server';
import { type RunningSandbox, startSandbox } from '../sandbox';
import { createTwilioClient } from '../twilio/client';
import { eventStreamsSinkUrl, startWebhookServer, tcrWebhookUrl, twilioSubaccountTokens } from '../webhooks';
import { splitBindAddress } from '../webhooks/config';
import { createWorkers, workerMetricsExporter } from '../worker';
import { type DevServer, startDevServer } from './dev-server';
import { consoleLogger, type Logger, serverLoggerOptions, workerLogger } from './logging';

export { consoleLogger, type Logger } from './logging';

export interface Stack {
  config: Config;
  /** A client on the stack's Temporal with the project's data converter. */
  client: Client;
  /** The Twilio sandbox; undefined when the stack runs against a real Twilio account. */
  sandbox?: RunningSandbox;
  devServer: DevServer;
  webhookUrl: string;
  codecUrl: string;
  /** Settles when the workers stop: resolves after `stop()`, rejects if a worker fails on its own. */
  workersDone: Promise<void>;
  /** Stops everything in reverse order of start; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StackSettings {
  dataDir: string;
  temporalPort: number;
  uiPort: number;
  sandboxPort: number;
  webhookPort: number;
  codecPort: number;
  /** TWILIO_ACCOUNT_SID is set: talk to Twilio itself, no sandbox. */
  realTwilio: boolean;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`${name}: "${raw}" is not a port number (1-65535)`);
  return value;
}

/** Where each part of the embedded stack listens; fixed ports so the CLI and the Web UI find them. */
export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  return {
    dataDir: resolve(env.A2P_DATA_DIR?.trim() || '.data'),
    temporalPort: port(env, 'A2P_TEMPORAL_PORT', 7233),
    uiPort: port(env, 'A2P_TEMPORAL_UI_PORT', 8233),
    sandboxPort: port(env, 'SANDBOX_PORT', 4010),
    webhookPort: port(env, 'WEBHOOK_PORT', 4020),
    codecPort: port(env, 'A2P_CODEC_SERVER_PORT', DEFAULT_CODEC_SERVER_PORT),
    realTwilio: Boolean(env.TWILIO_ACCOUNT_SID?.trim()),
  };
}

/**
 * The environment the stack's configuration is loaded from: the stack's own parts (the sandbox's
 * account and seeded primary profile, the local Temporal) plus what the operator set; the public
 * webhook URL defaults to the local webhook server, and the demo's settle and poll delays default
 * to 2 s and 30 s so it ends in about a minute.
 */
export function stackEnvironment(options: {
  env: NodeJS.ProcessEnv;
  settings: StackSettings;
  temporalAddress: string;
  webhookUrl: string;
  sandbox?: Pick<RunningSandbox, 'accountSid' | 'authToken' | 'url' | 'primaryProfileSid'>;
  demo: boolean;
}): NodeJS.ProcessEnv {
  const { env, sandbox, demo } = options;
  const defaults: NodeJS.ProcessEnv = {
    A2P_PUBLIC_WEBHOOK_URL: options.webhookUrl,
    ...(demo ? { A2P_SETTLE_DELAY: '2s', A2P_POLL_INTERVAL: '30s' } : {}),
  };
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  return {
    ...defaults,
    ...set,
    // The sandbox signs its callbacks with its own token and holds its own primary profile, so in
    // sandbox mode these are its values whatever the shell says.
    ...(sandbox
      ? {
          TWILIO_ACCOUNT_SID: sandbox.accountSid,
          TWILIO_AUTH_TOKEN: sandbox.authToken,
          TWILIO_API_BASE_URL: sandbox.url,
          A2P_PRIMARY_PROFILE_SID: sandbox.primaryProfileSid,
        }
      : {}),
    // The embedded Temporal is the one on the stack's own port, whatever the shell points at.
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    A2P_DATA_DIR: options.settings.dataDir,
  };
}

/** Listening failures say which part and which variable moves it. */
async function listening<T>(what: string, variable: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`${what}: its port is in use (another stack running? set ${variable})`);
    throw err;
  }
}

/** The sandbox must hold the primary profile the starter profiles are assigned to (000 1.6.3), approved. */
async function checkPrimaryProfile(config: Config): Promise<void> {
  const twilio = createTwilioClient(config.twilio);
  const profile = await twilio.trusthub.v1.customerProfiles(config.primaryProfileSid).fetch();
  if (profile.status !== 'twilio-approved')
    throw new Error(
      `primary customer profile ${config.primaryProfileSid} is ${profile.status}, not twilio-approved`,
    );
}

/**
 * The embedded default: Temporal dev server (SQLite under the data dir), the Twilio sandbox, the
 * webhook server, the codec server and the worker, wired so the sandbox's signed callbacks reach
 * the workflows through the webhook server exactly as Twilio's would. With TWILIO_ACCOUNT_SID set
 * it runs against that Twilio account instead, and starts no sandbox.
 */
export async function startStack(options: {
  demo: boolean;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}): Promise<Stack> {
  const log = options.log ?? consoleLogger;
  const env = options.env ?? process.env;
  const settings = stackSettings(env);
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const { name, stop: s } of stops.reverse())
        await s().catch((err: unknown) => log('stack', `while stopping the ${name}: ${String(err)}`));
    })());
  try {
    const codecEndpoint = `http://127.0.0.1:${settings.codecPort}`;
    const devServer = await startDevServer({
      dataDir: settings.dataDir,
      port: settings.temporalPort,
      uiPort: settings.uiPort,
      codecEndpoint,
      log: (l) => log('temporal', l),
    });
    stops.push({ name: 'Temporal dev server', stop: () => devServer.stop() });
    log(
      'temporal',
      devServer.owned
        ? `dev server on ${devServer.address}, Web UI ${devServer.uiUrl} (state in ${settings.dataDir})`
        : `using the server on ${devServer.address}; its state is its own, not ${settings.dataDir}`,
    );

    const webhookUrl = `http://127.0.0.1:${settings.webhookPort}`;
    // The TCR endpoint needs a shared secret; the sandbox and the webhook server share this one.
    const tcrSecret =
      env.A2P_TCR_WEBHOOK_SECRET || (settings.realTwilio ? undefined : randomBytes(24).toString('hex'));
    let sandbox: RunningSandbox | undefined;
    if (!settings.realTwilio) {
      sandbox = await listening('Twilio sandbox', 'SANDBOX_PORT', () =>
        startSandbox({
          port: settings.sandboxPort,
          stateFile: resolve(settings.dataDir, 'sandbox.json'),
          eventSinkUrl: eventStreamsSinkUrl(webhookUrl),
          tcrWebhookUrl: tcrWebhookUrl(webhookUrl),
          tcrWebhookSecret: tcrSecret,
          // In the demo the customer answers the OTP by themselves a few seconds after it is sent.
          otpAutoReplyMs: options.demo ? 3_000 : null,
        }),
      );
      const running = sandbox;
      stops.push({ name: 'sandbox', stop: () => running.close() });
      log(
        'sandbox',
        `Twilio sandbox on ${sandbox.url} (account ${sandbox.accountSid}, control API ${sandbox.url}/sandbox/info)`,
      );
    } else {
      log('stack', `using the Twilio account ${env.TWILIO_ACCOUNT_SID} from TWILIO_ACCOUNT_SID (no sandbox)`);
      if (!env.A2P_PUBLIC_WEBHOOK_URL)
        log(
          'stack',
          'A2P_PUBLIC_WEBHOOK_URL is not set: Twilio cannot reach the webhook server, workflows fall back to polling',
        );
    }

    const config = loadConfig(
      stackEnvironment({
        env,
        settings,
        temporalAddress: devServer.address,
        webhookUrl,
        sandbox,
        demo: options.demo,
      }),
    );
    if (sandbox) await checkPrimaryProfile(config);
    const dataConverter = createDataConverter(config.keyRing);

    const connection = await Connection.connect({ address: devServer.address });
    stops.push({ name: 'client connection', stop: () => connection.close() });
    const client = new Client({ connection, namespace: devServer.namespace, dataConverter });

    const webhookMetrics = optionalBindAddress.safeParse(env.A2P_WEBHOOK_METRICS_BIND_ADDRESS);
    if (!webhookMetrics.success)
      throw new ConfigError(
        webhookMetrics.error.issues.map((i) => `A2P_WEBHOOK_METRICS_BIND_ADDRESS: ${i.message}`),
      );
    const webhooks = await listening('webhook server', 'WEBHOOK_PORT', () =>
      startWebhookServer({
        client,
        authToken: config.twilio.authToken,
        subaccountAuthToken: twilioSubaccountTokens(createTwilioClient(config.twilio)),
        publicBaseUrl: config.publicWebhookUrl,
        port: settings.webhookPort,
        tcrSecret,
        logger: serverLoggerOptions((l) => log('webhooks', l)),
        metrics: webhookMetrics.data ? splitBindAddress(webhookMetrics.data) : undefined,
      }),
    );
    stops.push({ name: 'webhook server', stop: () => webhooks.close() });
    log(
      'webhooks',
      `webhook server on ${webhooks.url}, signatures checked against ${config.publicWebhookUrl ?? webhooks.url}`,
    );
    if (webhooks.metricsUrl) log('webhooks', `Prometheus metrics on ${webhooks.metricsUrl}`);

    const codec = await listening('codec server', 'A2P_CODEC_SERVER_PORT', () =>
      startCodecServer({
        codec: new EncryptionCodec(config.keyRing.active, config.keyRing.previous),
        authToken: env.A2P_CODEC_AUTH_TOKEN || undefined,
        corsOrigins: [devServer.uiUrl, devServer.uiUrl.replace('localhost', '127.0.0.1')],
        port: settings.codecPort,
      }),
    );
    stops.push({ name: 'codec server', stop: () => codec.close() });
    log('codec', `codec server on ${codec.url}; the Web UI decrypts payloads through it`);

    const workerConnection = await NativeConnection.connect({ address: devServer.address });
    stops.push({ name: 'worker connection', stop: () => workerConnection.close() });
    const workers = await createWorkers({
      config,
      connection: workerConnection,
      namespace: devServer.namespace,
    });
    const workersDone = Promise.all(workers.map((w) => w.run())).then(() => undefined);
    // Observed here so a worker failing on its own is never an unhandled rejection.
    const settled = workersDone.catch(() => undefined);
    stops.push({
      name: 'worker',
      stop: async () => {
        for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
        await settled;
      },
    });
    log('worker', `polling ${workers.length} task queues on ${devServer.address}`);
    if (config.metricsBindAddress)
      log('worker', `Prometheus metrics on http://${config.metricsBindAddress}/metrics`);

    return {
      config,
      client,
      sandbox,
      devServer,
      webhookUrl: webhooks.url,
      codecUrl: codec.url,
      workersDone,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Our own Ctrl-C handling (the stack stops its parts in order), worker logs tagged [worker], and
 * with `metricsBindAddress` (A2P_METRICS_BIND_ADDRESS) the worker's Prometheus endpoint.
 */
export function installRuntime(log: Logger = consoleLogger, metricsBindAddress?: string): void {
  Runtime.install({
    shutdownSignals: [],
    logger: workerLogger(log),
    ...(metricsBindAddress
      ? { telemetryOptions: { metrics: workerMetricsExporter(metricsBindAddress) } }
      : {}),
  });
}
