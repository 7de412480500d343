import { A2P_BRAND_SID, A2P_MESSAGING_SERVICE_SID, registrationWorkflowId } from '../../../src/shared';
import type { DeliveryStats } from '../../../src/webhooks';
import { deliveriesSettled, deliveryStats } from '../../../src/webhooks/server';
import {
  BRAND,
  closeServers,
  brandEvent,
  campaignEvent,
  deferred,
  FakeSignaller,
  SERVICE,
  signedJson,
  testServer,
} from './helpers';

const PATH = '/webhooks/event-streams';
const REGISTRATION = registrationWorkflowId('cust-7');
const EXTERNAL = 'a2p-external-campaign-CABC123';

function knownWorkflows(): FakeSignaller {
  return new FakeSignaller()
    .addWorkflow(REGISTRATION, { [A2P_BRAND_SID.name]: BRAND, [A2P_MESSAGING_SERVICE_SID.name]: SERVICE })
    .addWorkflow(EXTERNAL, { [A2P_MESSAGING_SERVICE_SID.name]: SERVICE });
}

const batch = (...events: unknown[]) => JSON.stringify(events);

afterEach(closeServers);

describe('POST /webhooks/event-streams', () => {
  it('signals each brand and campaign event to the workflows carrying the SID', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const body = batch(
      brandEvent('brand-registered', { brandstatus: 'APPROVED', identitystatus: 'UNVERIFIED' }),
      campaignEvent('campaign-approved', {
        campaignsid: 'QE' + '1'.repeat(32),
        campaignregistrationstatus: 'VERIFIED',
      }),
    );
    const res = await inject({ ...signedJson(PATH, body) });
    expect(res.statusCode).toBe(200);
    await app.close(); // signalling happens after the reply; close waits for it
    expect(signaller.lookups).toEqual([
      `A2pBrandSid = '${BRAND}' AND ExecutionStatus = 'Running'`,
      // A Standard registration holds several services: its list attribute is searched too.
      `(A2pMessagingServiceSid = '${SERVICE}' OR A2pMessagingServiceSids = '${SERVICE}') AND ExecutionStatus = 'Running'`,
    ]);
    expect(signaller.signals).toEqual(
      expect.arrayContaining([
        {
          workflowId: REGISTRATION,
          signal: 'brandStatus',
          payload: {
            eventId: 'EVbrand-registered',
            occurredAt: '2025-01-02T03:00:00.000Z',
            brandSid: BRAND,
            brandStatus: 'APPROVED',
            identityStatus: 'UNVERIFIED',
            eventType: 'com.twilio.messaging.compliance.brand-registration.brand-registered',
          },
        },
        ...[REGISTRATION, EXTERNAL].map((workflowId) => ({
          workflowId,
          signal: 'campaignStatus',
          payload: {
            eventId: 'EVcampaign-approved',
            occurredAt: '2025-01-02T03:01:00.000Z',
            messagingServiceSid: SERVICE,
            campaignSid: 'QE' + '1'.repeat(32),
            campaignStatus: 'VERIFIED',
            eventType: 'com.twilio.messaging.compliance.campaign-registration.campaign-approved',
          },
        })),
      ]),
    );
    expect(signaller.signals).toHaveLength(3);
  });

  it.each([
    ['brand-registered', {}, { brandStatus: 'APPROVED' }],
    [
      'brand-failure',
      { failurereason: ['Tax ID mismatch', { description: 'EIN not found' }] },
      { brandStatus: 'FAILED' },
    ],
    ['brand-unverified', {}, { identityStatus: 'UNVERIFIED' }],
    ['brand-verified', {}, { identityStatus: 'VERIFIED' }],
    ['brand-vetted-verified', {}, { identityStatus: 'VETTED_VERIFIED' }],
  ])(
    'reads the status a %s event implies when the data has no status field',
    async (subtype, data, expected) => {
      const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
      await inject({ ...signedJson(PATH, batch(brandEvent(subtype, data))) });
      await app.close();
      expect(signaller.signals).toHaveLength(1);
      expect(signaller.signals[0]?.payload).toMatchObject(expected);
      if (subtype === 'brand-registered')
        expect(signaller.signals[0]?.payload).not.toHaveProperty('identityStatus');
      if (subtype === 'brand-failure') {
        expect(signaller.signals[0]?.payload).toMatchObject({
          failureReason: 'Tax ID mismatch; EIN not found',
        });
      }
    },
  );

  it.each([
    ['campaign-submitted', undefined, 'IN_PROGRESS'],
    ['campaign-approved', 'APPROVED', 'VERIFIED'],
    ['campaign-failure', undefined, 'FAILED'],
    ['campaign-failure', 'failed', 'FAILED'],
    ['campaign-suspended', 'SUSPENDED', 'SUSPENDED'],
  ])('maps a %s event with status %s to %s', async (subtype, status, expected) => {
    const { app, signaller, inject } = testServer({
      signaller: new FakeSignaller().addWorkflow(EXTERNAL, { A2pMessagingServiceSid: SERVICE }),
    });
    const data = status ? { campaignregistrationstatus: status } : {};
    await inject({ ...signedJson(PATH, batch(campaignEvent(subtype, data))) });
    await app.close();
    expect(signaller.signals.map((s) => (s.payload as { campaignStatus: string }).campaignStatus)).toEqual([
      expected,
    ]);
  });

  it.each([
    ['PENDING', 'PENDING'],
    ['pending', 'IN_PROGRESS'],
    ['success', 'VERIFIED'],
    ['approved', 'VERIFIED'],
    ['failure', 'FAILED'],
    ['verified', 'VERIFIED'],
    ['constructor', 'VERIFIED'],
    ['no-such-word', 'VERIFIED'],
  ])(
    'reads campaignregistrationstatus %s as %s: REST words as spelled, then the event words, then the type',
    async (status, expected) => {
      const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
      await inject({
        ...signedJson(
          PATH,
          batch(campaignEvent('campaign-approved', { campaignregistrationstatus: status })),
        ),
      });
      await app.close();
      expect(signaller.signals.map((s) => (s.payload as { campaignStatus: string }).campaignStatus)).toEqual([
        expected,
        expected,
      ]);
    },
  );

  it.each([
    [{ brandstatus: 'registered' }, { brandStatus: 'APPROVED' }],
    [{ brandstatus: 'registration_failed' }, { brandStatus: 'FAILED' }],
    [{ brandstatus: 'IN_REVIEW' }, { brandStatus: 'IN_REVIEW' }],
    [{ brandstatus: 'deletion_pending' }, { brandStatus: 'DELETION_PENDING' }],
    [{ identitystatus: 'vetted_verified' }, { identityStatus: 'VETTED_VERIFIED' }],
    [{ identitystatus: 'self_declared' }, { identityStatus: 'SELF_DECLARED' }],
    [{ brandvettingoutcome: 'failed' }, { vettingOutcome: 'FAILED' }],
  ])('maps the brand event word %j to the REST API’s %j', async (data, expected) => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    await inject({ ...signedJson(PATH, batch(brandEvent('brand-event', data))) });
    await app.close();
    expect(signaller.signals).toHaveLength(1);
    expect(signaller.signals[0]?.payload).toMatchObject(expected);
  });

  it('orders by the data’s epoch-millisecond timestamp, then updateddate, then the envelope time', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const body = batch(
      brandEvent('brand-verified', { timestamp: 1756043494500, updateddate: 1 }, 'a'),
      brandEvent('brand-verified', { updateddate: 1756043494600 }, 'b'),
      brandEvent('brand-verified', {}, 'c'),
    );
    await inject({ ...signedJson(PATH, body) });
    await app.close();
    expect(signaller.signals.map((s) => (s.payload as { occurredAt: string }).occurredAt)).toEqual([
      '2025-08-24T13:51:34.500Z',
      '2025-08-24T13:51:34.600Z',
      '2025-01-02T03:00:00.000Z',
    ]);
  });

  it('carries brandregistrationerrors as errors and as the failure reason', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const errors = [
      {
        registrationerrorcode: 30794,
        registrationerrordescription: 'The mobile phone number has been used for the maximum of 3 brands.',
        registrationerrorurl: 'https://www.twilio.com/docs/api/errors/30794',
        registrationerrorfields: ['mobile_phone_number'],
      },
      'not an object',
      { registrationerrorurl: 'javascript:alert(1)' },
    ];
    await inject({
      ...signedJson(PATH, batch(brandEvent('brand-failure', { brandregistrationerrors: errors }))),
    });
    await app.close();
    expect(signaller.signals[0]?.payload).toMatchObject({
      brandStatus: 'FAILED',
      failureReason:
        '30794: The mobile phone number has been used for the maximum of 3 brands. (mobile_phone_number)',
      errors: [
        {
          code: 30794,
          description: 'The mobile phone number has been used for the maximum of 3 brands.',
          url: 'https://www.twilio.com/docs/api/errors/30794',
          fields: ['mobile_phone_number'],
        },
      ],
    });
  });

  it('accepts data sent as a JSON-encoded string', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const event = brandEvent('brand-verified', {});
    await inject({ ...signedJson(PATH, batch({ ...event, data: JSON.stringify(event.data) })) });
    await app.close();
    expect(signaller.signals[0]?.payload).toMatchObject({ brandSid: BRAND, identityStatus: 'VERIFIED' });
  });

  it('records campaign-deleted and number events without a Messaging Service SID, and signals nothing', async () => {
    const { app, signaller, inject, logs } = testServer({ signaller: knownWorkflows() });
    const body = batch(campaignEvent('campaign-deleted', { campaignregistrationstatus: 'deleted' }, 'd1'), {
      id: 'n1',
      type: 'com.twilio.messaging.compliance.number-registration.successful',
      data: { phonenumbersid: 'PN' + '1'.repeat(32), externalstatus: 'registered' },
    });
    expect((await inject({ ...signedJson(PATH, body) })).statusCode).toBe(200);
    await app.close();
    expect(signaller.signals).toEqual([]);
    expect(logs.text).toContain('"reason":"recorded"');
    expect(logs.text).toContain('"reason":"no-target"');
  });

  it('signals number registration events to the workflows carrying the Messaging Service SID', async () => {
    const { app, signaller, inject, logs } = testServer({ signaller: knownWorkflows() });
    const body = batch({
      id: 'n2',
      type: 'com.twilio.messaging.compliance.number-registration.successful',
      data: {
        phonenumbersid: 'PN' + '1'.repeat(32),
        phonenumber: '+14155550123',
        messagingservicesid: SERVICE,
        externalstatus: 'registered',
        timestamp: 1756043494500,
      },
    });
    await inject({ ...signedJson(PATH, body) });
    await app.close();
    expect(signaller.signals.map((s) => [s.workflowId, s.signal])).toEqual([
      [REGISTRATION, 'numberRegistration'],
      [EXTERNAL, 'numberRegistration'],
    ]);
    expect(signaller.signals[0]?.payload).not.toHaveProperty('phoneNumber');
    expect(logs.text).not.toContain('5550123');
  });

  it('names the bad field of a refused batch by its place in the array', async () => {
    const { app, inject } = testServer({ signaller: knownWorkflows() });
    const res = await inject({
      ...signedJson(PATH, batch(brandEvent('brand-verified', {}), { id: 'x', data: {} })),
    });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'expected an array of CloudEvents; invalid: [1].type' });
  });

  it('acknowledges number registration, unknown types and unknown SIDs without signalling', async () => {
    const { app, signaller, inject, logs } = testServer({ signaller: knownWorkflows() });
    const body = batch(
      { id: 'EV1', type: 'com.twilio.messaging.compliance.number-registration.number-added', data: {} },
      { id: 'EV2', type: 'com.twilio.messaging.message.delivered', data: { to: '+15555550100' } },
      brandEvent('brand-registered', { brandsid: 'BN' + '9'.repeat(32) }, 'EV3'),
      campaignEvent('campaign-approved', { messagingservicesid: 'MG' + '9'.repeat(32) }, 'EV4'),
    );
    const res = await inject({ ...signedJson(PATH, body) });
    expect(res.statusCode).toBe(200);
    await app.close();
    expect(signaller.signals).toEqual([]);
    expect(signaller.lookups).toHaveLength(2);
    expect(logs.messages().filter((m) => m === 'event acknowledged without a signal')).toHaveLength(2);
    expect(logs.messages().filter((m) => m === 'no running workflow for event')).toHaveLength(2);
    // With no attempts left (this server's tuning) the unknown SIDs are given up at once.
    expect(logs.messages().filter((m) => m === 'event given up')).toHaveLength(2);
  });

  /** Waits (without a clock) until the server's delivery counts satisfy `done`. */
  async function untilStats(app: Parameters<typeof deliveryStats>[0], done: (s: DeliveryStats) => boolean) {
    for (let turns = 0; !done(deliveryStats(app)); turns++) {
      if (turns > 10_000) throw new Error(`stats never settled: ${JSON.stringify(deliveryStats(app))}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('keeps an event whose workflow is not visible yet and delivers it once it is', async () => {
    // Under load visibility lags well behind the upsert: the first three attempts find nothing,
    // the fourth finds the workflows.
    const signaller = knownWorkflows();
    signaller.emptyNextLookups = 3;
    const { app, inject, logs } = testServer({
      signaller,
      tuning: { retryDelaysMs: [0, 0, 0] },
    });
    const res = await inject({ ...signedJson(PATH, batch(campaignEvent('campaign-approved', {}))) });
    expect(res.statusCode).toBe(200);
    await untilStats(app, (s) => s.delivered === 1);
    expect(signaller.lookups).toHaveLength(4);
    expect(signaller.signals.map((x) => x.workflowId).sort()).toEqual([EXTERNAL, REGISTRATION].sort());
    expect(deliveryStats(app)).toEqual({ delivered: 1, redelivered: 1, kept: 0, givenUp: 0, duplicates: 0 });
    expect(logs.messages().filter((m) => m === 'event kept for re-delivery')).toHaveLength(3);
  });

  it('keeps an event Temporal refused until it can be signalled', async () => {
    const signaller = knownWorkflows();
    signaller.failNextSignals = 2;
    const { app, inject } = testServer({ signaller, tuning: { retryDelaysMs: [0, 0, 0] } });
    await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) });
    await untilStats(app, (s) => s.delivered === 1);
    expect(signaller.signals.map((x) => x.workflowId)).toEqual([REGISTRATION]);
    expect(deliveryStats(app)).toMatchObject({ redelivered: 1, givenUp: 0 });
  });

  it('gives an event up after its last re-delivery, and says so', async () => {
    const { app, signaller, inject, logs } = testServer({
      signaller: knownWorkflows(),
      tuning: { retryDelaysMs: [0, 0] },
    });
    const unknown = brandEvent('brand-verified', { brandsid: 'BN' + '8'.repeat(32) });
    await inject({ ...signedJson(PATH, batch(unknown)) });
    await untilStats(app, (s) => s.givenUp === 1);
    expect(signaller.lookups).toHaveLength(3);
    expect(signaller.signals).toEqual([]);
    expect(deliveryStats(app)).toMatchObject({ delivered: 0, kept: 0, givenUp: 1 });
    expect(logs.messages()).toContain('event given up');
  });

  it('a re-sent copy of a kept event is a duplicate, not a second delivery', async () => {
    const signaller = knownWorkflows();
    signaller.emptyNextLookups = 1;
    const { app, inject } = testServer({ signaller, tuning: { retryDelaysMs: [60_000] } });
    const body = batch(campaignEvent('campaign-approved', {}));
    await inject({ ...signedJson(PATH, body) });
    await untilStats(app, (s) => s.kept === 1);
    const again = await inject({ ...signedJson(PATH, body) });
    expect(again.statusCode).toBe(200);
    expect(deliveryStats(app)).toMatchObject({ kept: 1, duplicates: 1, delivered: 0 });
    expect(signaller.lookups).toHaveLength(1);
  });

  it('acknowledges an event for a registration that has ended, keeping nothing', async () => {
    const signaller = knownWorkflows().closeWorkflow(REGISTRATION);
    const { app, inject, logs } = testServer({ signaller, tuning: { retryDelaysMs: [60_000] } });
    await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) });
    await deliveriesSettled(app);
    expect(signaller.signals).toEqual([]);
    expect(deliveryStats(app)).toMatchObject({ kept: 0, givenUp: 0 });
    expect(logs.messages()).toContain('the workflows for event have ended; acknowledged');
  });

  it('never keeps more events than maxKept', async () => {
    const { app, inject, logs } = testServer({
      signaller: knownWorkflows(),
      tuning: { retryDelaysMs: [60_000], maxKept: 1 },
    });
    const unknown = (n: number) =>
      brandEvent('brand-verified', { brandsid: `BN${String(n).repeat(32)}` }, `EVunknown-${n}`);
    await inject({ ...signedJson(PATH, batch(unknown(1), unknown(2))) });
    await untilStats(app, (s) => s.kept + s.givenUp === 2);
    expect(deliveryStats(app)).toMatchObject({ kept: 1, givenUp: 1 });
    expect(logs.text).toContain('too many events kept');
  });

  it('looks the SID up again while visibility has not caught up', async () => {
    const signaller = knownWorkflows();
    signaller.emptyNextLookups = 1;
    const { app, inject } = testServer({ signaller, tuning: { retryDelaysMs: [0] } });
    await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) });
    await untilStats(app, (s) => s.delivered === 1);
    expect(signaller.lookups).toHaveLength(2);
    expect(signaller.signals).toHaveLength(1);
  });

  it('acknowledges an event whose data is unusable and signals the rest of the batch', async () => {
    const { app, signaller, inject, logs } = testServer({ signaller: knownWorkflows() });
    const body = batch(
      brandEvent('brand-registered', { brandsid: 'not-a-sid' }, 'bad'),
      campaignEvent('campaign-approved', { messagingservicesid: 42 }, 'bad2'),
      brandEvent('brand-verified', {}, 'good'),
    );
    expect((await inject({ ...signedJson(PATH, body) })).statusCode).toBe(200);
    await app.close();
    expect(signaller.signals.map((s) => (s.payload as { eventId: string }).eventId)).toEqual(['good']);
    expect(logs.text).toContain('"reason":"invalid-data"');
  });

  it('delivers duplicates with the same event id, and drops exact redeliveries within the window', async () => {
    const event = brandEvent('brand-verified', {}, 'EV-dup');
    const without = testServer({ signaller: knownWorkflows(), tuning: { dedupeWindowMs: 0 } });
    await without.inject({ ...signedJson(PATH, batch(event)) });
    await without.inject({ ...signedJson(PATH, batch(event)) });
    await without.app.close();
    expect(without.signaller.signals.map((s) => (s.payload as { eventId: string }).eventId)).toEqual([
      'EV-dup',
      'EV-dup',
    ]);

    const withWindow = testServer({ signaller: knownWorkflows() });
    await withWindow.inject({ ...signedJson(PATH, batch(event, event)) });
    await deliveriesSettled(withWindow.app);
    await withWindow.inject({ ...signedJson(PATH, batch(event)) });
    await withWindow.app.close();
    expect(withWindow.signaller.signals).toHaveLength(1);
  });

  it('retries a failed signal in the background after answering 200', async () => {
    const signaller = knownWorkflows();
    signaller.failNextSignals = 2;
    const { app, inject, logs } = testServer({ signaller, tuning: { retryDelaysMs: [0, 0, 0] } });
    expect((await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) })).statusCode).toBe(
      200,
    );
    await untilStats(app, (s) => s.delivered === 1);
    expect(signaller.signals).toHaveLength(1);
    expect(logs.messages().filter((m) => m === 'signal failed; retrying')).toHaveLength(2);
  });

  it('logs and gives up when Temporal stays unreachable, without affecting the reply', async () => {
    const signaller = knownWorkflows();
    signaller.failNextSignals = Infinity;
    const { app, inject, logs } = testServer({ signaller, tuning: { retryDelaysMs: [0] } });
    expect((await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) })).statusCode).toBe(
      200,
    );
    await untilStats(app, (s) => s.givenUp === 1);
    expect(signaller.signals).toEqual([]);
    expect(signaller.attempts).toHaveLength(2);
    expect(logs.messages()).toContain('could not signal workflow');
    expect((await inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await app.close();
  });

  it('stops waiting between retries when the server closes', async () => {
    const signaller = knownWorkflows();
    signaller.failNextSignals = Infinity;
    const { app, inject, logs } = testServer({ signaller, tuning: { retryDelaysMs: [3_600_000] } });
    expect((await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}))) })).statusCode).toBe(
      200,
    );
    await untilStats(app, (s) => s.kept === 1);
    await app.close(); // would hang for an hour if the retry wait were not interrupted
    expect(signaller.attempts).toHaveLength(1);
    expect(logs.messages()).toContain('shutting down: events kept for a later attempt are dropped');
  });

  it('answers 503 when the delivery queue is full, so Event Streams delivers the batch again', async () => {
    const signaller = knownWorkflows();
    const gate = deferred();
    signaller.gate = gate.promise;
    const { app, inject } = testServer({ signaller, tuning: { maxPending: 2, concurrency: 1 } });
    const first = await inject({ ...signedJson(PATH, batch(brandEvent('brand-verified', {}, 'a'))) });
    const tooMany = await inject({
      ...signedJson(
        PATH,
        batch(brandEvent('brand-verified', {}, 'b'), brandEvent('brand-verified', {}, 'c')),
      ),
    });
    expect(first.statusCode).toBe(200);
    expect(tooMany.statusCode).toBe(503);
    expect(tooMany.headers['retry-after']).toBe('5');
    gate.resolve();
    await app.close();
    expect(signaller.signals.map((s) => (s.payload as { eventId: string }).eventId)).toEqual(['a']);
  });

  it('validates behind a proxy and accepts a single CloudEvent object', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const request = signedJson(PATH, JSON.stringify(brandEvent('brand-verified', {})));
    const res = await inject({ ...request, headers: { ...request.headers, host: 'internal:8080' } });
    expect(res.statusCode).toBe(200);
    await app.close();
    expect(signaller.signals).toHaveLength(1);
  });

  describe('refuses unauthenticated batches with 403 and signals nothing', () => {
    const body = batch(brandEvent('brand-verified', {}));
    const cases: [string, () => ReturnType<typeof signedJson>][] = [
      ['a forged signature', () => signedJson(PATH, body, { token: 'f'.repeat(32) })],
      [
        'no signature',
        () => {
          const r = signedJson(PATH, body);
          return { ...r, headers: { 'content-type': 'application/json' } };
        },
      ],
      [
        'a URL without bodySHA256 (signature over the URL only)',
        () => {
          const r = signedJson(PATH, body);
          return {
            ...r,
            url: PATH,
            headers: {
              ...r.headers,
              'x-twilio-signature': signedJson(PATH, '').headers['x-twilio-signature'],
            },
          };
        },
      ],
      [
        'a signature for another URL',
        () => ({ ...signedJson('/webhooks/other', body), url: signedJson(PATH, body).url }),
      ],
      [
        'a signature and hash replayed on a different body',
        () => ({ ...signedJson(PATH, body), payload: batch(brandEvent('brand-vetted-verified', {})) }),
      ],
      [
        'a signature replayed with the hash of a different body',
        () => {
          const original = signedJson(PATH, body);
          const other = batch(brandEvent('brand-failure', {}));
          return { ...original, url: signedJson(PATH, other).url, payload: other };
        },
      ],
    ];
    it.each(cases)('%s', async (_name, build) => {
      const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
      const res = await inject({ ...build() });
      expect(res.statusCode).toBe(403);
      await app.close();
      expect(signaller.attempts).toEqual([]);
      expect(signaller.lookups).toEqual([]);
    });
  });

  it.each([
    ['malformed JSON', '[{"id":"x",'],
    ['an empty array', '[]'],
    ['a string', '"hello"'],
    [
      'events without ids',
      JSON.stringify([{ type: 'com.twilio.messaging.compliance.brand-registration.brand-verified' }]),
    ],
    ['data that is not an object', JSON.stringify([{ id: 'a', type: 't', data: [1, 2] }])],
  ])('answers 400 for %s', async (_name, body) => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const res = await inject({ ...signedJson(PATH, body) });
    expect(res.statusCode).toBe(400);
    await app.close();
    expect(signaller.attempts).toEqual([]);
  });

  it('answers 413 for an oversized batch and 415 for a form body', async () => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const big = batch(
      ...Array.from({ length: 400 }, (_, i) =>
        brandEvent('brand-verified', { note: 'x'.repeat(200) }, `e${i}`),
      ),
    );
    expect((await inject({ ...signedJson(PATH, big) })).statusCode).toBe(413);
    const form = signedJson(PATH, 'a=b');
    expect(
      (
        await inject({
          ...form,
          headers: { ...form.headers, 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).statusCode,
    ).toBe(415);
    await app.close();
    expect(signaller.attempts).toEqual([]);
  });

  it('keeps names, phone numbers and emails from the body out of the logs', async () => {
    const { app, inject, logs } = testServer({ signaller: knownWorkflows() });
    const body = batch(
      brandEvent('brand-failure', {
        failurereason: 'Jane Roe jane.roe@example.com +15555550123 mismatch',
        contactemail: 'jane.roe@example.com',
      }),
      { id: 'EVx', type: 'com.twilio.messaging.inbound', data: { from: '+15555550123', body: 'Jane Roe' } },
    );
    const request = signedJson(PATH, body);
    await inject({
      ...request,
      headers: { ...request.headers, authorization: 'Basic c2VjcmV0OnNlY3JldA==' },
    });
    await app.close();
    expect(logs.lines.length).toBeGreaterThan(3);
    for (const secret of [
      'jane.roe@example.com',
      '5555550123',
      'Jane Roe',
      request.headers['x-twilio-signature'],
      'c2VjcmV0',
    ]) {
      expect(logs.text).not.toContain(secret);
    }
    expect(logs.text).toContain(BRAND);
  });
});
