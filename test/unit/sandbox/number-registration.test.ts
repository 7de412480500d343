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

interface CloudEvent {
  type: string;
  data: Record<string, unknown>;
}

const NUMBER = 'com.twilio.messaging.compliance.number-';
const PN4 = 'PN00000000000000000000000000000004';
const PN5 = 'PN00000000000000000000000000000005';

/** Event Streams number (de)registration: a number carries A2P traffic once registered for the campaign. */
describe('number registration for a campaign', () => {
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

  const numberEvents = () =>
    sink.received
      .flatMap((r) => JSON.parse(r.body) as CloudEvent[])
      .filter((e) => e.type.startsWith(NUMBER))
      .map((e) => [e.type.slice(NUMBER.length), e.data.phonenumbersid, e.data.externalstatus]);

  async function verifiedSoleProprietorService(numbers: string[]) {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'numbers' });
    for (const phoneNumberSid of numbers)
      await t.client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid });
    const campaign = await t.client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    await t.sandbox.control.advance(`campaign-${campaign.sid}`);
    await t.sandbox.control.advance(`campaign-${campaign.sid}`);
    return service.sid;
  }

  test('a number added to a verified campaign’s service is registered, and deregistered when removed', async () => {
    const service = await verifiedSoleProprietorService([]);
    await t.client.messaging.v1.services(service).phoneNumbers.create({ phoneNumberSid: PN4 });
    await eventually(() => (numberEvents().length === 1 ? true : undefined), 'pending');
    await t.sandbox.control.advance(`number-registration-${PN4}`);
    await t.client.messaging.v1.services(service).phoneNumbers(PN4).remove();
    await t.sandbox.control.advance(`number-registration-${PN4}`);
    await eventually(() => (numberEvents().length === 4 ? true : undefined), 'four events');
    expect(numberEvents()).toEqual([
      ['registration.pending', PN4, 'pending_registration'],
      ['registration.successful', PN4, 'registered'],
      ['deregistration.pending', PN4, 'pending_deregistration'],
      ['deregistration.successful', PN4, 'unregistered'],
    ]);
  });

  test('000 6.1: of a Sole Proprietor service’s numbers Twilio registers one, picked at random', async () => {
    await verifiedSoleProprietorService([PN4, PN5]);
    await eventually(() => (numberEvents().length > 0 ? true : undefined), 'a registration');
    const registered = numberEvents();
    expect(registered).toHaveLength(1);
    expect([PN4, PN5]).toContain(registered[0]?.[1]);
    expect(registered[0]?.[0]).toBe('registration.pending');
  });

  test('every number of a Standard campaign’s service is registered', async () => {
    const std = await standardBundles(t.client, t.sandbox.primaryProfileSid);
    const brand = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: std.customerProfileSid,
      a2PProfileBundleSid: std.trustProductSid,
    });
    await t.sandbox.control.advance(`brand-${brand.sid}`);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'standard numbers' });
    for (const phoneNumberSid of [PN4, PN5])
      await t.client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid });
    const campaign = await t.client.messaging.v1.services(service.sid).usAppToPerson.create({
      ...CAMPAIGN,
      usAppToPersonUsecase: 'MARKETING',
      brandRegistrationSid: brand.sid,
    });
    await t.sandbox.control.advance(`campaign-${campaign.sid}`);
    await t.sandbox.control.advance(`campaign-${campaign.sid}`);
    await eventually(() => (numberEvents().length === 2 ? true : undefined), 'two registrations');
    expect(
      numberEvents()
        .map((e) => e[1])
        .sort(),
    ).toEqual([PN4, PN5]);
  });

  test('deleting the campaign deregisters its numbers', async () => {
    const service = await verifiedSoleProprietorService([PN4]);
    await t.sandbox.control.advance(`number-registration-${PN4}`);
    await t.client.messaging.v1
      .services(service)
      .usAppToPerson('QE2c6890da8086d771620e9b13fadeba0b')
      .remove();
    await eventually(() => (numberEvents().length === 3 ? true : undefined), 'the deregistration');
    expect(numberEvents()[2]).toEqual(['deregistration.pending', PN4, 'pending_deregistration']);
  });
});
