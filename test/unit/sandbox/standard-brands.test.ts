import {
  BRAND_UNVERIFIED_REGISTRATION_NUMBER,
  LOW_SCORE_MARKER,
  VETTING_FAIL_MARKER,
} from '../../../src/sandbox/outcomes';
import {
  CAMPAIGN,
  eventually,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';
import { standardBrand, standardData } from './standard-helpers';

interface CloudEvent {
  type: string;
  dataschema: string;
  data: Record<string, unknown>;
}

const BRAND = 'com.twilio.messaging.compliance.brand-registration.';

describe('Standard and Low-Volume Standard brands', () => {
  let t: TestSandbox;
  let sink: Receiver;
  beforeAll(async () => {
    t = await startTestSandbox();
    sink = await startReceiver();
    await t.sandbox.control.setEventSink(`${sink.url}/events`);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const events = (brandSid: string) =>
    sink.received
      .flatMap((r) => JSON.parse(r.body) as CloudEvent[])
      .filter((e) => e.type.startsWith(BRAND) && e.data.brandsid === brandSid);
  const eventTypes = (brandSid: string) => events(brandSid).map((e) => e.type.slice(BRAND.length));
  const waitForEvents = (brandSid: string, n: number) =>
    eventually(() => (events(brandSid).length >= n ? true : undefined), `${n} events of ${brandSid}`);
  const fees = async (sid: string) =>
    (await t.sandbox.control.ledger()).entries.filter((e) => e.sid === sid).map((e) => [e.kind, e.amountUsd]);
  const fetchBrand = async (sid: string) => {
    const b = await t.client.messaging.v1.brandRegistrations(sid).fetch();
    return b as typeof b & { brandFeedback: string[] | null };
  };

  test('a Standard brand is vetted: secondary vetting charged once, VETTED_VERIFIED with its score', async () => {
    const { brandSid } = await standardBrand(t);
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const b = await fetchBrand(brandSid);
    expect([b.status, b.identityStatus, b.brandScore, b.skipAutomaticSecVet]).toEqual([
      'APPROVED',
      'VETTED_VERIFIED',
      75,
      false,
    ]);
    expect([b.russell3000, b.governmentEntity, b.taxExemptStatus]).toEqual([false, false, null]);
    expect(await fees(brandSid)).toEqual([
      ['brand-registration', 4],
      ['secondary-vetting', 40],
    ]);
    await waitForEvents(brandSid, 2);
    expect(eventTypes(brandSid)).toEqual(['brand-registered', 'brand-vetted-verified']);
    expect(events(brandSid)[1]?.data).toMatchObject({
      identitystatus: 'vetted_verified',
      brandvettingoutcome: 'success',
      brandscore: 75,
    });
  });

  test('a Low-Volume Standard brand (SkipAutomaticSecVet) is not vetted and not charged for vetting', async () => {
    const { brandSid } = await standardBrand(t, standardData(), { skipAutomaticSecVet: true });
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const b = await fetchBrand(brandSid);
    expect([b.status, b.identityStatus, b.brandScore, b.skipAutomaticSecVet]).toEqual([
      'APPROVED',
      'VERIFIED',
      42,
      true,
    ]);
    expect(await fees(brandSid)).toEqual([['brand-registration', 4]]);
    await waitForEvents(brandSid, 2);
    expect(eventTypes(brandSid)).toEqual(['brand-registered', 'brand-verified']);
  });

  test('BrandType LOW_VOLUME_STANDARD is refused before anything is created', async () => {
    await expect(
      t.client.messaging.v1.brandRegistrations.create({
        brandType: 'LOW_VOLUME_STANDARD',
        customerProfileBundleSid: `BU${'1'.repeat(32)}`,
        a2PProfileBundleSid: `BU${'2'.repeat(32)}`,
      }),
    ).rejects.toThrow(/BrandType.*SkipAutomaticSecVet=true/);
  });

  test('a failed secondary vetting leaves the brand VERIFIED with a low score and TAX_ID feedback', async () => {
    const data = standardData({ business: { business_name: `Acme ${VETTING_FAIL_MARKER} Inc` } });
    const { brandSid } = await standardBrand(t, data);
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const b = await fetchBrand(brandSid);
    expect([b.status, b.identityStatus, b.brandScore, b.brandFeedback]).toEqual([
      'APPROVED',
      'VERIFIED',
      16,
      ['TAX_ID'],
    ]);
    await waitForEvents(brandSid, 2);
    const failure = events(brandSid)[1];
    expect(failure?.type).toBe(`${BRAND}brand-secondary-vetting-failure`);
    expect(failure?.dataschema).toBe(
      'https://events-schemas.twilio.com/A2P.BrandRegistrationSecondaryVettingFailure/2',
    );
    expect(failure?.data).toMatchObject({
      identitystatus: 'verified',
      brandvettingoutcome: 'failed',
      brandscore: 16,
      vettingscore: 16,
      brandfeedback: 'TAX_ID',
      brandregistrationerrors: [expect.objectContaining({ registrationerrorcode: 30795 })],
    });
    expect(await fees(brandSid)).toEqual([
      ['brand-registration', 4],
      ['secondary-vetting', 40],
    ]);
  });

  test('a low-score vetting is still VETTED_VERIFIED', async () => {
    const data = standardData({ business: { business_name: `Acme ${LOW_SCORE_MARKER}` } });
    const { brandSid } = await standardBrand(t, data);
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const b = await fetchBrand(brandSid);
    expect([b.identityStatus, b.brandScore]).toEqual(['VETTED_VERIFIED', 16]);
  });

  test('an unverifiable EIN fails the brand (brand-unverified); it may then be resubmitted', async () => {
    const data = standardData({
      business: { business_registration_number: BRAND_UNVERIFIED_REGISTRATION_NUMBER },
    });
    const { brandSid } = await standardBrand(t, data);
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const b = await fetchBrand(brandSid);
    expect([b.status, b.identityStatus, b.brandFeedback]).toEqual(['FAILED', 'UNVERIFIED', ['TAX_ID']]);
    expect(b.errors).toEqual([expect.objectContaining({ error_code: 30795 })]);
    await waitForEvents(brandSid, 1);
    expect(events(brandSid)[0]?.data).toMatchObject({
      identitystatus: 'unverified',
      brandfeedback: 'TAX_ID',
    });
    const again = await t.client.messaging.v1.brandRegistrations(brandSid).update();
    expect(again.status).toBe('PENDING');
  });

  test('non-profit, government and Russell 3000 public companies show in the brand’s fields', async () => {
    const nonProfit = await standardBrand(t, standardData({ messaging: { company_type: 'non_profit' } }));
    const government = await standardBrand(t, standardData({ messaging: { company_type: 'government' } }));
    const r3k = await standardBrand(
      t,
      standardData({
        messaging: { company_type: 'public', stock_exchange: 'NASDAQ', stock_ticker: 'R3K' },
        representative: {},
      }),
    );
    for (const b of [nonProfit, government, r3k]) await t.sandbox.control.advance(`brand-${b.brandSid}`);
    const np = await fetchBrand(nonProfit.brandSid);
    const gov = await fetchBrand(government.brandSid);
    const pub = await fetchBrand(r3k.brandSid);
    expect([np.taxExemptStatus, np.governmentEntity, np.russell3000]).toEqual(['501c3', false, false]);
    expect([gov.taxExemptStatus, gov.governmentEntity]).toEqual([null, true]);
    expect(pub.russell3000).toBe(true);
  });

  describe('public companies: Authentication+ 2FA email', () => {
    const publicData = (contact?: string) => {
      const d = standardData({
        messaging: { company_type: 'public', stock_exchange: 'NYSE', stock_ticker: 'ACME' },
      });
      if (contact) d.messaging.brand_contact_email = contact;
      return d;
    };

    test('the brand waits UNVERIFIED until the contact completes the email; campaigns wait too', async () => {
      const { brandSid } = await standardBrand(t, publicData());
      await t.sandbox.control.advance(`brand-${brandSid}`);
      let b = await fetchBrand(brandSid);
      expect([b.status, b.identityStatus]).toEqual(['APPROVED', 'UNVERIFIED']);
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'public' });
      await expect(
        t.client.messaging.v1.services(service.sid).usAppToPerson.create({
          ...CAMPAIGN,
          usAppToPersonUsecase: 'MARKETING',
          brandRegistrationSid: brandSid,
        }),
      ).rejects.toMatchObject({ code: 30991 });
      await t.sandbox.control.answer2fa(brandSid, 'open');
      await t.sandbox.control.answer2fa(brandSid, 'complete');
      b = await fetchBrand(brandSid);
      expect([b.status, b.identityStatus]).toEqual(['APPROVED', 'VETTED_VERIFIED']);
      await waitForEvents(brandSid, 6);
      expect(eventTypes(brandSid)).toEqual([
        'brand-registered',
        'email-2fa-sent',
        'email-2fa-opened',
        'email-2fa-clicked',
        'email-2fa-completed',
        'brand-vetted-verified',
      ]);
      expect(await fees(brandSid)).toEqual([
        ['brand-registration', 4],
        ['secondary-vetting', 40],
        ['authentication-plus', 12.5],
      ]);
      await expect(t.sandbox.control.answer2fa(brandSid, 'complete')).rejects.toMatchObject({ status: 409 });
    });

    test('an unanswered email times out after 7 days: FAILED with 21739, then retriggered', async () => {
      const { brandSid } = await standardBrand(t, publicData());
      await t.sandbox.control.advance(`brand-${brandSid}`);
      await t.sandbox.control.advanceClock(7 * 24 * 3600_000);
      let b = await fetchBrand(brandSid);
      expect([b.status, b.identityStatus]).toEqual(['FAILED', 'UNVERIFIED']);
      expect(b.errors).toEqual([expect.objectContaining({ error_code: 21739 })]);
      await waitForEvents(brandSid, 4);
      expect(eventTypes(brandSid)).toEqual([
        'brand-registered',
        'email-2fa-sent',
        'email-2fa-timeout',
        'brand-failure',
      ]);
      const res = (await t.client.request({
        method: 'post',
        uri: `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${brandSid}/2fa`,
      })) as { statusCode: number };
      expect(res.statusCode).toBe(201);
      b = await fetchBrand(brandSid);
      expect([b.status, b.identityStatus]).toEqual(['APPROVED', 'UNVERIFIED']);
      await waitForEvents(brandSid, 5);
      expect(eventTypes(brandSid)[4]).toBe('email-2fa-sent');
    });

    test('a contact whose address starts with 2fa-auto answers by itself', async () => {
      const { brandSid } = await standardBrand(t, publicData('2fa-auto@acme.example.com'));
      await t.sandbox.control.advance(`brand-${brandSid}`);
      await eventually(
        async () => ((await fetchBrand(brandSid)).identityStatus === 'VETTED_VERIFIED' ? true : undefined),
        'the 2FA auto-answer',
      );
    });
  });
});
