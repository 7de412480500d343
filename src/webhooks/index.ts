import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { urlHost } from './config';
import type { DeliveryStats } from './dispatcher';
import { listenForMetrics, type MetricsListener } from './metrics';
import { buildWebhookServer, deliveryStats, webhookMetricsText, type WebhookServerDeps } from './server';
import { TemporalSignaller, type WorkflowSignaller } from './targets';

export {
  buildWebhookServer,
  deliveriesSettled,
  deliveryStats,
  DEFAULT_TUNING,
  webhookMetricsText,
  type WebhookServerDeps,
  type WebhookTuning,
} from './server';
export type { DeliveryStats } from './dispatcher';
export {
  buildClosedWorkflowQuery,
  buildRunningWorkflowQuery,
  connectTemporalSignaller,
  TemporalSignaller,
  type SearchAttributeMatch,
  type SignalOutcome,
  type WorkflowSignaller,
} from './targets';
export { loadWebhookConfig, WebhookConfigError, type WebhookConfig } from './config';
export { cachedSubaccountTokens, type SubaccountTokenLookup, twilioSubaccountTokens } from './subaccounts';
export {
  EVENT_STREAMS_PATH,
  eventStreamsSinkUrl,
  HEALTH_PATH,
  TCR_PATH,
  tcrWebhookUrl,
  TRUST_HUB_PATH,
  trustHubCallbackUrl,
} from './urls';

export interface StartWebhookServerOptions extends Omit<WebhookServerDeps, 'publicBaseUrl' | 'signaller'> {
  /** Default: the URL the server listens on (what the local sandbox signs). */
  publicBaseUrl?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How workflows are reached; give this or `client`. */
  signaller?: WorkflowSignaller;
  /** A Temporal Client built with the project's data converter; used when no `signaller` is given. */
  client?: Client;
  /**
   * Serve GET /metrics (Prometheus) on this host and port, a listener apart from the webhooks'
   * (port 0: any free port). Default: no metrics listener.
   */
  metrics?: { host: string; port: number };
}

export interface RunningWebhookServer {
  /** Where the server listens, e.g. http://127.0.0.1:4020. */
  url: string;
  /** What became of the events it took so far. */
  stats(): DeliveryStats;
  /** Where GET /metrics answers, when the server was started with `metrics`. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Start the webhook server (embedded stack, e2e tests). `close()` waits for queued signals. */
export async function startWebhookServer(options: StartWebhookServerOptions): Promise<RunningWebhookServer> {
  const { port = 0, host = '127.0.0.1', signaller, client, publicBaseUrl, metrics, ...deps } = options;
  const target = signaller ?? (client ? new TemporalSignaller(client) : undefined);
  if (!target) throw new Error('startWebhookServer needs a signaller or a Temporal client');
  const state: { url?: string } = {};
  const app = buildWebhookServer({
    ...deps,
    signaller: target,
    publicBaseUrl:
      publicBaseUrl ??
      (() => {
        if (!state.url) throw new Error('webhook server is not listening yet');
        return state.url;
      }),
  });
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${address.port}`;
  state.url = url;
  let metricsListener: MetricsListener | undefined;
  if (metrics) {
    try {
      metricsListener = await listenForMetrics(() => webhookMetricsText(app), metrics);
    } catch (err) {
      await app.close();
      throw err;
    }
  }
  return {
    url,
    stats: () => deliveryStats(app),
    metricsUrl: metricsListener?.url,
    close: async () => {
      await metricsListener?.close();
      await app.close();
    },
  };
}
