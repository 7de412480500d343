import { validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import {
  CAMPAIGN,
  customer,
  eventually,
  reviewedBrand,
  soleProprietorBundles,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';

interface CloudEvent {
  id: string;
  type: string;
  time: string;
  specversion: string;
  source: string;
  datacontenttype: string;
  data: Record<string, unknown>;
}

describe('callbacks and Event Streams', () => {
  let t: TestSandbox;
  let sink: Receiver;

  beforeEach(async () => {
    t = await startTestSandbox();
    sink = await startReceiver();
    await t.sandbox.control.setEventSink(`${sink.url}/events`);
  });
  afterEach(async () => {
    await t.close();
    await sink.close();
  });

  const events = () =>
    sink.received
      .filter((r) => r.url.startsWith('/events'))
      .flatMap((r) => JSON.parse(r.body) as CloudEvent[]);

  test('Event Streams events are CloudEvents arrays, signed over the sink URL with bodySHA256', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    const request = await eventually(
      () => sink.received.find((r) => r.url.startsWith('/events')),
      'an event',
    );
    expect(request.headers['content-type']).toBe('application/json');
    const url = new URL(request.url, sink.url);
    expect(url.searchParams.get('bodySHA256')).toMatch(/^[0-9a-f]{64}$/);
    const signature = String(request.headers['x-twilio-signature']);
    expect(validateRequestWithBody(t.sandbox.authToken, signature, url.toString(), request.body)).toBe(true);
    expect(validateRequestWithBody('another-token', signature, url.toString(), request.body)).toBe(false);
    expect(validateRequestWithBody(t.sandbox.authToken, signature, url.toString(), `${request.body} `)).toBe(
      false,
    );

    const [event] = JSON.parse(request.body) as CloudEvent[];
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'com.twilio.messaging.compliance.brand-registration.brand-registered',
      dataschema: 'https://events-schemas.twilio.com/A2P.BrandRegistered/2',
      datacontenttype: 'application/json',
      data: {
        brandsid: brandSid,
        brandstatus: 'registered',
        accountsid: t.sandbox.accountSid,
        createddate: expect.any(Number) as unknown,
        updateddate: expect.any(Number) as unknown,
      },
    });
    expect(event?.data).not.toHaveProperty('identitystatus');
    expect(event?.id).toMatch(/^NO[0-9a-f]{32}$/);
    expect(event?.source).toMatch(/^AB[0-9a-f]{32}$/);
    expect(Number.isNaN(Date.parse(event?.time ?? ''))).toBe(false);
  });

  test('brand verified, campaign submitted and approved, and brand failure events carry the documented data fields', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'events' });
    const campaign = await t.client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    await t.sandbox.control.advanceAll();
    const approved = await eventually(
      () => events().find((e) => e.type.endsWith('campaign-approved')),
      'campaign-approved',
    );
    expect(approved).toMatchObject({
      type: 'com.twilio.messaging.compliance.campaign-registration.campaign-approved',
      data: {
        campaignsid: expect.stringMatching(/^CM[0-9a-f]{32}$/) as unknown,
        messagingservicesid: service.sid,
        campaignregistrationstatus: 'approved',
        externalcampaignid: campaign.campaignId,
        a2pusecase: 'SOLE_PROPRIETOR',
        brandsid: brandSid,
      },
    });
    expect(events().find((e) => e.type.endsWith('campaign-submitted'))?.data).toMatchObject({
      campaignsid: approved.data.campaignsid,
      campaignregistrationstatus: 'pending',
    });
    expect(events().find((e) => e.type.endsWith('brand-verified'))).toMatchObject({
      type: 'com.twilio.messaging.compliance.brand-registration.brand-verified',
      data: { brandsid: brandSid, brandstatus: 'registered', identitystatus: 'verified', brandfeedback: '' },
    });

    const failing = await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));
    const failure = await eventually(
      () => events().find((e) => e.type.endsWith('brand-failure') && e.data.brandsid === failing.brandSid),
      'brand-failure',
    );
    expect(failure.data).toEqual({
      accountsid: t.sandbox.accountSid,
      brandsid: failing.brandSid,
      brandstatus: 'registration_failed',
      createddate: expect.any(Number) as unknown,
      updateddate: expect.any(Number) as unknown,
      brandregistrationerrors: [
        {
          registrationerrorcode: 30793,
          registrationerrordescription: 'The Campaign Registry rejected the brand information.',
          registrationerrorurl: 'https://www.twilio.com/docs/api/errors/30793',
          registrationerrorfields: ['brand_name'],
        },
      ],
    });
  });

  test('Trust Hub status callbacks are form posts that validate with validateRequest', async () => {
    const data = customer();
    const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data, {
      statusCallback: `${sink.url}/th?workflowId=a2p-registration-x`,
    });
    await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
    const callbacks = await eventually(() => {
      const found = sink.received.filter(
        (r) => r.url.startsWith('/th') && r.body.includes(bundles.customerProfileSid),
      );
      return found.length >= 2 ? found : undefined;
    }, 'two callbacks');
    for (const r of callbacks) {
      expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const params = Object.fromEntries(new URLSearchParams(r.body));
      expect(
        validateRequest(
          t.sandbox.authToken,
          String(r.headers['x-twilio-signature']),
          `${sink.url}${r.url}`,
          params,
        ),
      ).toBe(true);
      expect(params).toMatchObject({
        AccountSid: t.sandbox.accountSid,
        BundleSid: bundles.customerProfileSid,
      });
    }
    expect(callbacks.map((r) => new URLSearchParams(r.body).get('Status'))).toEqual([
      'pending-review',
      'in-review',
    ]);
  });

  test('duplicate delivery sends every event twice with the same id', async () => {
    await t.sandbox.control.setDelivery({ duplicate: true });
    const { brandSid } = await reviewedBrand(t, customer());
    const copies = await eventually(() => {
      const found = events().filter((e) => e.data.brandsid === brandSid);
      return found.length === 2 ? found : undefined;
    }, 'two copies');
    expect(copies[0]?.id).toBe(copies[1]?.id);
  });

  test('reordered delivery sends a later event before an earlier one', async () => {
    await t.sandbox.control.setDelivery({ reorder: true, reorderWindowMs: 100 });
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const types = await eventually(() => {
      const found = events()
        .filter((e) => e.data.brandsid === brandSid)
        .map((e) => e.type.split('.').pop());
      return found.length === 2 ? found : undefined;
    }, 'both events');
    expect(types).toEqual(['brand-verified', 'brand-registered']);
  });

  test('failed deliveries are retried until the sink accepts them', async () => {
    await t.sandbox.control.setDelivery({ retryDelayMs: 10, maxAttempts: 4 });
    let failures = 2;
    sink.respond = () => (failures-- > 0 ? 503 : 200);
    const { brandSid } = await reviewedBrand(t, customer());
    await eventually(() => (sink.received.length >= 3 ? true : undefined), 'three attempts');
    const attempts = (await t.sandbox.control.deliveries()).filter((a) => a.kind === 'event-stream');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(events().filter((e) => e.data.brandsid === brandSid)).toHaveLength(3);
  });

  test('an Event Streams delivery is retried for its window, whatever maxAttempts says', async () => {
    // Reference: "for up to 4 hours, with no fixed attempt count"; maxAttempts is for the others.
    await t.sandbox.control.setDelivery({ retryDelayMs: 10, maxAttempts: 2, eventStreamRetryMs: 60_000 });
    let failures = 4;
    sink.respond = (r) => (r.url.startsWith('/events') && failures-- > 0 ? 503 : 200);
    await reviewedBrand(t, customer());
    const attempts = await eventually(async () => {
      const all = (await t.sandbox.control.deliveries()).filter((a) => a.kind === 'event-stream');
      return all.some((a) => a.status === 200) ? all : undefined;
    }, 'a delivery accepted');
    expect(attempts.slice(0, 5).map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 503],
      [5, 200],
    ]);
  });

  test('an Event Streams delivery is given up when its next attempt would start after the window', async () => {
    // Waits of 50-62 ms, then 100-125 ms, then 200-250 ms: the third attempt starts about 170 ms
    // after the first, and a fourth would start past the 300 ms window.
    await t.sandbox.control.setDelivery({ retryDelayMs: 50, eventStreamRetryMs: 300 });
    sink.respond = () => 503;
    await reviewedBrand(t, customer());
    const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer(), {
      statusCallback: `${sink.url}/th`,
    });
    await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
    await eventually(
      async () => ((await t.sandbox.control.pendingDeliveries()) === 0 ? true : undefined),
      'every delivery finished',
    );
    const attempts = await t.sandbox.control.deliveries();
    const byLabel = (kind: string) => {
      const counts = new Map<string, number[]>();
      for (const a of attempts.filter((x) => x.kind === kind))
        counts.set(a.label, [...(counts.get(a.label) ?? []), a.attempt]);
      return [...counts.values()];
    };
    expect(byLabel('event-stream').length).toBeGreaterThan(0);
    for (const tries of byLabel('event-stream')) expect(tries).toEqual([1, 2, 3]);
    // Trust Hub status callbacks keep their fixed count (DEFAULT_DELIVERY: 4 attempts).
    expect(byLabel('status-callback').length).toBeGreaterThan(0);
    for (const tries of byLabel('status-callback')) expect(tries).toEqual([1, 2, 3, 4]);
  });
});
