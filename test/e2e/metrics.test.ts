import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import type { RegistrationProgress } from '../../src/shared';
import {
  FEE_METRICS,
  REGISTRATION_METRICS as R,
  TWILIO_METRICS,
  WEBHOOK_METRICS as W,
} from '../../src/shared/metrics';
import { TRUST_HUB_PATH } from '../../src/webhooks/urls';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { dashboardMetricNames, Scrape } from '../helpers/prometheus';

const NAMESPACE = 'a2p-e2e-metrics';

/** A loopback port nothing listens on now (the worker's exporter needs a fixed one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * The metrics a user scrapes, as they run: the worker in a process of its own with
 * A2P_METRICS_BIND_ADDRESS (the Temporal runtime's Prometheus exporter), and the webhook server's
 * separate /metrics listener. A registration moves the documented series, scraped before, while it
 * waits for the OTP and after it completes.
 */
describe('Prometheus metrics of the worker and the webhook server', () => {
  let stack: E2EStack;
  let worker: ChildProcess | undefined;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE, { startWorker: false, webhookMetrics: true });
    const bindAddress = `127.0.0.1:${await freePort()}`;
    workerMetricsUrl = `http://${bindAddress}/metrics`;
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker-process.ts')], {
      env: {
        ...process.env,
        ...stack.env,
        A2P_TEST_NAMESPACE: NAMESPACE,
        A2P_METRICS_BIND_ADDRESS: bindAddress,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    worker = proc;
    await new Promise<void>((ready, fail) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker-process: running')) ready();
      });
      proc.once('exit', (code, signal) => fail(new Error(`worker process exited early (${code ?? signal})`)));
    });
  }, 90_000);
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await stack?.stop();
  });

  /** Scrapes `url` until `pred` holds (metrics reach the exporter when a task completes), bounded. */
  async function scrapeUntil(url: string, pred: (s: Scrape) => boolean, what: string): Promise<Scrape> {
    const deadline = Date.now() + 15_000;
    let last = await Scrape.of(url);
    while (!pred(last)) {
      if (Date.now() > deadline)
        throw new Error(
          `metrics at ${url} never showed ${what}:\n${last.samples
            .filter((s) => s.name.startsWith('a2p_'))
            .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
            .join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 200));
      last = await Scrape.of(url);
    }
    return last;
  }

  test('a registration moves the registration, phase, wait, Twilio, fee, webhook and SDK series', async () => {
    const webhookMetricsUrl = stack.webhookMetricsUrl as string;
    expect(webhookMetricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    // Before: nothing registered yet; the webhook series exist at zero.
    const before = await Scrape.of(workerMetricsUrl);
    expect(before.sum(R.started)).toBe(0);
    expect(before.sum(FEE_METRICS.fees)).toBe(0);
    const webhooksBefore = await Scrape.of(webhookMetricsUrl);
    expect(webhooksBefore.sum(W.deliveries, { outcome: 'delivered' })).toBe(0);
    expect(webhooksBefore.sum(W.signatureFailures, { route: TRUST_HUB_PATH })).toBe(0);

    const customerId = `e2e-metrics-${Date.now()}`;
    const started = await stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000001',
    });

    // During: waiting for the customer's OTP, the brand is registered and paid for.
    const p = await stack.until(customerId, (q) => q.phase === 'brand-verification', 'OTP sent');
    const during = await scrapeUntil(
      workerMetricsUrl,
      (s) => s.sum(R.phaseEntered, { phase: 'brand-verification' }) === 1,
      'the brand-verification phase',
    );
    // The TS SDK tags its meter's series namespace, taskQueue and workflowType / activityType.
    expect(during.sum(R.started, { workflowType: 'soleProprietorRegistration' })).toBe(1);
    for (const phase of ['customer-profile', 'trust-bundle', 'brand'])
      expect({ phase, n: during.sum(R.phaseEntered, { phase }) }).toEqual({ phase, n: 1 });
    expect(during.sum(R.phaseEntered, { phase: 'completed' })).toBe(0);
    expect(during.sum(R.ended)).toBe(0);
    expect(during.sum(FEE_METRICS.fees, { kind: 'brand-registration', activityType: 'ensureBrand' })).toBe(1);
    expect(during.sum(FEE_METRICS.fees, { kind: 'campaign-vetting' })).toBe(0);
    for (const step of ['customer-profile-settle', 'trust-bundle-settle', 'brand-settle', 'brand-review'])
      expect({ step, n: during.sum(`${R.waitSeconds}_count`, { step }) }).toEqual({ step, n: 1 });
    // The settle is 1 s here (A2P_SETTLE_DELAY): it lands at or above the 1 s bound, below 5 s.
    expect(during.sum(`${R.waitSeconds}_bucket`, { step: 'brand-settle', le: '5' })).toBe(1);
    expect(
      during.sum(TWILIO_METRICS.requests, {
        endpoint: 'POST messaging/v1/a2p/BrandRegistrations',
        status: '201',
      }),
    ).toBe(1);
    expect(during.values(TWILIO_METRICS.requests, 'endpoint')).toContain(
      'POST trusthub/v1/CustomerProfiles/{sid}/Evaluations',
    );
    // Every endpoint label is a method and a path without SIDs.
    for (const endpoint of during.values(TWILIO_METRICS.requests, 'endpoint'))
      expect(endpoint).toMatch(/^(GET|POST|DELETE) (trusthub|messaging|api)\/[A-Za-z0-9/{}.-]+$/);

    // After: the customer answers, the campaign is verified, the number attached.
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    const result = (await stack.client.workflow
      .getHandle(started.workflowId)
      .result()) as RegistrationProgress;
    expect(result.outcome).toBe('completed');
    const after = await scrapeUntil(
      workerMetricsUrl,
      (s) => s.sum(R.ended, { outcome: 'completed' }) === 1,
      'the completed outcome',
    );
    expect(after.sum(R.started)).toBe(1);
    expect(after.sum(R.ended)).toBe(1);
    for (const phase of ['brand-verification', 'messaging-service', 'campaign', 'phone-number', 'completed'])
      expect({ phase, n: after.sum(R.phaseEntered, { phase }) }).toEqual({ phase, n: 1 });
    for (const step of ['otp', 'campaign-review'])
      expect({ step, n: after.sum(`${R.waitSeconds}_count`, { step }) }).toEqual({ step, n: 1 });
    expect(after.sum(FEE_METRICS.fees, { kind: 'brand-registration' })).toBe(1);
    expect(after.sum(FEE_METRICS.fees, { kind: 'campaign-vetting' })).toBe(1);
    expect(
      after.sum(TWILIO_METRICS.requests, { endpoint: 'POST messaging/v1/Services/{sid}/Compliance/Usa2p' }),
    ).toBe(1);
    expect(after.sum(TWILIO_METRICS.requests)).toBeGreaterThan(during.sum(TWILIO_METRICS.requests));
    // The SDK's own series share the endpoint.
    expect(after.sum('temporal_workflow_completed', { workflow_type: 'soleProprietorRegistration' })).toBe(1);
    expect(after.sum('temporal_activity_execution_latency_count')).toBeGreaterThan(0);

    // The webhook server: Twilio's callbacks and events arrived signed and were delivered.
    const unsigned = await fetch(`${stack.webhookUrl}${TRUST_HUB_PATH}?workflowId=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'BundleSid=BU00000000000000000000000000000000&Status=twilio-approved',
    });
    expect(unsigned.status).toBe(403);
    const webhooks = await Scrape.of(webhookMetricsUrl);
    expect(webhooks.sum(W.requests, { route: '/webhooks/event-streams', status: '200' })).toBeGreaterThan(0);
    expect(webhooks.sum(W.requests, { route: TRUST_HUB_PATH, status: '403' })).toBe(1);
    expect(webhooks.sum(W.signatureFailures, { route: TRUST_HUB_PATH })).toBe(1);
    expect(webhooks.sum(W.deliveries, { outcome: 'delivered' })).toBe(stack.webhookStats().delivered);
    expect(webhooks.sum(W.deliveries, { outcome: 'delivered' })).toBeGreaterThan(0);
    expect(webhooks.names()).toContain(W.kept);

    // Every series the Grafana dashboard queries is there after one registration.
    const dashboard = readFileSync(
      resolve(__dirname, '../../docker/grafana/dashboards/a2p-registrar.json'),
      'utf8',
    );
    const scraped = new Set([...after.names(), ...webhooks.names()]);
    expect(dashboardMetricNames(dashboard).filter((name) => !scraped.has(name))).toEqual([]);
  }, 180_000);

  test('the webhook metrics listener is not the public webhook port', async () => {
    const publicMetrics = await fetch(`${stack.webhookUrl}/metrics`);
    expect(publicMetrics.status).toBe(404);
    const scraped = await fetch(stack.webhookMetricsUrl as string);
    expect(scraped.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  });
});
