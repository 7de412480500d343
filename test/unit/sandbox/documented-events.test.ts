import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifyEvent } from '../../../src/webhooks/a2p-events';
import {
  CAMPAIGN,
  customer,
  eventually,
  reviewedBrand,
  standardBundles,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';

/**
 * The sandbox's Event Streams events against Twilio's documented examples
 * (../shared/reference/twilio-events/): the same envelope, the same data keys, the documented
 * words, and the webhook server reads each as the change it reports.
 */
const EVENTS_DIR = resolve(__dirname, '../../../../shared/reference/twilio-events');

interface CloudEvent {
  type: string;
  id: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

const fixture = (file: string): CloudEvent => {
  const json = JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8')) as CloudEvent | CloudEvent[];
  const event = Array.isArray(json) ? json[0] : json;
  if (!event) throw new Error(`${file} holds no event`);
  return event;
};

/** The example each type is checked against: the current event-type page's where there is one. */
const EXAMPLES: Record<string, string> = {
  'brand-registration.brand-registered': 'brand-registration.brand-registered.json',
  'brand-registration.brand-failure': 'brand-registration.brand-failure.json',
  'brand-registration.brand-verified': 'setup-guide/brand-registration.brand-verified.json',
  'brand-registration.brand-vetted-verified': 'setup-guide/brand-registration.brand-vetted-verified.json',
  'campaign-registration.campaign-submitted': 'setup-guide/campaign-registration.campaign-submitted.json',
  'campaign-registration.campaign-approved': 'campaign-registration.campaign-approved.json',
  'campaign-registration.campaign-failure': 'setup-guide/campaign-registration.campaign-failure.json',
  'number-registration.pending': 'setup-guide/number-registration.pending.json',
  'number-registration.successful': 'setup-guide/number-registration.successful.json',
  'number-deregistration.pending': 'setup-guide/number-deregistration.pending.json',
  'number-deregistration.successful': 'setup-guide/number-deregistration.successful.json',
};

/** Example keys the sandbox leaves out, and why. */
const NOT_SENT: Record<string, string[]> = {
  // The approved example's `errorcode: 30991` (an unverified brand) makes no sense on an approval.
  'campaign-registration.campaign-approved': ['errorcode'],
};

/** The values the README documents for each field. */
const WORDS: Record<string, string[]> = {
  brandstatus: ['registered', 'registration_failed'],
  identitystatus: ['verified', 'unverified', 'vetted_verified', 'vetting_failed'],
  brandvettingoutcome: ['success', 'failure', 'failed'],
  campaignregistrationstatus: ['approved', 'success', 'pending', 'failure'],
  externalstatus: ['pending_registration', 'registered', 'failure', 'pending_deregistration', 'unregistered'],
};

const COMPLIANCE = 'com.twilio.messaging.compliance.';
const ENVELOPE_KEYS = Object.keys(fixture('setup-guide/brand-registration.brand-registered.json')).sort();

function expectDocumentedShape(event: CloudEvent): void {
  const name = event.type.slice(COMPLIANCE.length);
  const file = EXAMPLES[name];
  expect([event.type, file !== undefined]).toEqual([event.type, true]);
  if (file === undefined) return;
  const example = fixture(file);
  expect(Object.keys(event).sort()).toEqual(ENVELOPE_KEYS);
  expect(event.dataschema).toMatch(/^https:\/\/events-schemas\.twilio\.com\/A2P\.[A-Za-z]+\/\d+$/);
  const sent = Object.keys(event.data).sort();
  const documented = Object.keys(example.data)
    .map((k) => (k === 'failureReason' ? 'failurereason' : k))
    .sort();
  const expected = documented.filter((k) => !(NOT_SENT[name] ?? []).includes(k));
  expect([name, sent]).toEqual([name, expected]);
  for (const [key, value] of Object.entries(event.data)) {
    const exampleValue = example.data[key];
    expect([name, key, Array.isArray(value) ? 'array' : typeof value]).toEqual([
      name,
      key,
      Array.isArray(exampleValue) ? 'array' : typeof exampleValue,
    ]);
    const words = WORDS[key];
    if (words) expect([name, key, words.includes(value as string)]).toEqual([name, key, true]);
  }
}

describe('the sandbox sends the Event Streams payloads Twilio documents', () => {
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

  const batches = () => sink.received.map((r) => JSON.parse(r.body) as CloudEvent[]);
  const events = () => batches().flat();
  const ofType = (name: string) => events().filter((e) => e.type === COMPLIANCE + name);

  test('every brand, campaign and number event has its example’s envelope, data keys and words', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'documented' });
    await t.client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    await t.sandbox.control.advanceAll();
    const pn = 'PN00000000000000000000000000000004';
    await t.client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: pn });
    await t.sandbox.control.advance(`number-registration-${pn}`);
    await t.client.messaging.v1.services(service.sid).phoneNumbers(pn).remove();
    await t.sandbox.control.advance(`number-registration-${pn}`);

    const other = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(other.brandSid);
    const failing = await t.client.messaging.v1.services.create({ friendlyName: 'failing' });
    await t.client.messaging.v1.services(failing.sid).usAppToPerson.create({
      ...CAMPAIGN,
      messageFlow: `${CAMPAIGN.messageFlow} #fail-message-flow`,
      brandRegistrationSid: other.brandSid,
    });
    await t.sandbox.control.advanceAll();
    await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));

    const std = await standardBundles(t.client, t.sandbox.primaryProfileSid);
    const vetted = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: std.customerProfileSid,
      a2PProfileBundleSid: std.trustProductSid,
    });
    await t.sandbox.control.advance(`brand-${vetted.sid}`);

    const names = [
      'brand-registration.brand-registered',
      'brand-registration.brand-verified',
      'brand-registration.brand-failure',
      'brand-registration.brand-vetted-verified',
      'campaign-registration.campaign-submitted',
      'campaign-registration.campaign-approved',
      'campaign-registration.campaign-failure',
      'number-registration.pending',
      'number-registration.successful',
      'number-deregistration.pending',
      'number-deregistration.successful',
    ];
    await eventually(() => (names.every((n) => ofType(n).length > 0) ? true : undefined), 'every type');
    expect(events().length).toBeGreaterThanOrEqual(names.length);
    for (const event of events()) expectDocumentedShape(event);
  });

  test('the webhook server reads each event as the change it reports, in the REST API’s words', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'read back' });
    await t.client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    await t.sandbox.control.advanceAll();
    const pn = 'PN00000000000000000000000000000004';
    await t.client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: pn });
    await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));
    await eventually(
      () => (ofType('brand-registration.brand-failure').length > 0 ? true : undefined),
      'the failure',
    );
    await eventually(
      () => (ofType('campaign-registration.campaign-approved').length > 0 ? true : undefined),
      'the approval',
    );

    const read = (name: string) => {
      const event = ofType(name)[0];
      if (!event) throw new Error(`no ${name}`);
      const classified = classifyEvent(event, new Date());
      if (classified.kind !== 'delivery') throw new Error(`${name} was ${classified.reason}`);
      return classified.delivery.context;
    };
    expect(read('brand-registration.brand-registered')).toMatchObject({ brandSid, brandStatus: 'APPROVED' });
    expect(read('brand-registration.brand-verified')).toMatchObject({
      brandSid,
      brandStatus: 'APPROVED',
      identityStatus: 'VERIFIED',
    });
    expect(read('brand-registration.brand-failure')).toMatchObject({ brandStatus: 'FAILED' });
    expect(read('campaign-registration.campaign-submitted')).toMatchObject({
      messagingServiceSid: service.sid,
      campaignStatus: 'IN_PROGRESS',
    });
    expect(read('campaign-registration.campaign-approved')).toMatchObject({
      messagingServiceSid: service.sid,
      campaignStatus: 'VERIFIED',
    });
    await eventually(() => (ofType('number-registration.pending').length > 0 ? true : undefined), 'number');
    expect(read('number-registration.pending')).toMatchObject({
      phoneNumberSid: pn,
      messagingServiceSid: service.sid,
      outcome: 'pending',
    });
  });

  test('the events of one change arrive together, as one JSON array', async () => {
    const std = await standardBundles(t.client, t.sandbox.primaryProfileSid);
    const brand = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: std.customerProfileSid,
      a2PProfileBundleSid: std.trustProductSid,
    });
    await t.sandbox.control.advance(`brand-${brand.sid}`);
    const batch = await eventually(
      () => batches().find((b) => b.some((e) => e.data.brandsid === brand.sid)),
      'the brand’s batch',
    );
    expect(batch.map((e) => e.type.slice(COMPLIANCE.length))).toEqual([
      'brand-registration.brand-registered',
      'brand-registration.brand-vetted-verified',
    ]);
    expect(batch[1]?.data).toMatchObject({
      brandscore: 75,
      vettingscore: 75,
      brandvettingoutcome: 'success',
    });
  });

  test('a suspension sends no event: Event Streams documents none', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.decideBrand(brandSid, 'suspend');
    // A later change's event, sent after anything the suspension would have sent.
    const marker = await reviewedBrand(t, customer());
    await eventually(
      () => (events().some((e) => e.data.brandsid === marker.brandSid) ? true : undefined),
      'the later brand’s event',
    );
    expect(
      events()
        .filter((e) => e.data.brandsid === brandSid)
        .map((e) => e.type),
    ).toEqual([`${COMPLIANCE}brand-registration.brand-registered`]);
    expect((await t.client.messaging.v1.brandRegistrations(brandSid).fetch()).status).toBe('SUSPENDED');
  });
});
