import { A2P_CUSTOMER_PROFILE_SID, A2P_TRUST_PRODUCT_SID, registrationWorkflowId } from '../../../src/shared';
import { trustHubCallbackUrl } from '../../../src/webhooks/urls';
import {
  closeServers,
  BUNDLE,
  deferred,
  FakeSignaller,
  NOW,
  PUBLIC_BASE,
  signedForm,
  signedJson,
  testServer,
  TRUST_PRODUCT,
  trustHubParams,
} from './helpers';

const WORKFLOW = registrationWorkflowId('cust-42');
const PATH = trustHubCallbackUrl('', WORKFLOW); // the path and query Twilio calls

afterEach(closeServers);

describe('POST /webhooks/trust-hub', () => {
  it('signals trustHubStatus to the workflow named in the callback URL', async () => {
    const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const res = await inject({ method: 'POST', ...signedForm(PATH, trustHubParams()) });
    expect(res.statusCode).toBe(200);
    expect(signaller.signals).toEqual([
      {
        workflowId: WORKFLOW,
        signal: 'trustHubStatus',
        payload: {
          eventId: expect.stringMatching(/^trust-hub:sha256:[0-9a-f]{64}$/) as string,
          occurredAt: NOW.toISOString(),
          bundleSid: BUNDLE,
          status: 'twilio-rejected',
          failureReason: 'Address mismatch',
        },
      },
    ]);
    await app.close();
  });

  it('uses the same event id for the same parameters in any order, and a different one for other content', async () => {
    const { app, signaller, inject } = testServer({
      signaller: new FakeSignaller().addWorkflow(WORKFLOW),
      tuning: { dedupeWindowMs: 0 },
    });
    const params = trustHubParams();
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    for (const p of [params, reordered, trustHubParams({ Status: 'in-review' })]) {
      expect((await inject({ method: 'POST', ...signedForm(PATH, p) })).statusCode).toBe(200);
    }
    const ids = signaller.signals.map((s) => (s.payload as { eventId: string }).eventId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    await app.close();
  });

  it('drops an exact redelivery within the dedupe window', async () => {
    const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const request = signedForm(PATH, trustHubParams());
    expect((await inject({ method: 'POST', ...request })).statusCode).toBe(200);
    expect((await inject({ method: 'POST', ...request })).statusCode).toBe(200);
    expect(signaller.signals).toHaveLength(1);
    await app.close();
  });

  it('takes the date Twilio gives as the event time', async () => {
    const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const params = trustHubParams({ DateUpdated: '2024-12-31T23:59:59Z' });
    await inject({ method: 'POST', ...signedForm(PATH, params) });
    expect(signaller.signals[0]?.payload).toMatchObject({ occurredAt: '2024-12-31T23:59:59.000Z' });
    await app.close();
  });

  it('finds the workflow by bundle SID when the callback URL names none', async () => {
    const signaller = new FakeSignaller()
      .addWorkflow(WORKFLOW, { [A2P_CUSTOMER_PROFILE_SID.name]: BUNDLE })
      .addWorkflow(registrationWorkflowId('other'), { [A2P_TRUST_PRODUCT_SID.name]: TRUST_PRODUCT });
    const { app, inject } = testServer({ signaller });
    const res = await inject({ method: 'POST', ...signedForm('/webhooks/trust-hub', trustHubParams()) });
    expect(res.statusCode).toBe(200);
    expect(signaller.lookups).toEqual([
      `(A2pCustomerProfileSid = '${BUNDLE}' OR A2pTrustProductSid = '${BUNDLE}') AND ExecutionStatus = 'Running'`,
    ]);
    expect(signaller.signals.map((s) => s.workflowId)).toEqual([WORKFLOW]);
    await app.close();
  });

  it('validates behind a proxy: the request arrives on another scheme, host and port', async () => {
    const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const request = signedForm(PATH, trustHubParams());
    const res = await inject({
      method: 'POST',
      ...request,
      headers: {
        ...request.headers,
        host: '10.0.0.7:4020',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(signaller.signals).toHaveLength(1);
    await app.close();
  });

  describe('refuses unauthenticated callbacks with 403 and signals nothing', () => {
    const cases: [string, () => ReturnType<typeof signedForm>][] = [
      [
        'a forged signature (other auth token)',
        () => signedForm(PATH, trustHubParams(), { token: 'f'.repeat(32) }),
      ],
      [
        'no signature',
        () => {
          const r = signedForm(PATH, trustHubParams());
          return { ...r, headers: { 'content-type': r.headers['content-type'] } };
        },
      ],
      [
        'a signature for a different URL (another workflow)',
        () => ({
          ...signedForm(trustHubCallbackUrl('', registrationWorkflowId('victim')), trustHubParams()),
          url: PATH,
        }),
      ],
      [
        'a signature for the local URL instead of the public one',
        () => signedForm(PATH, trustHubParams(), { base: 'http://localhost:80' }),
      ],
      [
        'a signature replayed on a different body',
        () => ({
          ...signedForm(PATH, trustHubParams()),
          payload: new URLSearchParams(trustHubParams({ Status: 'twilio-approved' })).toString(),
        }),
      ],
      [
        'an extra parameter appended to a signed body',
        () => {
          const r = signedForm(PATH, trustHubParams());
          return { ...r, payload: `${r.payload}&Status=twilio-approved` };
        },
      ],
    ];
    it.each(cases)('%s', async (_name, build) => {
      const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
      const res = await inject({ method: 'POST', ...build() });
      expect(res.statusCode).toBe(403);
      expect(signaller.attempts).toEqual([]);
      expect(signaller.lookups).toEqual([]);
      await app.close();
    });
  });

  it('acknowledges a callback for a workflow that is not running, signalling nothing', async () => {
    const { app, signaller, logs, inject } = testServer();
    const res = await inject({ method: 'POST', ...signedForm(PATH, trustHubParams()) });
    expect(res.statusCode).toBe(200);
    expect(signaller.signals).toEqual([]);
    expect(logs.messages()).toContain('no running workflow for event; acknowledged');
    await app.close();
  });

  it('answers 503 when Temporal cannot be reached, and the redelivery gets through with the same id', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    signaller.failNextSignals = 1;
    const { app, logs, inject } = testServer({ signaller });
    const request = signedForm(PATH, trustHubParams());
    const first = await inject({ method: 'POST', ...request });
    expect(first.statusCode).toBe(503);
    expect(signaller.signals).toEqual([]);
    expect(logs.messages()).toContain('signal failed');
    const retry = await inject({ method: 'POST', ...request });
    expect(retry.statusCode).toBe(200);
    expect(signaller.signals).toHaveLength(1);
    await app.close();
  });

  it('answers 503 when the signal does not complete in time, and still finishes it in the background', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    const gate = deferred();
    signaller.gate = gate.promise;
    const { app, inject } = testServer({ signaller, tuning: { syncTimeoutMs: 10 } });
    const res = await inject({ method: 'POST', ...signedForm(PATH, trustHubParams()) });
    expect(res.statusCode).toBe(503);
    gate.resolve();
    await app.close(); // waits for the tracked background signal
    expect(signaller.signals).toHaveLength(1);
  });

  it.each([
    ['a missing BundleSid', { Status: 'in-review' }],
    ['a malformed BundleSid', trustHubParams({ BundleSid: 'BU123' })],
    ['a missing Status', { BundleSid: BUNDLE }],
    ['a non-word Status', trustHubParams({ Status: '<script>' })],
  ])('answers 400 for %s', async (_name, params) => {
    const { app, signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const res = await inject({ method: 'POST', ...signedForm(PATH, params) });
    expect(res.statusCode).toBe(400);
    expect(signaller.attempts).toEqual([]);
    await app.close();
  });

  it('answers 400 for a callback URL whose workflow id is not a registration', async () => {
    const { app, signaller, inject } = testServer();
    for (const query of ['?workflowId=a2p-campaign-x-1', '?workflowId=a&workflowId=b', '?workflowId=']) {
      const res = await inject({
        method: 'POST',
        ...signedForm(`/webhooks/trust-hub${query}`, trustHubParams()),
      });
      expect(res.statusCode).toBe(400);
    }
    expect(signaller.attempts).toEqual([]);
    await app.close();
  });

  it('answers 415 for a JSON body', async () => {
    const { app, signaller, inject } = testServer();
    const res = await inject({ method: 'POST', ...signedJson(PATH, '{"BundleSid":"x"}') });
    expect(res.statusCode).toBe(415);
    expect(signaller.attempts).toEqual([]);
    await app.close();
  });

  it('answers 413 for a body over the limit', async () => {
    const { app, signaller, inject } = testServer();
    const params = trustHubParams({ FailureReason: 'x'.repeat(70 * 1024) });
    const res = await inject({ method: 'POST', ...signedForm(PATH, params) });
    expect(res.statusCode).toBe(413);
    expect(signaller.attempts).toEqual([]);
    await app.close();
  });

  it('refuses an unsigned request before reading its body, however large', async () => {
    const { app, inject } = testServer({ tuning: { bodyLimitBytes: 1024 } });
    const res = await inject({
      method: 'POST',
      url: PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a='.padEnd(1024 * 1024, 'x'),
    });
    expect(res.statusCode).toBe(403);
    await app.close();
  });

  it('builds the callback URL the activities register', () => {
    expect(trustHubCallbackUrl(`${PUBLIC_BASE}/`, WORKFLOW)).toBe(
      `${PUBLIC_BASE}/webhooks/trust-hub?workflowId=a2p-registration-cust-42`,
    );
  });
});
