import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { RegistrarClient } from '../../src/client';
import { type Config, loadConfig } from '../../src/config';
import { createDataConverter, formatKeyRing, generateKey } from '../../src/encryption';
import { startSandbox, type DeliverySettings, type RunningSandbox } from '../../src/sandbox';
import type { RegistrationProgress } from '../../src/shared';
import { registrationWorkflowId } from '../../src/shared';
import { startWebhookServer, twilioSubaccountTokens, type DeliveryStats } from '../../src/webhooks';
import { createTwilioClient } from '../../src/twilio/client';
import { eventStreamsSinkUrl, tcrWebhookUrl } from '../../src/webhooks/urls';
import { createWorkers } from '../../src/worker';
import { devServerClient, devServerWorkerConnection } from './dev-server';

const TCR_SECRET = 'e2e-tcr-webhook-secret-0123456789';

export interface E2EStack {
  sandbox: RunningSandbox;
  client: Client;
  registrar: RegistrarClient;
  config: Config;
  webhookUrl: string;
  /** The webhook server's GET /metrics, when started with `webhookMetrics`. */
  webhookMetricsUrl?: string;
  /** What became of the events the webhook server took (delivered, re-delivered, kept, given up). */
  webhookStats(): DeliveryStats;
  /** The environment the worker is configured with (for a worker in another process). */
  env: Record<string, string>;
  /** Starts the worker(s); separate so a test can run them in another process instead. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Polls the progress query until `pred` holds (bounded). */
  until(
    customerId: string,
    pred: (p: RegistrationProgress) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<RegistrationProgress>;
  stop(): Promise<void>;
}

/**
 * What a user runs, in one test file: the sandbox (through the real twilio package), the webhook
 * server signing-checking the sandbox's callbacks, and the worker, on the shared dev server under
 * the file's own namespace. The polling fallback is an hour, so whatever moves a registration
 * within a test is a callback. `namespace` must exist on that server (see devServerClient).
 */
export async function startE2EStack(
  namespace: string,
  options: {
    env?: Record<string, string>;
    otpAutoReplyMs?: number | null;
    startWorker?: boolean;
    /** How many phone numbers the sandbox account owns (default: the five it seeds). */
    phoneNumbers?: number;
    /** How the sandbox delivers callbacks (default: docs/sandbox.md's). */
    delivery?: Partial<DeliverySettings>;
    /** Serve the webhook server's metrics on a loopback port of their own. */
    webhookMetrics?: boolean;
    /**
     * False: the sandbox sends no callback at all (no Event Streams sink, no TCR sink, bundles
     * created without a status_callback), so only the workflows' polls move them. Default true.
     */
    callbacks?: boolean;
  } = {},
): Promise<E2EStack> {
  const sandbox = await startSandbox({ port: 0, otpAutoReplyMs: options.otpAutoReplyMs ?? null });
  const owned = (await sandbox.control.info()).numbers.length;
  if (options.phoneNumbers !== undefined && options.phoneNumbers > owned)
    await sandbox.control.provisionNumbers(options.phoneNumbers - owned);
  const keyRing = { active: generateKey('e2e'), previous: [] };
  const env = {
    TWILIO_ACCOUNT_SID: sandbox.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.authToken,
    TWILIO_API_BASE_URL: sandbox.url,
    A2P_PRIMARY_PROFILE_SID: sandbox.primaryProfileSid,
    A2P_ENCRYPTION_KEYS: formatKeyRing(keyRing),
    A2P_BRAND_USAGE_KEY: randomBytes(32).toString('base64'),
    A2P_SETTLE_DELAY: '1s',
    A2P_POLL_INTERVAL: '1h',
    ...options.env,
  };
  const client = await devServerClient(namespace, createDataConverter(keyRing));
  const webhooks = await startWebhookServer({
    client,
    authToken: sandbox.authToken,
    subaccountAuthToken: twilioSubaccountTokens(
      createTwilioClient({
        accountSid: sandbox.accountSid,
        authToken: sandbox.authToken,
        apiBaseUrl: sandbox.url,
      }),
    ),
    tcrSecret: TCR_SECRET,
    logger: false,
    metrics: options.webhookMetrics ? { host: '127.0.0.1', port: 0 } : undefined,
  });
  const callbacks = options.callbacks ?? true;
  if (options.delivery) await sandbox.control.setDelivery(options.delivery);
  if (callbacks) {
    await sandbox.control.setEventSink(eventStreamsSinkUrl(webhooks.url));
    await sandbox.control.setTcrSink(tcrWebhookUrl(webhooks.url), TCR_SECRET);
  }
  const config = loadConfig(callbacks ? { ...env, A2P_PUBLIC_WEBHOOK_URL: webhooks.url } : env);
  const registrar = new RegistrarClient(client, config);

  let connection: NativeConnection | undefined;
  let workers: Worker[] = [];
  let running: Promise<unknown> | undefined;
  const stack: E2EStack = {
    sandbox,
    client,
    registrar,
    config,
    webhookUrl: webhooks.url,
    webhookMetricsUrl: webhooks.metricsUrl,
    webhookStats: () => webhooks.stats(),
    env: { ...env, A2P_PUBLIC_WEBHOOK_URL: webhooks.url },
    async startWorker() {
      connection ??= await devServerWorkerConnection();
      workers = await createWorkers({ config, connection, namespace });
      running = Promise.all(workers.map((w) => w.run()));
    },
    async stopWorker() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      workers = [];
    },
    async until(customerId, pred, what, timeoutMs = 60_000) {
      const handle = client.workflow.getHandle(registrationWorkflowId(customerId));
      const deadline = Date.now() + timeoutMs;
      let last: RegistrationProgress | undefined;
      while (Date.now() < deadline) {
        last = await handle.query<RegistrationProgress>('progress').catch(() => last);
        if (last && pred(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Timed out waiting for ${what}; progress: ${JSON.stringify(last)}`);
    },
    async stop() {
      // The sandbox first: it sends callbacks (number registrations, late reviews) on its own,
      // and the webhook server would otherwise still be signalling when the connection closes.
      await sandbox.close();
      await webhooks.close();
      await stack.stopWorker();
      await connection?.close();
      await client.connection.close();
    },
  };
  if (options.startWorker ?? true) await stack.startWorker();
  return stack;
}
