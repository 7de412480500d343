import { STATUS_CODES } from 'node:http';
import type { SubaccountTokenLookup } from './subaccounts';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Dispatcher, errorSummary, type DeliveryStats, type DispatcherTuning } from './dispatcher';
import { WebhookMetrics } from './metrics';
import { DeliveryQueue, RecentEvents } from './queue';
import { type RouteContext } from './routes/common';
import { registerEventStreamsRoute } from './routes/event-streams';
import { registerTcrRoute } from './routes/tcr';
import { registerTrustHubRoute } from './routes/trust-hub';
import { singleHeader } from './signatures';
import type { WorkflowSignaller } from './targets';
import { EVENT_STREAMS_PATH, HEALTH_PATH, normalizeBaseUrl, TRUST_HUB_PATH } from './urls';

export interface WebhookTuning extends DispatcherTuning {
  /** Larger bodies are refused with 413 (Twilio's callbacks and event batches are far smaller). */
  bodyLimitBytes: number;
  /** Signals in flight at once. */
  concurrency: number;
  /** Deliveries queued or running; beyond it requests get 503 and the sender retries. */
  maxPending: number;
  /** An event id delivered within this window is dropped when it comes again (0 disables). */
  dedupeWindowMs: number;
  dedupeCapacity: number;
  /** A request that has not arrived completely within this time is dropped (slow senders). */
  requestTimeoutMs: number;
}

export const DEFAULT_TUNING: WebhookTuning = {
  bodyLimitBytes: 64 * 1024,
  concurrency: 16,
  maxPending: 1000,
  dedupeWindowMs: 10 * 60_000,
  dedupeCapacity: 10_000,
  requestTimeoutMs: 10_000,
  syncTimeoutMs: 3_000,
  // About 49 minutes in all: a quarter second, doubling to a minute, then up to 15 minutes apart.
  // An event that came before its workflow's search attribute was visible usually finds it
  // within a second (the upsert waits for one workflow task), so the first waits are short.
  retryDelaysMs: [
    250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 900_000,
  ],
  maxKept: 10_000,
};

export interface WebhookServerDeps {
  /** Twilio auth token that signs callbacks (X-Twilio-Signature). */
  authToken: string;
  /**
   * The auth token of a customer subaccount, which signs its own sink's events and its bundles'
   * callbacks; without it only the main account's requests verify.
   */
  subaccountAuthToken?: SubaccountTokenLookup;
  /**
   * The base URL Twilio calls, as configured at Twilio (e.g. https://hooks.example.com). Signatures
   * are checked against it plus the request's path and query, whatever scheme/host the request
   * arrived on. A function is read per request (for servers whose port is known only after listen).
   */
  publicBaseUrl: string | (() => string);
  /** Shared secret for the TCR webhook; without it `/webhooks/tcr` is not served. */
  tcrSecret?: string;
  signaller: WorkflowSignaller;
  /** Fastify/pino logger options (`false` silences). Redaction of credentials is always added. */
  logger?: FastifyServerOptions['logger'];
  tuning?: Partial<WebhookTuning>;
  now?: () => Date;
}

/** Headers that carry credentials; never logged. */
export const REDACTED_HEADERS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-a2p-webhook-secret"]',
];

function loggerOptions(logger: WebhookServerDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  const base = typeof logger === 'object' ? logger : {};
  return {
    level: 'info',
    ...base,
    redact: { paths: REDACTED_HEADERS, censor: '[redacted]' },
    serializers: {
      // Method, path and query (SIDs and workflow ids only), and the peer: never headers or bodies.
      req: (req: { method?: string; url?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.socket?.remoteAddress,
      }),
      ...base.serializers,
    },
  };
}

const queues = new WeakMap<FastifyInstance, DeliveryQueue>();
const dispatchers = new WeakMap<FastifyInstance, Dispatcher>();
const metrics = new WeakMap<FastifyInstance, WebhookMetrics>();

/** What became of the events the server took so far (delivered, re-delivered, kept, given up). */
export function deliveryStats(app: FastifyInstance): DeliveryStats {
  const dispatcher = dispatchers.get(app);
  if (!dispatcher) throw new Error('not a webhook server');
  return dispatcher.stats();
}

/** The server's series in Prometheus text format (requests, signature failures, deliveries). */
export function webhookMetricsText(app: FastifyInstance): string {
  const counted = metrics.get(app);
  if (!counted) throw new Error('not a webhook server');
  return counted.render(deliveryStats(app));
}

/**
 * Resolves once every signal queued by this server so far has been delivered, retried to the end or
 * given up (tests; graceful shutdown uses `close()`, which also stops waiting between retries).
 */
export async function deliveriesSettled(app: FastifyInstance): Promise<void> {
  await queues.get(app)?.idle();
}

/**
 * The webhook ingress: Trust Hub status callbacks, Event Streams and TCR campaign-sharing events
 * become Temporal signals. Build it and `inject()` requests in tests, or `listen()` it.
 */
export function buildWebhookServer(deps: WebhookServerDeps): FastifyInstance {
  const tuning: WebhookTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  if (!deps.authToken) throw new Error('authToken is required to check Twilio signatures');
  if (deps.tcrSecret !== undefined && deps.tcrSecret.length === 0)
    throw new Error('tcrSecret must not be empty');
  const resolveBase =
    typeof deps.publicBaseUrl === 'function' ? deps.publicBaseUrl : () => deps.publicBaseUrl as string;
  const publicBaseUrl = () => normalizeBaseUrl(resolveBase());
  if (typeof deps.publicBaseUrl === 'string') new URL(publicBaseUrl()); // fail fast on a bad URL

  const app = Fastify({
    logger: loggerOptions(deps.logger),
    bodyLimit: tuning.bodyLimitBytes,
    requestTimeout: tuning.requestTimeoutMs,
    trustProxy: false,
    return503OnClosing: true,
  });

  const queue = new DeliveryQueue(tuning.concurrency, tuning.maxPending);
  const recent = new RecentEvents(tuning.dedupeWindowMs, tuning.dedupeCapacity);
  const dispatcher = new Dispatcher(deps.signaller, queue, recent, app.log, tuning);
  queues.set(app, queue);
  dispatchers.set(app, dispatcher);
  const counted = new WebhookMetrics();
  metrics.set(app, counted);
  app.addHook('onResponse', async (request, reply) => {
    counted.request(request.method, request.routeOptions.url, reply.statusCode);
  });
  const ctx: RouteContext = {
    authToken: deps.authToken,
    subaccountAuthToken: deps.subaccountAuthToken,
    publicBaseUrl,
    tcrSecret: deps.tcrSecret,
    dispatcher,
    now: deps.now ?? (() => new Date()),
  };

  // Bodies stay raw strings: signatures are checked on exactly what was sent, before any JSON parse.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, raw, done) =>
    done(null, { kind: 'form', raw }),
  );
  app.addContentTypeParser(
    ['application/json', 'application/cloudevents-batch+json', 'application/cloudevents+json'],
    { parseAs: 'string' },
    (_req, raw, done) => done(null, { kind: 'json', raw }),
  );

  // Twilio always signs; an unsigned request is refused before its body is read.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const path = request.url.split('?', 1)[0];
    if (path !== TRUST_HUB_PATH && path !== EVENT_STREAMS_PATH) return;
    if (singleHeader(request.headers['x-twilio-signature'])) return;
    request.log.warn({ reason: 'missing' }, 'twilio signature missing');
    return reply.code(403).send({ error: 'missing signature' });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: errorSummary(error) }, 'request failed');
    else request.log.info({ code: error.code, status }, 'request refused');
    return reply.code(status).send({ error: STATUS_CODES[status] ?? 'error' });
  });

  app.get(HEALTH_PATH, (_request, reply) => reply.send({ status: 'ok' }));
  registerTrustHubRoute(app, ctx);
  registerEventStreamsRoute(app, ctx);
  if (deps.tcrSecret) registerTcrRoute(app, { ...ctx, tcrSecret: deps.tcrSecret });
  else app.log.info('A2P_TCR_WEBHOOK_SECRET not set: /webhooks/tcr is disabled');

  app.addHook('onClose', async () => {
    dispatcher.close();
    await queue.idle();
  });
  return app;
}
