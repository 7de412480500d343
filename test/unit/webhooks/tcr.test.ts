import { externalCampaignWorkflowId } from '../../../src/shared';
import { closeServers, FakeSignaller, NOW, TCR_SECRET, testServer } from './helpers';

const PATH = '/webhooks/tcr';
const CAMPAIGN = 'CABC123';
const WORKFLOW = externalCampaignWorkflowId(CAMPAIGN);

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function tcrRequest(body: unknown, auth: Record<string, string> = { 'x-a2p-webhook-secret': TCR_SECRET }) {
  return {
    url: PATH,
    headers: { 'content-type': 'application/json', ...auth },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

const accept = {
  eventType: 'CAMPAIGN_SHARE_ACCEPT',
  campaignId: CAMPAIGN,
  brandId: 'BXYZ123',
  cspId: 'SABC123',
  mock: false,
};
const rejectShare = {
  eventType: 'CAMPAIGN_SHARE_DELETE',
  campaignId: CAMPAIGN,
  description: 'Opt-in flow does not mention message frequency',
};

afterEach(closeServers);

describe('POST /webhooks/tcr', () => {
  it.each([
    ['the X-A2P-Webhook-Secret header', { 'x-a2p-webhook-secret': TCR_SECRET }],
    ['a bearer token', { authorization: `Bearer ${TCR_SECRET}` }],
    ['Basic auth whose password is the secret', { authorization: basic('tcr', TCR_SECRET) }],
  ])('accepts %s and signals campaignShare to the external campaign workflow', async (_name, auth) => {
    const { signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const res = await inject(tcrRequest(accept, auth));
    expect(res.statusCode).toBe(200);
    expect(signaller.signals).toEqual([
      {
        workflowId: WORKFLOW,
        signal: 'campaignShare',
        payload: {
          eventId: expect.stringMatching(/^tcr:sha256:[0-9a-f]{64}$/) as string,
          occurredAt: NOW.toISOString(),
          campaignId: CAMPAIGN,
          type: 'CAMPAIGN_SHARE_ACCEPT',
          feedback: undefined,
        },
      },
    ]);
  });

  it('passes the rejection feedback of CAMPAIGN_SHARE_DELETE, and TCR’s id and time when given', async () => {
    const { signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const res = await inject(
      tcrRequest({ ...rejectShare, eventId: 'e-1', timestamp: '2025-01-01T10:00:00Z' }),
    );
    expect(res.statusCode).toBe(200);
    expect(signaller.signals[0]?.payload).toEqual({
      eventId: 'tcr:e-1',
      occurredAt: '2025-01-01T10:00:00.000Z',
      campaignId: CAMPAIGN,
      type: 'CAMPAIGN_SHARE_DELETE',
      feedback: 'Opt-in flow does not mention message frequency',
    });
  });

  it('accepts `type` for the event type and a list of events', async () => {
    const { signaller, inject } = testServer({
      signaller: new FakeSignaller().addWorkflow(WORKFLOW),
      tuning: { dedupeWindowMs: 0 },
    });
    const res = await inject(
      tcrRequest([{ type: 'CAMPAIGN_SHARE_ACCEPT', campaignId: CAMPAIGN }, rejectShare]),
    );
    expect(res.statusCode).toBe(200);
    expect(signaller.signals.map((s) => (s.payload as { type: string }).type)).toEqual([
      'CAMPAIGN_SHARE_ACCEPT',
      'CAMPAIGN_SHARE_DELETE',
    ]);
  });

  it('gives a redelivered event the same id', async () => {
    const { signaller, inject } = testServer({
      signaller: new FakeSignaller().addWorkflow(WORKFLOW),
      tuning: { dedupeWindowMs: 0 },
    });
    await inject(tcrRequest(rejectShare));
    await inject(
      tcrRequest({
        description: rejectShare.description,
        campaignId: CAMPAIGN,
        eventType: rejectShare.eventType,
      }),
    );
    const [a, b] = signaller.signals.map((s) => (s.payload as { eventId: string }).eventId);
    expect(a).toBeDefined();
    expect(a).toBe(b);
  });

  it('answers 401 without credentials and 403 with wrong ones, signalling nothing', async () => {
    const { signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const missing = await inject(tcrRequest(accept, {}));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Basic /);
    const wrong: Record<string, string>[] = [
      { 'x-a2p-webhook-secret': 'wrong-secret-wrong-secret' },
      { 'x-a2p-webhook-secret': `${TCR_SECRET}x` },
      { authorization: `Bearer ${TCR_SECRET.slice(0, -1)}` },
      { authorization: basic(TCR_SECRET, 'nope') },
    ];
    for (const auth of wrong) {
      expect((await inject(tcrRequest(accept, auth))).statusCode).toBe(403);
    }
    for (const auth of [
      { authorization: 'Digest abc' },
      { authorization: basic('only-user', '').slice(0, -4) },
    ]) {
      expect((await inject(tcrRequest(accept, auth))).statusCode).toBe(401);
    }
    expect(signaller.attempts).toEqual([]);
  });

  it('acknowledges a share event for a campaign no workflow registers', async () => {
    const { signaller, inject, logs } = testServer();
    expect((await inject(tcrRequest(accept))).statusCode).toBe(200);
    expect(signaller.signals).toEqual([]);
    expect(signaller.attempts).toEqual([WORKFLOW]);
    expect(logs.messages()).toContain('no running workflow for event; acknowledged');
  });

  it('acknowledges other TCR event types without signalling', async () => {
    const { signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    const res = await inject(tcrRequest({ eventType: 'CAMPAIGN_NUDGE', campaignId: CAMPAIGN }));
    expect(res.statusCode).toBe(200);
    expect(signaller.attempts).toEqual([]);
  });

  it('answers 503 when the workflow cannot be signalled', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    signaller.failNextSignals = 1;
    const { inject } = testServer({ signaller });
    expect((await inject(tcrRequest(accept))).statusCode).toBe(503);
    expect((await inject(tcrRequest(accept))).statusCode).toBe(200);
    expect(signaller.signals).toHaveLength(1);
  });

  it.each([
    ['malformed JSON', '{"eventType":'],
    ['no event type', { campaignId: CAMPAIGN }],
    ['a share event without campaignId', { eventType: 'CAMPAIGN_SHARE_ACCEPT' }],
    ['an invalid campaignId', { eventType: 'CAMPAIGN_SHARE_ACCEPT', campaignId: "C1' OR '1'='1" }],
    ['a number', 42],
  ])('answers 400 for %s', async (_name, body) => {
    const { signaller, inject } = testServer({ signaller: new FakeSignaller().addWorkflow(WORKFLOW) });
    expect((await inject(tcrRequest(body))).statusCode).toBe(400);
    expect(signaller.attempts).toEqual([]);
  });

  it('is not served when no TCR secret is configured', async () => {
    const { signaller, inject } = testServer({ tcrSecret: undefined });
    expect((await inject(tcrRequest(accept))).statusCode).toBe(404);
    expect(signaller.attempts).toEqual([]);
  });
});
