import {
  A2P_BRAND_SID,
  A2P_MESSAGING_SERVICE_SID,
  externalCampaignWorkflowId,
  registrationWorkflowId,
} from '../../../src/shared';
import { parseForm } from '../../../src/webhooks/routes/trust-hub';
import { deliveriesSettled } from '../../../src/webhooks/server';
import { trustHubCallbackUrl } from '../../../src/webhooks/urls';
import {
  BRAND,
  brandEvent,
  campaignEvent,
  closeServers,
  FakeSignaller,
  SERVICE,
  signedForm,
  signedJson,
  TCR_SECRET,
  testServer,
  trustHubParams,
  type SendOptions,
} from './helpers';

const REGISTRATION = registrationWorkflowId('fuzz');
const CAMPAIGN = 'CFUZZ12';
const TRUST_HUB = trustHubCallbackUrl('', REGISTRATION);
const EVENT_STREAMS = '/webhooks/event-streams';
const TCR = '/webhooks/tcr';

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(0xa2b);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];

function randomBytes(max: number): Buffer {
  return Buffer.from(Array.from({ length: int(max) }, () => int(256)));
}

function randomText(max: number): string {
  const alphabet = [
    'a',
    'Z',
    '0',
    '&',
    '=',
    '%',
    '+',
    '"',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '\\',
    '\u0000',
    '\n',
    'é',
    '🙂',
    ' ',
  ];
  return Array.from({ length: int(max) }, () => pick(alphabet)).join('');
}

const KEYS = [
  'id',
  'type',
  'time',
  'data',
  'brandsid',
  'brandstatus',
  'messagingservicesid',
  'campaignId',
  'eventType',
  '__proto__',
  'constructor',
];

function randomJson(depth = 0): unknown {
  const kind = int(depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1e308, Number.MAX_SAFE_INTEGER, 3.14]);
    case 3:
      return pick([
        randomText(12),
        BRAND,
        SERVICE,
        CAMPAIGN,
        'CAMPAIGN_SHARE_ACCEPT',
        '2025-01-01T00:00:00Z',
      ]);
    case 4:
    case 5:
      return Array.from({ length: int(4) }, () => randomJson(depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(KEYS), randomJson(depth + 1)]));
  }
}

/** A valid event with random fields removed or replaced. */
function mutate(value: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const data = (copy.data ?? {}) as Record<string, unknown>;
  for (let i = int(3); i >= 0; i--) {
    const target = rand() < 0.5 ? copy : data;
    const key = pick(Object.keys(target).length ? Object.keys(target) : ['x']);
    if (rand() < 0.5) delete target[key];
    else target[key] = randomJson(1);
  }
  return copy;
}

function fuzzWorkflows(): FakeSignaller {
  return new FakeSignaller()
    .addWorkflow(REGISTRATION, { [A2P_BRAND_SID.name]: BRAND, [A2P_MESSAGING_SERVICE_SID.name]: SERVICE })
    .addWorkflow(externalCampaignWorkflowId(CAMPAIGN));
}

/** Every signal that got through carries a well-formed payload for a known workflow. */
function expectOnlyWellFormedSignals(signaller: FakeSignaller): void {
  for (const { workflowId, signal, payload } of signaller.signals) {
    const p = payload as Record<string, unknown>;
    expect(typeof p.eventId).toBe('string');
    expect(Number.isNaN(Date.parse(p.occurredAt as string))).toBe(false);
    if (signal === 'brandStatus') {
      expect([workflowId, p.brandSid]).toEqual([REGISTRATION, BRAND]);
    } else if (signal === 'campaignStatus') {
      expect([workflowId, p.messagingServiceSid]).toEqual([REGISTRATION, SERVICE]);
      expect(p.campaignStatus).toMatch(/^[A-Z][A-Z_-]*$/);
    } else if (signal === 'campaignShare') {
      expect(workflowId).toBe(externalCampaignWorkflowId(CAMPAIGN));
      expect(['CAMPAIGN_SHARE_ACCEPT', 'CAMPAIGN_SHARE_DELETE']).toContain(p.type);
    } else {
      expect(signal).toBe('trustHubStatus');
      expect(p.bundleSid).toMatch(/^BU[0-9a-f]{32}$/);
    }
  }
}

afterEach(closeServers);

describe('hostile and malformed input', () => {
  it('refuses random unauthenticated bodies with 4xx and never reaches Temporal', async () => {
    const { signaller, inject } = testServer({ signaller: fuzzWorkflows() });
    const contentTypes = [
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/octet-stream',
    ];
    for (let i = 0; i < 150; i++) {
      const headers: Record<string, string> = { 'content-type': pick(contentTypes) };
      if (rand() < 0.5) headers['x-twilio-signature'] = randomBytes(40).toString('base64');
      if (rand() < 0.3) headers['x-a2p-webhook-secret'] = randomBytes(24).toString('hex') || 'x';
      const res = await inject({
        url: pick([TRUST_HUB, EVENT_STREAMS, TCR]),
        headers,
        payload: randomBytes(2048),
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    expect(signaller.attempts).toEqual([]);
    expect(signaller.lookups).toEqual([]);
  });

  it('answers 400 to random text that is correctly signed', async () => {
    const { app, signaller, inject } = testServer({ signaller: fuzzWorkflows() });
    for (let i = 0; i < 150; i++) {
      const text = randomText(300);
      const requests: SendOptions[] = [
        // The form parser sees exactly this text, so the signature is over the parameters it yields.
        {
          ...signedForm(TRUST_HUB, parseForm(text)),
          payload: text,
        },
        { ...signedJson(EVENT_STREAMS, text) },
        {
          url: TCR,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TCR_SECRET}` },
          payload: text,
        },
      ];
      for (const request of requests) {
        const res = await inject(request);
        expect([res.statusCode, request.url]).toEqual([400, request.url]);
      }
    }
    await deliveriesSettled(app);
    expect(signaller.attempts).toEqual([]);
  });

  it('handles random and mutated JSON shapes with 200 or 400 only, signalling only well-formed events', async () => {
    const { app, signaller, inject } = testServer({
      signaller: fuzzWorkflows(),
      tuning: { dedupeWindowMs: 0 },
    });
    const statuses = new Map<number, number>();
    const valid = [
      brandEvent('brand-verified', {}),
      brandEvent('brand-failure', { failurereason: 'x' }),
      campaignEvent('campaign-approved', {}),
      campaignEvent('campaign-failure', { campaignregistrationstatus: 'FAILED' }),
    ];
    for (let i = 0; i < 300; i++) {
      const shape =
        i % 3 === 0
          ? randomJson()
          : Array.from({ length: 1 + int(3) }, () => (rand() < 0.8 ? mutate(pick(valid)) : randomJson()));
      const res = await inject({ ...signedJson(EVENT_STREAMS, JSON.stringify(shape) ?? 'null') });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);

      const tcrShape =
        rand() < 0.5
          ? randomJson()
          : mutate({ eventType: 'CAMPAIGN_SHARE_DELETE', campaignId: CAMPAIGN, description: 'x' });
      const tcr = await inject({
        url: TCR,
        headers: { 'content-type': 'application/json', 'x-a2p-webhook-secret': TCR_SECRET },
        payload: JSON.stringify(tcrShape) ?? 'null',
      });
      statuses.set(tcr.statusCode, (statuses.get(tcr.statusCode) ?? 0) + 1);
    }
    await deliveriesSettled(app);
    expect([...statuses.keys()].sort()).toEqual([200, 400]);
    expect(signaller.signals.length).toBeGreaterThan(0);
    expectOnlyWellFormedSignals(signaller);

    // Still healthy, and still serving real events.
    expect((await inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const before = signaller.signals.length;
    expect((await inject({ ...signedForm(TRUST_HUB, trustHubParams()) })).statusCode).toBe(200);
    expect(signaller.signals.length).toBe(before + 1);
  });

  it('serves a good request during a burst of forged ones, which never reach Temporal', async () => {
    const { signaller, inject } = testServer({ signaller: fuzzWorkflows() });
    const body = JSON.stringify([brandEvent('brand-verified', {}, 'good')]);
    const forged = Array.from({ length: 200 }, (_, i) => {
      const request = signedJson(
        EVENT_STREAMS,
        JSON.stringify([brandEvent('brand-failure', {}, `bad${i}`)]),
        {
          token: 'f'.repeat(32),
        },
      );
      return inject(request);
    });
    const good = inject({ ...signedJson(EVENT_STREAMS, body) });
    const [goodRes, ...badRes] = await Promise.all([good, ...forged]);
    expect(goodRes?.statusCode).toBe(200);
    expect(badRes.every((res) => res.statusCode === 403)).toBe(true);
    await closeServers();
    expect(signaller.signals.map((s) => (s.payload as { eventId: string }).eventId)).toEqual(['good']);
    expect(signaller.lookups).toHaveLength(1);
  });
});
