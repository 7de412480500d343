import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { RegistrarClient } from '../../src/client';
import { type Config, loadConfig } from '../../src/config';
import { createDataConverter, formatKeyRing, generateKey } from '../../src/encryption';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { registrationWorkflowId, type RegistrationProgress } from '../../src/shared';
import { buildWebhookServer, deliveriesSettled, TemporalSignaller } from '../../src/webhooks';
import { EVENT_STREAMS_PATH } from '../../src/webhooks/urls';
import { createWorkers } from '../../src/worker';
import { devServerClient, devServerWorkerConnection } from '../helpers/dev-server';
import { httpSend, signedJson, type SentResponse } from '../unit/webhooks/helpers';

const EventType = temporal.api.enums.v1.EventType;

/**
 * The sandbox's reviews take a day unless a test decides them: what Twilio says is then only what
 * the test says, through its events and the control API. (A day stays below setTimeout's limit.)
 */
const HELD_MS = 24 * 60 * 60_000;

export interface ContractStack {
  sandbox: RunningSandbox;
  client: Client;
  registrar: RegistrarClient;
  config: Config;
  /** The Event Streams sink's URL, which Twilio signs. */
  sinkUrl: string;
  /** POSTs a JSON body to the sink, signed for the sink's URL with the account's auth token. */
  deliver(body: string): Promise<SentResponse>;
  /** Waits until every signal the webhook server queued has been sent (or given up on). */
  deliveriesSettled(): Promise<void>;
  /**
   * Polls (bounded) until the registration is at rest (no workflow task, activity or child
   * pending: it waits on a timer, a correction or nothing) and its progress satisfies `pred`.
   */
  atRest(
    customerId: string,
    pred: (p: RegistrationProgress) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<RegistrationProgress>;
  /** The names of the signals the registration has received, oldest first. */
  signals(customerId: string): Promise<string[]>;
  stop(): Promise<void>;
}

async function atRest(handle: WorkflowHandle): Promise<boolean> {
  const { raw } = await handle.describe();
  return (
    !raw.pendingWorkflowTask &&
    (raw.pendingActivities?.length ?? 0) === 0 &&
    (raw.pendingChildren?.length ?? 0) === 0
  );
}

/**
 * The registration service as a user runs it (dev server, worker, webhook server, the sandbox as
 * Twilio's API) with the sandbox's own deliveries off: no Event Streams sink, no TCR webhook, and
 * no public webhook URL for the worker, so bundles carry no status_callback. Polling is an hour,
 * and the sandbox's reviews are held, so a registration moves within a test only on the events
 * the test delivers (or on a fetch that starts a wait, which shows what the test decided).
 */
export async function startContractStack(namespace: string): Promise<ContractStack> {
  const sandbox = await startSandbox({
    port: 0,
    otpAutoReplyMs: null,
    timings: {
      brandReviewMs: HELD_MS,
      campaignReviewMs: HELD_MS,
      externalReviewMs: HELD_MS,
      shareReviewMs: HELD_MS,
      numberRegistrationMs: HELD_MS,
    },
  });
  const keyRing = { active: generateKey('contract'), previous: [] };
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: sandbox.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.authToken,
    TWILIO_API_BASE_URL: sandbox.url,
    A2P_PRIMARY_PROFILE_SID: sandbox.primaryProfileSid,
    A2P_ENCRYPTION_KEYS: formatKeyRing(keyRing),
    A2P_BRAND_USAGE_KEY: randomBytes(32).toString('base64'),
    A2P_SETTLE_DELAY: '1s',
    A2P_POLL_INTERVAL: '1h',
  });
  const client = await devServerClient(namespace, createDataConverter(keyRing));
  const registrar = new RegistrarClient(client, config);

  // Built here rather than with startWebhookServer, for deliveriesSettled().
  const state: { base?: string } = {};
  const webhooks: FastifyInstance = buildWebhookServer({
    signaller: new TemporalSignaller(client),
    authToken: sandbox.authToken,
    publicBaseUrl: () => {
      if (!state.base) throw new Error('webhook server is not listening yet');
      return state.base;
    },
    logger: false,
  });
  await webhooks.listen({ port: 0, host: '127.0.0.1' });
  state.base = `http://127.0.0.1:${(webhooks.server.address() as AddressInfo).port}`;
  const base = state.base;

  const connection: NativeConnection = await devServerWorkerConnection();
  const workers: Worker[] = await createWorkers({ config, connection, namespace });
  const running = Promise.all(workers.map((w) => w.run()));
  const handle = (customerId: string) => client.workflow.getHandle(registrationWorkflowId(customerId));

  return {
    sandbox,
    client,
    registrar,
    config,
    sinkUrl: `${base}${EVENT_STREAMS_PATH}`,
    deliver: (body) =>
      httpSend(base, signedJson(EVENT_STREAMS_PATH, body, { base, token: sandbox.authToken })),
    deliveriesSettled: () => deliveriesSettled(webhooks),
    async atRest(customerId, pred, what, timeoutMs = 60_000) {
      const h = handle(customerId);
      const deadline = Date.now() + timeoutMs;
      let last: RegistrationProgress | undefined;
      while (Date.now() < deadline) {
        if (await atRest(h).catch(() => false)) {
          last = await h.query<RegistrationProgress>('progress').catch(() => last);
          // At rest before and after the query: the progress read is the one it rests in.
          if (last && pred(last) && (await atRest(h))) return last;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Timed out waiting for ${what}; progress: ${JSON.stringify(last)}`);
    },
    async signals(customerId) {
      const history = await handle(customerId).fetchHistory();
      return (history.events ?? [])
        .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? '');
    },
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await connection.close();
      await webhooks.close();
      await sandbox.close();
      await client.connection.close();
    },
  };
}
