import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import { DEFAULT_DELIVERY } from '../../../src/sandbox/callbacks';
import { createTwilioClient, type TwilioClient } from '../../../src/twilio/client';
import {
  customer,
  eventually,
  reviewedBrand,
  startReceiver,
  startTestSandbox,
  type Received,
  type Receiver,
  type TestSandbox,
} from './helpers';
import { standardBrand } from './standard-helpers';

interface CloudEvent {
  id: string;
  type: string;
  source: string;
  dataschema: string;
  data: Record<string, unknown>;
}

const BRAND = 'com.twilio.messaging.compliance.brand-registration.';
const REGISTERED = `${BRAND}brand-registered`;
const VETTED = `${BRAND}brand-vetted-verified`;

describe('Event Streams Sinks and Subscriptions (events.twilio.com/v1)', () => {
  let t: TestSandbox;
  /** The main account's configured sink URL (SANDBOX_EVENT_SINK_URL). */
  let configured: Receiver;
  /** Where the Sinks the tests create deliver. */
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startTestSandbox();
    configured = await startReceiver();
    receiver = await startReceiver();
    await t.sandbox.control.setEventSink(`${configured.url}/events`);
  });
  afterAll(async () => {
    await t.close();
    await configured.close();
    await receiver.close();
  });

  const clientFor = (sid: string, token: string): TwilioClient =>
    createTwilioClient({ accountSid: sid, authToken: token, apiBaseUrl: t.sandbox.url, timeoutMs: 10_000 });

  async function subaccount(friendlyName: string) {
    const a = await t.client.api.v2010.accounts.create({ friendlyName });
    return { sid: a.sid, token: a.authToken, client: clientFor(a.sid, a.authToken) };
  }

  /** The registration workflow's calls, as the twilio package makes them. */
  async function sinkAndSubscription(client: TwilioClient, destination: string, types: string[]) {
    const sink = await client.events.v1.sinks.create({
      description: 'a2p events',
      sinkType: 'webhook',
      sinkConfiguration: { destination, method: 'POST', batch_events: false },
    });
    const subscription = await client.events.v1.subscriptions.create({
      description: 'a2p events',
      sinkSid: sink.sid,
      types: types.map((type) => ({ type })),
    });
    return { sink, subscription };
  }

  /** Every delivery the calls so far caused has arrived (or failed for good). */
  const settled = () =>
    eventually(
      async () => ((await t.sandbox.control.pendingDeliveries()) === 0 ? true : undefined),
      'deliveries',
    );

  const at = (r: Receiver, path: string) => r.received.filter((x) => x.url.startsWith(path));
  const eventsOf = (requests: Received[]) => requests.flatMap((r) => JSON.parse(r.body) as CloudEvent[]);
  const signedWith = (token: string, base: string, r: Received) =>
    validateRequestWithBody(token, String(r.headers['x-twilio-signature']), `${base}${r.url}`, r.body);

  test('a subaccount creates, lists, fetches, updates and deletes its own sinks and subscriptions', async () => {
    const a = await subaccount('streams-crud');
    const { sink, subscription } = await sinkAndSubscription(a.client, `${receiver.url}/crud`, [REGISTERED]);
    expect(sink).toMatchObject({
      sid: expect.stringMatching(/^DG[0-9a-f]{32}$/) as unknown,
      description: 'a2p events',
      sinkType: 'webhook',
      // Sink Validate page: "The status of Webhook Sinks will be active by default."
      status: 'active',
      sinkConfiguration: { destination: `${receiver.url}/crud`, method: 'POST', batch_events: false },
      url: `https://events.twilio.com/v1/Sinks/${sink.sid}`,
      links: {
        sink_test: `https://events.twilio.com/v1/Sinks/${sink.sid}/Test`,
        sink_validate: `https://events.twilio.com/v1/Sinks/${sink.sid}/Validate`,
      },
    });
    expect(subscription).toMatchObject({
      sid: expect.stringMatching(/^DF[0-9a-f]{32}$/) as unknown,
      accountSid: a.sid,
      sinkSid: sink.sid,
      links: {
        subscribed_events: `https://events.twilio.com/v1/Subscriptions/${subscription.sid}/SubscribedEvents`,
      },
    });

    const unused = await a.client.events.v1.sinks.create({
      description: 'spare',
      sinkType: 'webhook',
      sinkConfiguration: { destination: `${receiver.url}/spare`, method: 'POST', batch_events: true },
    });
    expect((await a.client.events.v1.sinks.list({ limit: 50 })).map((s) => s.sid)).toEqual([
      sink.sid,
      unused.sid,
    ]);
    expect((await a.client.events.v1.sinks.list({ inUse: true })).map((s) => s.sid)).toEqual([sink.sid]);
    expect((await a.client.events.v1.sinks.list({ inUse: false })).map((s) => s.sid)).toEqual([unused.sid]);
    expect(await a.client.events.v1.sinks.list({ status: 'failed' })).toEqual([]);
    expect(
      (await a.client.events.v1.subscriptions.list({ sinkSid: sink.sid, limit: 50 })).map((s) => s.sid),
    ).toEqual([subscription.sid]);
    expect(await a.client.events.v1.subscriptions.list({ sinkSid: unused.sid, limit: 50 })).toEqual([]);
    expect((await a.client.events.v1.sinks(sink.sid).fetch()).description).toBe('a2p events');
    expect((await a.client.events.v1.sinks(sink.sid).update({ description: 'renamed' })).description).toBe(
      'renamed',
    );
    expect((await a.client.events.v1.subscriptions(subscription.sid).fetch()).sinkSid).toBe(sink.sid);

    // Subscribed Events: without a version, the latest one (the sandbox sends brand-registered v2).
    const types = a.client.events.v1.subscriptions(subscription.sid).subscribedEvents;
    expect((await types.list()).map((x) => [x.type, x.schemaVersion])).toEqual([[REGISTERED, 2]]);
    await types.create({ type: VETTED, schemaVersion: 1 });
    expect((await types(VETTED).update({ schemaVersion: 3 })).schemaVersion).toBe(3);
    expect((await types.list()).map((x) => x.type)).toEqual([REGISTERED, VETTED]);
    await types(VETTED).remove();
    await expect(types(VETTED).fetch()).rejects.toMatchObject({ status: 404 });

    // Neither the main account nor another subaccount sees them.
    const other = await subaccount('streams-other');
    for (const c of [t.client, other.client]) {
      expect((await c.events.v1.sinks.list()).map((s) => s.sid)).not.toContain(sink.sid);
      expect((await c.events.v1.subscriptions.list()).map((s) => s.sid)).not.toContain(subscription.sid);
      await expect(c.events.v1.sinks(sink.sid).fetch()).rejects.toMatchObject({ status: 404 });
      await expect(c.events.v1.subscriptions(subscription.sid).fetch()).rejects.toMatchObject({
        status: 404,
      });
    }

    // Error 91007: a sink used by a subscription cannot be deleted.
    await expect(a.client.events.v1.sinks(sink.sid).remove()).rejects.toMatchObject({ code: 91007 });
    expect(await a.client.events.v1.subscriptions(subscription.sid).remove()).toBe(true);
    expect(await a.client.events.v1.sinks(sink.sid).remove()).toBe(true);
    await expect(a.client.events.v1.sinks(sink.sid).fetch()).rejects.toMatchObject({ status: 404 });
    await expect(a.client.events.v1.subscriptions(subscription.sid).fetch()).rejects.toMatchObject({
      status: 404,
    });
  });

  test('bad sink and subscription requests are refused with an error naming the field', async () => {
    const sinks = t.client.events.v1.sinks;
    const sink = (sinkConfiguration: Record<string, unknown>, sinkType: 'webhook' | 'kinesis' = 'webhook') =>
      sinks.create({ description: 'bad', sinkType, sinkConfiguration });
    await expect(sink({ method: 'POST' })).rejects.toMatchObject({
      status: 400,
      code: 91000,
      message: expect.stringContaining('destination') as unknown,
    });
    await expect(sink({ destination: 'not a url', method: 'POST' })).rejects.toMatchObject({ code: 91000 });
    await expect(sink({ destination: `${receiver.url}/x` })).rejects.toMatchObject({
      code: 91000,
      message: expect.stringContaining('method') as unknown,
    });
    await expect(sink({ destination: `${receiver.url}/x`, method: 'GET' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('SinkConfiguration.method') as unknown,
    });
    await expect(
      sink({ destination: `${receiver.url}/x`, method: 'POST', batch_events: 'sometimes' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('batch_events') as unknown });
    await expect(sink({ arn: 'arn:aws:kinesis:us-east-1:1:stream/x' }, 'kinesis')).rejects.toMatchObject({
      message: expect.stringContaining('SinkType') as unknown,
    });

    const { sink: ok } = await sinkAndSubscription(t.client, `${receiver.url}/bad`, [REGISTERED]);
    const subscribe = (types: Record<string, unknown>[], sinkSid = ok.sid) =>
      t.client.events.v1.subscriptions.create({ description: 'bad', sinkSid, types });
    await expect(subscribe([{ type: `${BRAND}brand-registred` }])).rejects.toMatchObject({
      code: 91104,
      message: expect.stringContaining('brand-registred') as unknown,
    });
    await expect(subscribe([{ type: REGISTERED }, { type: REGISTERED }])).rejects.toMatchObject({
      code: 91101,
    });
    await expect(subscribe([])).rejects.toMatchObject({
      code: 91103,
      message: expect.stringContaining('Types') as unknown,
    });
    await expect(subscribe([{ type: REGISTERED, schema_version: 0 }])).rejects.toMatchObject({
      message: expect.stringContaining('Types[0].schema_version') as unknown,
    });
    await expect(subscribe([{ type: REGISTERED }], `DG${'0'.repeat(32)}`)).rejects.toMatchObject({
      code: 91001,
    });
    await expect(subscribe([{ type: REGISTERED }], 'not-a-sink')).rejects.toMatchObject({
      message: expect.stringContaining('SinkSid') as unknown,
    });
  });

  test('a subaccount’s sink receives the subscribed events of its brand, signed with its token, and the configured URL does not', async () => {
    const a = await subaccount('streams-delivery');
    await sinkAndSubscription(a.client, `${receiver.url}/sub-a`, [REGISTERED]);
    const other = await subaccount('streams-delivery-other');
    await sinkAndSubscription(other.client, `${receiver.url}/sub-other`, [REGISTERED, VETTED]);
    const { brandSid } = await standardBrand(t, undefined, { client: a.client });
    // One review step: brand-registered and brand-vetted-verified are emitted together.
    await t.sandbox.control.advance(`brand-${brandSid}`);
    await settled();

    const requests = at(receiver, '/sub-a');
    // batch_events false: one event per request; brand-vetted-verified is not subscribed.
    expect(requests.map((r) => (JSON.parse(r.body) as CloudEvent[]).map((e) => e.type))).toEqual([
      [REGISTERED],
    ]);
    const [request] = requests as [Received];
    const [event] = eventsOf(requests) as [CloudEvent];
    expect(event.data).toMatchObject({ brandsid: brandSid, accountsid: a.sid, brandstatus: 'registered' });
    expect(new URL(request.url, receiver.url).searchParams.get('bodySHA256')).toMatch(/^[0-9a-f]{64}$/);
    expect(signedWith(a.token, receiver.url, request)).toBe(true);
    expect(signedWith(t.sandbox.authToken, receiver.url, request)).toBe(false);

    const toConfigured = eventsOf(at(configured, '/events')).filter((e) => e.data.brandsid === brandSid);
    expect(toConfigured).toEqual([]);
    // Another subaccount's sink, subscribed to both types, sees none of it.
    expect(at(receiver, '/sub-other')).toEqual([]);
  });

  test('a batching sink receives one step’s subscribed events in one request', async () => {
    const a = await subaccount('streams-batch');
    const sink = await a.client.events.v1.sinks.create({
      description: 'batched',
      sinkType: 'webhook',
      sinkConfiguration: { destination: `${receiver.url}/batch`, method: 'POST', batch_events: true },
    });
    await a.client.events.v1.subscriptions.create({
      description: 'brands',
      sinkSid: sink.sid,
      types: [{ type: REGISTERED, schema_version: 2 }, { type: VETTED }],
    });
    const { brandSid } = await standardBrand(t, undefined, { client: a.client });
    await t.sandbox.control.advance(`brand-${brandSid}`);
    await settled();
    expect(
      at(receiver, '/batch').map((r) => (JSON.parse(r.body) as CloudEvent[]).map((e) => e.type)),
    ).toEqual([[REGISTERED, VETTED]]);
  });

  test('the main account’s events reach the configured URL as before and its sinks too, each URL once', async () => {
    const { sink } = await sinkAndSubscription(t.client, `${receiver.url}/main`, [REGISTERED]);
    // A main-account sink at the configured URL adds no second copy there.
    await sinkAndSubscription(t.client, `${configured.url}/events`, [REGISTERED]);
    const { brandSid } = await reviewedBrand(t, customer());
    await settled();

    const toConfigured = at(configured, '/events').filter((r) => r.body.includes(brandSid));
    expect(toConfigured.map((r) => (JSON.parse(r.body) as CloudEvent[]).map((e) => e.type))).toEqual([
      [REGISTERED],
    ]);
    expect(signedWith(t.sandbox.authToken, configured.url, toConfigured[0])).toBe(true);
    const toSink = at(receiver, '/main').filter((r) => r.body.includes(brandSid));
    expect(eventsOf(toSink).map((e) => e.type)).toEqual([REGISTERED]);
    expect(signedWith(t.sandbox.authToken, receiver.url, toSink[0])).toBe(true);
    expect(sink.status).toBe('active');
  });

  test('the sink test delivers eventstreams.test-event to the sink, whatever it subscribes to', async () => {
    const a = await subaccount('streams-test');
    const sink = await a.client.events.v1.sinks.create({
      description: 'tested',
      sinkType: 'webhook',
      sinkConfiguration: { destination: `${receiver.url}/test-event`, method: 'POST', batch_events: false },
    });
    expect((await a.client.events.v1.sinks(sink.sid).sinkTest.create()).result).toBe('submitted');
    const request = await eventually(() => at(receiver, '/test-event')[0], 'the test event');
    const events = JSON.parse(request.body) as CloudEvent[];
    expect(events).toEqual([
      {
        specversion: '1.0',
        type: 'com.twilio.eventstreams.test-event',
        source: 'Sink',
        id: expect.any(String) as unknown,
        dataschema: 'https://events-schemas.twilio.com/EventStreams.TestSink/1.json',
        datacontenttype: 'application/json',
        time: expect.any(String) as unknown,
        data: { test_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown },
      },
    ]);
    expect(signedWith(a.token, receiver.url, request)).toBe(true);
    const testId = String(events[0]?.data.test_id);
    // Sink Validate: obsolete, "always returns a result property with a value of valid".
    expect((await a.client.events.v1.sinks(sink.sid).sinkValidate.create({ testId })).result).toBe('valid');
  });

  test('a sink destination with user:password@ gets Basic authorization, and retries like other deliveries', async () => {
    await t.sandbox.control.setDelivery({ retryDelayMs: 10, maxAttempts: 3 });
    const a = await subaccount('streams-auth');
    const destination = `${receiver.url.replace('http://', 'http://isv:s3cret@')}/auth`;
    const sink = await a.client.events.v1.sinks.create({
      description: 'authenticated',
      sinkType: 'webhook',
      sinkConfiguration: { destination, method: 'POST', batch_events: false },
    });
    let failures = 1;
    receiver.respond = (r) => (r.url.startsWith('/auth') && failures-- > 0 ? 503 : 200);
    try {
      await a.client.events.v1.sinks(sink.sid).sinkTest.create();
      await settled();
    } finally {
      receiver.respond = () => 200;
      await t.sandbox.control.setDelivery(DEFAULT_DELIVERY);
    }
    const requests = at(receiver, '/auth');
    expect(requests).toHaveLength(2);
    expect(requests[0]?.body).toBe(requests[1]?.body);
    for (const r of requests) {
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from('isv:s3cret').toString('base64')}`);
      expect(signedWith(a.token, receiver.url, r)).toBe(true);
    }
  });
});

describe('Event Streams persistence', () => {
  test('a restarted sandbox keeps a subaccount’s sinks and subscriptions and delivers to them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-sandbox-'));
    const stateFile = join(dir, 'state.json');
    const receiver = await startReceiver();
    try {
      const first = await startTestSandbox({ stateFile });
      const a = await first.client.api.v2010.accounts.create({ friendlyName: 'persisted' });
      const clientOf = (t: TestSandbox) =>
        createTwilioClient({ accountSid: a.sid, authToken: a.authToken, apiBaseUrl: t.sandbox.url });
      const sink = await clientOf(first).events.v1.sinks.create({
        description: 'kept',
        sinkType: 'webhook',
        sinkConfiguration: { destination: `${receiver.url}/kept`, method: 'POST', batch_events: false },
      });
      const subscription = await clientOf(first).events.v1.subscriptions.create({
        description: 'kept',
        sinkSid: sink.sid,
        types: [{ type: REGISTERED }],
      });
      const { brandSid } = await standardBrand(first, undefined, { client: clientOf(first) });
      await first.close();

      const second = await startTestSandbox({ stateFile });
      try {
        const client = clientOf(second);
        expect((await client.events.v1.sinks.list({ limit: 50 })).map((s) => s.sid)).toEqual([sink.sid]);
        expect(
          (await client.events.v1.subscriptions.list({ sinkSid: sink.sid, limit: 50 })).map((s) => s.sid),
        ).toEqual([subscription.sid]);
        await second.sandbox.control.advance(`brand-${brandSid}`);
        const request = await eventually(
          () => receiver.received.find((r) => r.url.startsWith('/kept')),
          'event',
        );
        expect((JSON.parse(request.body) as CloudEvent[]).map((e) => [e.type, e.data.brandsid])).toEqual([
          [REGISTERED, brandSid],
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
