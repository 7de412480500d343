import { PROFILE_REJECT_REASON, PROFILE_REJECT_REGISTRATION_NUMBER } from '../../../src/sandbox/outcomes';
import { SECONDARY_POLICY, A2P_MESSAGING_POLICY, startTestSandbox, type TestSandbox } from './helpers';
import { secondaryBundles, standardData } from './standard-helpers';

interface Result {
  passed: boolean;
  requirement_name: string;
  invalid: { object_field: string; failure_reason: string; error_code: number }[];
}

/** The Standard path's Trust Hub bundles: secondary customer profile and A2P messaging profile. */
describe('secondary customer profile and A2P messaging profile', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  const evaluate = async (kind: 'customerProfiles' | 'trustProducts', sid: string, policySid: string) => {
    const th = t.client.trusthub.v1;
    const e =
      kind === 'customerProfiles'
        ? await th.customerProfiles(sid).customerProfilesEvaluations.create({ policySid })
        : await th.trustProducts(sid).trustProductsEvaluations.create({ policySid });
    return { status: e.status, results: e.results as unknown as Result[] };
  };
  const failing = (results: Result[]) =>
    results.filter((r) => !r.passed).map((r) => [r.requirement_name, r.invalid.map((i) => i.object_field)]);

  test('complete bundles evaluate compliant; a second representative is optional', async () => {
    const b = await secondaryBundles(t.client, t.sandbox.primaryProfileSid, standardData(), {
      submit: false,
    });
    expect((await evaluate('customerProfiles', b.customerProfileSid, SECONDARY_POLICY)).status).toBe(
      'compliant',
    );
    expect((await evaluate('trustProducts', b.trustProductSid, A2P_MESSAGING_POLICY)).status).toBe(
      'compliant',
    );
  });

  test('missing and invalid business fields are named, as in 004’s noncompliant example', async () => {
    const data = standardData({
      business: { business_type: 'Conglomerate', website_url: '', business_industry: 'RETAIL' },
      representative: { job_position: undefined },
    });
    const b = await secondaryBundles(t.client, t.sandbox.primaryProfileSid, data, { submit: false });
    const e = await evaluate('customerProfiles', b.customerProfileSid, SECONDARY_POLICY);
    expect(e.status).toBe('noncompliant');
    expect(failing(e.results)).toEqual([
      ['customer_profile_business_information', ['business_type', 'website_url']],
      ['authorized_representative_1', ['job_position']],
    ]);
    const invalidType = e.results[0]?.invalid[0];
    expect(invalidType?.failure_reason).toMatch(/Business Type "Conglomerate" is invalid/);
    expect(invalidType?.error_code).toBe(22215);
  });

  test('a public company needs stock_exchange and stock_ticker; other company types may not send them', async () => {
    const pub = await secondaryBundles(
      t.client,
      t.sandbox.primaryProfileSid,
      standardData({ messaging: { company_type: 'public' } }),
      { submit: false },
    );
    const e1 = await evaluate('trustProducts', pub.trustProductSid, A2P_MESSAGING_POLICY);
    expect(failing(e1.results)).toEqual([
      ['us_a2p_messaging_profile_information', ['stock_exchange', 'stock_ticker']],
    ]);
    const priv = await secondaryBundles(
      t.client,
      t.sandbox.primaryProfileSid,
      standardData({ messaging: { company_type: 'private', stock_ticker: 'ACME' } }),
      { submit: false },
    );
    const e2 = await evaluate('trustProducts', priv.trustProductSid, A2P_MESSAGING_POLICY);
    expect(failing(e2.results)).toEqual([['us_a2p_messaging_profile_information', ['stock_ticker']]]);
    expect(e2.results[0]?.invalid[0]?.failure_reason).toMatch(/only accepted for a public company/);
    const bad = await secondaryBundles(
      t.client,
      t.sandbox.primaryProfileSid,
      standardData({ messaging: { company_type: 'charity' } }),
      { submit: false },
    );
    const e3 = await evaluate('trustProducts', bad.trustProductSid, A2P_MESSAGING_POLICY);
    expect(failing(e3.results)).toEqual([['us_a2p_messaging_profile_information', ['company_type']]]);
  });

  test('without the primary profile assigned the secondary profile is noncompliant', async () => {
    const th = t.client.trusthub.v1;
    const profile = await th.customerProfiles.create({
      friendlyName: 'no primary',
      email: 'ops@acme.example.com',
      policySid: SECONDARY_POLICY,
    });
    const e = await evaluate('customerProfiles', profile.sid, SECONDARY_POLICY);
    expect(failing(e.results).map(([name]) => name)).toEqual([
      'customer_profile_business_information',
      'authorized_representative_1',
      'customer_profile_address',
      'primary_customer_profile',
    ]);
  });

  test('the data-chosen registration number makes the review reject the profile', async () => {
    const data = standardData({
      business: { business_registration_number: PROFILE_REJECT_REGISTRATION_NUMBER },
    });
    const b = await secondaryBundles(t.client, t.sandbox.primaryProfileSid, data);
    await t.sandbox.control.advance(`bundle-${b.customerProfileSid}`);
    const profile = await t.client.trusthub.v1.customerProfiles(b.customerProfileSid).fetch();
    expect(profile.status).toBe('twilio-rejected');
    expect((profile as unknown as { errors: { message: string; fields: string[] }[] }).errors).toEqual([
      { message: PROFILE_REJECT_REASON, fields: ['business_registration_number'] },
    ]);
  });
});
