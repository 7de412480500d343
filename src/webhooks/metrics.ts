import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_METRICS } from '../shared/metrics';
import { urlHost } from './config';
import type { DeliveryStats } from './dispatcher';
import { EVENT_STREAMS_PATH, TCR_PATH, TRUST_HUB_PATH } from './urls';

/** The routes that authenticate their sender (X-Twilio-Signature, or TCR's shared secret). */
const SIGNED_ROUTES = [TRUST_HUB_PATH, EVENT_STREAMS_PATH, TCR_PATH] as const;

export const METRICS_PATH = '/metrics';

/** Prometheus text exposition format 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

/** A label value as the text format wants it: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function series(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`;
}

function family(name: string, type: 'counter' | 'gauge', help: string, lines: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines];
}

/**
 * The webhook server's own series, counted in memory since the process started (a scrape reads
 * them; a restart starts them at zero, which Prometheus's rate() handles). Labels come from the
 * matched route pattern, never the request's path, so a scanner's random URLs are all `unmatched`.
 */
export class WebhookMetrics {
  private readonly requests = new Map<string, { labels: Labels; count: number }>();
  private readonly signatureFailures = new Map<string, number>(SIGNED_ROUTES.map((r) => [r, 0]));

  /** One answered request; `route` is the route pattern, undefined when no route matched. */
  request(method: string, route: string | undefined, status: number): void {
    const labels = { method, route: route ?? 'unmatched', status: String(status) };
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    const entry = this.requests.get(key) ?? { labels, count: 0 };
    entry.count++;
    this.requests.set(key, entry);
    // 403: a missing or wrong X-Twilio-Signature; 401/403 on the TCR route: no or a wrong secret.
    if (route && this.signatureFailures.has(route) && (status === 401 || status === 403))
      this.signatureFailures.set(route, (this.signatureFailures.get(route) ?? 0) + 1);
  }

  /** The exposition of every series, with the dispatcher's delivery counts as they are now. */
  render(stats: DeliveryStats): string {
    const requests = [...this.requests.values()]
      .sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1))
      .map(({ labels, count }) => series(WEBHOOK_METRICS.requests, labels, count));
    return [
      ...family(WEBHOOK_METRICS.requests, 'counter', 'HTTP requests answered, by route and status', requests),
      ...family(
        WEBHOOK_METRICS.signatureFailures,
        'counter',
        'Requests refused for a missing or invalid signature or TCR secret',
        [...this.signatureFailures].map(([route, n]) =>
          series(WEBHOOK_METRICS.signatureFailures, { route }, n),
        ),
      ),
      ...family(WEBHOOK_METRICS.deliveries, 'counter', 'Events taken, by what became of them', [
        series(WEBHOOK_METRICS.deliveries, { outcome: 'delivered' }, stats.delivered),
        series(WEBHOOK_METRICS.deliveries, { outcome: 'given-up' }, stats.givenUp),
        series(WEBHOOK_METRICS.deliveries, { outcome: 'duplicate' }, stats.duplicates),
      ]),
      ...family(
        WEBHOOK_METRICS.redeliveries,
        'counter',
        'Delivered events that needed more than one attempt',
        [series(WEBHOOK_METRICS.redeliveries, {}, stats.redelivered)],
      ),
      ...family(WEBHOOK_METRICS.kept, 'gauge', 'Events waiting now for their next delivery attempt', [
        series(WEBHOOK_METRICS.kept, {}, stats.kept),
      ]),
      '',
    ].join('\n');
  }
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on a listener of its own, apart from the public webhook port: Twilio must reach
 * that one, Prometheus only this one, which is never published (docs/operations.md, "Metrics").
 */
export async function listenForMetrics(
  render: () => string,
  options: { host: string; port: number },
): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    } else {
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
      res.end(req.method === 'HEAD' ? undefined : render());
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(options.host)}:${port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
