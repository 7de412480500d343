import {
  CAMPAIGN,
  customer,
  reviewedBrand,
  standardBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

describe('fee ledger', () => {
  let t: TestSandbox;

  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.close());

  test('records brand registration, resubmission, secondary vetting and campaign vetting with SID, kind, amount and time', async () => {
    // Sole proprietor: registration $4, a resubmission $4, one campaign $15.
    const failed = await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));
    await t.client.messaging.v1.brandRegistrations(failed.brandSid).update();
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'ledger' });
    const campaign = await t.client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    // Standard brand with automatic secondary vetting: $4 + $40.
    const standard = await standardBundles(t.client, t.sandbox.primaryProfileSid);
    const std = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: standard.customerProfileSid,
      a2PProfileBundleSid: standard.trustProductSid,
    });

    const ledger = await t.sandbox.control.ledger();
    expect(ledger.entries.map((e) => [e.sid, e.kind, e.amountUsd])).toEqual([
      [failed.brandSid, 'brand-registration', 4],
      [failed.brandSid, 'brand-resubmission', 4],
      [brandSid, 'brand-registration', 4],
      [campaign.sid, 'campaign-vetting', 15],
      [std.sid, 'brand-registration', 4],
      [std.sid, 'secondary-vetting', 40],
    ]);
    expect(ledger.totalUsd).toBe(71);
    for (const e of ledger.entries) expect(Number.isNaN(Date.parse(e.time))).toBe(false);
  });

  test('reads and refused requests cost nothing; a mock brand is recorded but not billed', async () => {
    const { bundles } = await reviewedBrand(t, customer());
    await t.client.messaging.v1.brandRegistrations.list();
    await expect(
      t.client.messaging.v1.brandRegistrations('BN00000000000000000000000000000000').update(),
    ).rejects.toMatchObject({ status: 404 });
    const mock = await t.client.messaging.v1.brandRegistrations.create({
      brandType: 'SOLE_PROPRIETOR',
      customerProfileBundleSid: bundles.customerProfileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
      mock: true,
    });
    const { entries } = await t.sandbox.control.ledger();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ sid: mock.sid, kind: 'brand-registration', amountUsd: 0 });
  });
});
