import { startWebhookServer } from '../../../src/webhooks';
import { WEBHOOK_METRICS as W } from '../../../src/shared/metrics';
import {
  EVENT_STREAMS_PATH,
  TCR_PATH,
  TRUST_HUB_PATH,
  trustHubCallbackUrl,
} from '../../../src/webhooks/urls';
import { registrationWorkflowId } from '../../../src/shared';
import { parsePrometheus, Scrape } from '../../helpers/prometheus';
import {
  AUTH_TOKEN,
  FakeSignaller,
  httpSend,
  PUBLIC_BASE,
  signedForm,
  TCR_SECRET,
  trustHubParams,
} from '../webhooks/helpers';

const WORKFLOW = registrationWorkflowId('cust-metrics');
const PATH = trustHubCallbackUrl('', WORKFLOW);

describe('the webhook server metrics', () => {
  test('count requests by route pattern and status, signature failures and deliveries, on their own listener', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    const server = await startWebhookServer({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE,
      tcrSecret: TCR_SECRET,
      signaller,
      logger: false,
      metrics: { host: '127.0.0.1', port: 0 },
    });
    try {
      const metricsUrl = server.metricsUrl as string;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);

      const before = await Scrape.of(metricsUrl);
      expect(before.sum(W.requests)).toBe(0);
      for (const route of [TRUST_HUB_PATH, EVENT_STREAMS_PATH, TCR_PATH])
        expect(before.samples).toContainEqual({ name: W.signatureFailures, labels: { route }, value: 0 });
      expect(before.sum(W.deliveries, { outcome: 'delivered' })).toBe(0);
      expect(before.sum(W.kept)).toBe(0);

      expect((await httpSend(server.url, signedForm(PATH, trustHubParams()))).statusCode).toBe(200);
      expect((await httpSend(server.url, signedForm(PATH, trustHubParams()))).statusCode).toBe(200);
      const forged = signedForm(PATH, trustHubParams(), { base: 'https://elsewhere.example.com' });
      expect((await httpSend(server.url, forged)).statusCode).toBe(403);
      expect((await httpSend(server.url, { method: 'POST', url: TCR_PATH, payload: '{}' })).statusCode).toBe(
        401,
      );
      // Random paths are one `unmatched` series, not one series each.
      for (const path of ['/wp-login.php', '/a/b/c', `/webhooks/${'x'.repeat(40)}`])
        expect((await httpSend(server.url, { method: 'GET', url: path })).statusCode).toBe(404);
      expect((await httpSend(server.url, { method: 'GET', url: '/metrics' })).statusCode).toBe(404);

      const after = await Scrape.of(metricsUrl);
      expect(after.sum(W.requests, { method: 'POST', route: TRUST_HUB_PATH, status: '200' })).toBe(2);
      expect(after.sum(W.requests, { method: 'POST', route: TRUST_HUB_PATH, status: '403' })).toBe(1);
      expect(after.sum(W.requests, { route: 'unmatched', status: '404' })).toBe(4);
      expect(after.values(W.requests, 'route')).toEqual([TCR_PATH, TRUST_HUB_PATH, 'unmatched']);
      expect(after.sum(W.signatureFailures, { route: TRUST_HUB_PATH })).toBe(1);
      expect(after.sum(W.signatureFailures, { route: TCR_PATH })).toBe(1);
      expect(after.sum(W.signatureFailures, { route: EVENT_STREAMS_PATH })).toBe(0);
      // The second callback is an exact copy of the first (the same event id): dropped.
      expect(after.sum(W.deliveries, { outcome: 'delivered' })).toBe(server.stats().delivered);
      expect(after.sum(W.deliveries, { outcome: 'duplicate' })).toBe(server.stats().duplicates);
      expect(server.stats().delivered + server.stats().duplicates).toBe(2);
    } finally {
      await server.close();
    }
  });

  test('the exposition is the text format: HELP and TYPE before each family, one sample a line', async () => {
    const server = await startWebhookServer({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE,
      signaller: new FakeSignaller(),
      logger: false,
      metrics: { host: '127.0.0.1', port: 0 },
    });
    try {
      const response = await fetch(server.metricsUrl as string);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await response.text();
      expect(text.endsWith('\n')).toBe(true);
      for (const name of Object.values(W)) {
        const help = text.indexOf(`# HELP ${name} `);
        expect({ name, help: help >= 0 }).toEqual({ name, help: true });
        expect(text.indexOf(`# TYPE ${name} `)).toBeGreaterThan(help);
      }
      expect(parsePrometheus(text).length).toBeGreaterThan(0);
      expect((await fetch((server.metricsUrl as string).replace('/metrics', '/other'))).status).toBe(404);
      expect((await fetch(server.metricsUrl as string, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
