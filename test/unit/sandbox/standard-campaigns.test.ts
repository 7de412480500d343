import { MAX_CAMPAIGNS_PER_BRAND } from '../../../src/sandbox/engine/campaigns';
import { LOW_SCORE_MARKER, NUMBER_REGISTRATION_FAILURE } from '../../../src/sandbox/outcomes';
import {
  CAMPAIGN,
  eventually,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';
import { standardBrand, standardData } from './standard-helpers';

interface Usecase {
  code: string;
  post_approval_required: boolean;
}

const STANDARD_CAMPAIGN = {
  ...CAMPAIGN,
  usAppToPersonUsecase: 'MARKETING',
  privacyPolicyUrl: 'https://acme.example.com/privacy',
  termsAndConditionsUrl: 'https://acme.example.com/terms',
};

describe('Standard campaigns: use cases by brand, the brand limit, numbers', () => {
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

  async function approvedBrand(data = standardData()) {
    const { brandSid } = await standardBrand(t, data);
    await t.sandbox.control.advance(`brand-${brandSid}`);
    return brandSid;
  }
  const service = async () => (await t.client.messaging.v1.services.create({ friendlyName: 'standard' })).sid;
  const usecases = async (brandSid: string) => {
    const r = await t.client.messaging.v1
      .services(await service())
      .usAppToPersonUsecases.fetch({ brandRegistrationSid: brandSid });
    return r.usAppToPersonUsecases as unknown as Usecase[];
  };
  const codes = (list: Usecase[]) => list.map((u) => u.code);

  test('use cases differ by brand: ordinary, low score, non-profit, government, failed', async () => {
    const ordinary = await usecases(await approvedBrand());
    expect(codes(ordinary)).toEqual(expect.arrayContaining(['MARKETING', 'MIXED', 'LOW_VOLUME', '2FA']));
    expect(codes(ordinary)).not.toContain('CHARITY');
    expect(ordinary.every((u) => !u.post_approval_required)).toBe(true);

    const low = await usecases(
      await approvedBrand(standardData({ business: { business_name: `Acme ${LOW_SCORE_MARKER}` } })),
    );
    expect(codes(low)).toEqual(['LOW_VOLUME']);

    const charity = await usecases(
      await approvedBrand(standardData({ messaging: { company_type: 'non_profit' } })),
    );
    expect(charity.find((u) => u.code === 'CHARITY')).toMatchObject({ post_approval_required: true });

    const gov = await usecases(
      await approvedBrand(standardData({ messaging: { company_type: 'government' } })),
    );
    expect(gov.find((u) => u.code === 'EMERGENCY')).toMatchObject({ post_approval_required: true });
    expect(codes(gov)).not.toContain('CHARITY');

    const failed = await approvedBrand(
      standardData({ business: { business_registration_number: '11-1111111' } }),
    );
    expect(await usecases(failed)).toEqual([]);
  });

  test('a campaign with a use case the brand may not use is refused (21717); the Standard fields are kept', async () => {
    const brandSid = await approvedBrand();
    await expect(
      t.client.messaging.v1.services(await service()).usAppToPerson.create({
        ...STANDARD_CAMPAIGN,
        usAppToPersonUsecase: 'CHARITY',
        brandRegistrationSid: brandSid,
      }),
    ).rejects.toMatchObject({ code: 21717 });
    await expect(
      t.client.messaging.v1.services(await service()).usAppToPerson.create({
        ...STANDARD_CAMPAIGN,
        privacyPolicyUrl: 'not a url',
        brandRegistrationSid: brandSid,
      }),
    ).rejects.toThrow(/PrivacyPolicyUrl/);
    const c = await t.client.messaging.v1
      .services(await service())
      .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid });
    const json = c.toJSON() as unknown as Record<string, unknown>;
    expect([c.usAppToPersonUsecase, json.privacyPolicyUrl, json.termsAndConditionsUrl]).toEqual([
      'MARKETING',
      'https://acme.example.com/privacy',
      'https://acme.example.com/terms',
    ]);
  });

  test(`a brand holds at most ${MAX_CAMPAIGNS_PER_BRAND} campaigns, one per Messaging Service (30930)`, async () => {
    const brandSid = await approvedBrand();
    const first = await service();
    await t.client.messaging.v1
      .services(first)
      .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid });
    await expect(
      t.client.messaging.v1
        .services(first)
        .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid }),
    ).rejects.toMatchObject({ code: 21710 });
    for (let i = 1; i < MAX_CAMPAIGNS_PER_BRAND; i++)
      await t.client.messaging.v1
        .services(await service())
        .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid });
    await expect(
      t.client.messaging.v1
        .services(await service())
        .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid }),
    ).rejects.toMatchObject({ code: 30930 });
  });

  test('numbers in a verified Standard campaign’s service register; a data-chosen number fails', async () => {
    const brandSid = await approvedBrand();
    const mg = await service();
    const good = await t.client.incomingPhoneNumbers.create({ phoneNumber: '+14155550777' });
    const bad = await t.client.incomingPhoneNumbers.create({ phoneNumber: '+14155550666' });
    for (const n of [good, bad])
      await t.client.messaging.v1.services(mg).phoneNumbers.create({ phoneNumberSid: n.sid });
    const c = await t.client.messaging.v1
      .services(mg)
      .usAppToPerson.create({ ...STANDARD_CAMPAIGN, brandRegistrationSid: brandSid });
    await t.sandbox.control.advance(`campaign-${c.sid}`);
    await t.sandbox.control.advance(`campaign-${c.sid}`);
    await t.sandbox.control.advance(`number-registration-${good.sid}`);
    await t.sandbox.control.advance(`number-registration-${bad.sid}`);
    const numberEvents = () =>
      sink.received
        .flatMap((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> }[])
        .filter((e) => e.type.includes('.number-registration.') && e.data.messagingservicesid === mg)
        .map((e) => [
          e.type.split('.').pop(),
          e.data.phonenumbersid,
          e.data.externalstatus,
          e.data.failurereason,
        ]);
    await eventually(() => (numberEvents().length === 4 ? true : undefined), 'four number events');
    expect(numberEvents()).toEqual(
      expect.arrayContaining([
        ['pending', good.sid, 'pending_registration', undefined],
        ['pending', bad.sid, 'pending_registration', undefined],
        ['successful', good.sid, 'registered', undefined],
        ['failed', bad.sid, 'failure', NUMBER_REGISTRATION_FAILURE],
      ]),
    );
  });
});
