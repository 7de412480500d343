import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { testData } from '../../../src/sandbox';
import {
  CAMPAIGN,
  customer,
  eventually,
  reviewedBrand,
  soleProprietorBundles,
  startReceiver,
  startTestSandbox,
  type CustomerData,
  type Receiver,
  type TestSandbox,
} from './helpers';

/** Each outcome the test data selects (docs/sandbox.md, "Test data"). */
describe('data-chosen outcomes', () => {
  let t: TestSandbox;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startTestSandbox();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** Submits a starter profile with this data and returns the failure_reason of its status callback. */
  async function profileVerdict(data: CustomerData): Promise<{ status: string; reason: string | undefined }> {
    const path = `/cb/${Math.random().toString(36).slice(2)}`;
    const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data, {
      statusCallback: `${receiver.url}${path}`,
    });
    await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
    const status = (await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).status;
    const callback = await eventually(
      () =>
        receiver.received
          .filter((r) => r.url === path)
          .map((r) => new URLSearchParams(r.body))
          .find(
            (p) => p.get('BundleSid') === bundles.customerProfileSid && p.get('Status') !== 'pending-review',
          ),
      'status callback',
    );
    // Every callback is signed with the auth token, over the exact URL given as status_callback.
    const signed = receiver.received.find(
      (r) => r.url === path && r.body.includes(bundles.customerProfileSid),
    );
    expect(
      validateRequest(
        t.sandbox.authToken,
        String(signed?.headers['x-twilio-signature']),
        `${receiver.url}${path}`,
        Object.fromEntries(new URLSearchParams(signed?.body)),
      ),
    ).toBe(true);
    expect(callback.get('Status')).toBe(status);
    return { status, reason: callback.get('FailureReason') ?? undefined };
  }

  describe('000 1.2: email rejection reasons reach the status_callback', () => {
    test.each([
      ['jane@bad_domain', 'Email domain has an invalid address syntax.'],
      ['jane@nowhere.invalid', 'Unknown email domain.'],
      ['jane@mailinator.com', 'Email is a suspected disposable address.'],
      ['invalid@example.com', 'Email is invalid.'],
    ])('%s → twilio-rejected: %s', async (email, reason) => {
      expect(await profileVerdict(customer({ email }))).toEqual({ status: 'twilio-rejected', reason });
    });

    test('an ordinary email passes: in-review', async () => {
      expect(await profileVerdict(customer())).toEqual({ status: 'in-review', reason: undefined });
    });
  });

  describe('000 1.4: address rejection reasons reach the status_callback', () => {
    test.each([
      [
        'the table\'s "1 Jersey Str"',
        { street: '1 Jersey Str', city: 'Boston', region: 'MA', postalCode: '02215' },
        testData.ADDRESS_REASONS.street,
      ],
      [
        'the table\'s "Bostun"',
        { street: '1 Jersey St', city: 'Bostun', region: 'MA', postalCode: '02215' },
        testData.ADDRESS_REASONS.locality,
      ],
      [
        'the table\'s "MAA"',
        { street: '1 Jersey St', city: 'Boston', region: 'MAA', postalCode: '02215' },
        testData.ADDRESS_REASONS.region,
      ],
      [
        'the table\'s "10000 Jersey St"',
        { street: '10000 Jersey St', city: 'Boston', region: 'MA', postalCode: '02215' },
        testData.ADDRESS_REASONS.houseNumber,
      ],
      [
        'postal code 00000',
        { street: '1 Jersey St', city: 'Boston', region: 'MA', postalCode: '00000' },
        testData.ADDRESS_REASONS.postalCode,
      ],
      [
        'a country other than US or CA',
        { isoCountry: 'GB', city: 'London', region: 'London', postalCode: 'SW1A 1AA' },
        testData.ADDRESS_REASONS.notUsCa,
      ],
    ])('%s → twilio-rejected', async (_name, address, reason) => {
      expect(await profileVerdict(customer(address))).toEqual({ status: 'twilio-rejected', reason });
    });

    test('an address SID that does not exist → "Address not found with sid …"', async () => {
      const data = customer();
      const path = '/cb/missing-address';
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data, {
        statusCallback: `${receiver.url}${path}`,
        submit: false,
      });
      await t.client.addresses(bundles.addressSid).remove();
      // Evaluations already see the missing address; a submission is rejected with 000 1.4's reason.
      await t.client.trusthub.v1
        .customerProfiles(bundles.customerProfileSid)
        .update({ status: 'pending-review' });
      await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
      const reason = await eventually(
        () =>
          receiver.received
            .filter((r) => r.url === path)
            .map((r) => new URLSearchParams(r.body).get('FailureReason'))
            .find(Boolean),
        'rejection callback',
      );
      expect(reason).toBe(`Address not found with sid ${bundles.addressSid}`);
    });

    test('"1 Jersey St, Boston, MA 02215" itself is an ordinary address', async () => {
      expect(
        await profileVerdict(
          customer({ street: '1 Jersey St', city: 'Boston', region: 'MA', postalCode: '02215' }),
        ),
      ).toEqual({
        status: 'in-review',
        reason: undefined,
      });
    });
  });

  describe('000 3.1: brand failure reasons', () => {
    async function brandAfterReview(sid: string) {
      await t.sandbox.control.advance(`brand-${sid}`);
      return t.client.messaging.v1.brandRegistrations(sid).fetch();
    }

    test('an A2P bundle that is not compliant → "Unable to fetch A2P Bundle Details…"', async () => {
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer(), {
        submit: false,
      });
      await t.client.trusthub.v1
        .customerProfiles(bundles.customerProfileSid)
        .update({ status: 'pending-review' });
      const brand = await t.client.messaging.v1.brandRegistrations.create({
        brandType: 'SOLE_PROPRIETOR',
        customerProfileBundleSid: bundles.customerProfileSid,
        a2PProfileBundleSid: bundles.trustProductSid, // still draft: never submitted
      });
      const reviewed = await brandAfterReview(brand.sid);
      expect(reviewed).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.a2pBundle });
      expect(reviewed.errors).toEqual([
        expect.objectContaining({ error_code: 30791, fields: ['a2p_profile_bundle_sid'] }),
      ]);
    });

    test('a rejected customer profile → "Unable to fetch Customer Profile Bundle details…"', async () => {
      const bundles = await soleProprietorBundles(
        t.client,
        t.sandbox.primaryProfileSid,
        customer({ email: 'x@mailinator.com' }),
      );
      await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
      await t.sandbox.control.advance(`bundle-${bundles.trustProductSid}`);
      const brand = await t.client.messaging.v1.brandRegistrations.create({
        brandType: 'SOLE_PROPRIETOR',
        customerProfileBundleSid: bundles.customerProfileSid,
        a2PProfileBundleSid: bundles.trustProductSid,
      });
      expect(await brandAfterReview(brand.sid)).toMatchObject({
        status: 'FAILED',
        failureReason: testData.BRAND_REASONS.customerProfile,
      });
    });

    test('a brand name containing "TCR Reject" → "Unable to register Brand with The Campaign Registry"', async () => {
      const { brandSid } = await reviewedBrand(t, customer({ brandName: 'Jane Doe TCR Reject' }));
      const brand = await t.client.messaging.v1.brandRegistrations(brandSid).fetch();
      expect(brand).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.tcr });
    });

    test('a brand name containing "Suspend" → SUSPENDED', async () => {
      const { brandSid } = await reviewedBrand(t, customer({ brandName: 'Suspended Sam' }));
      expect((await t.client.messaging.v1.brandRegistrations(brandSid).fetch()).status).toBe('SUSPENDED');
    });
  });

  describe('000: TCR reuse limits, counted across the sandbox', () => {
    async function registered(data: CustomerData, on: TestSandbox = t) {
      const { brandSid } = await reviewedBrand(on, data);
      return on.client.messaging.v1.brandRegistrations(brandSid).fetch();
    }

    test('the same mobile number on a 4th brand → FAILED', async () => {
      const mobile = '+14155557777';
      for (let i = 0; i < 3; i++) expect((await registered(customer({ mobile }))).status).toBe('APPROVED');
      const fourth = await registered(customer({ mobile }));
      expect(fourth).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.tcr });
      expect(fourth.errors).toEqual([expect.objectContaining({ fields: ['mobile_phone_number'] })]);
    });

    test('the same email on an 11th brand → FAILED', async () => {
      const email = `shared.${Date.now()}@example.com`;
      for (let i = 0; i < 10; i++) expect((await registered(customer({ email }))).status).toBe('APPROVED');
      const eleventh = await registered(customer({ email }));
      expect(eleventh).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.tcr });
      expect(eleventh.errors).toEqual([expect.objectContaining({ fields: ['email'] })]);
    });

    test('the same address on an 11th brand → FAILED', async () => {
      const address = {
        street: `${Date.now() % 100000} Shared Ave`,
        city: 'Oakland',
        region: 'CA',
        postalCode: '94607',
      };
      for (let i = 0; i < 10; i++) expect((await registered(customer(address))).status).toBe('APPROVED');
      const eleventh = await registered(customer(address));
      expect(eleventh).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.tcr });
      expect(eleventh.errors).toEqual([expect.objectContaining({ fields: ['address_sids'] })]);
    });

    test('still counted after a pre-fill and after a restart from the state file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'a2p-sandbox-reuse-'));
      const stateFile = join(dir, 'state.json');
      const mobile = '+14155556666';
      try {
        const first = await startTestSandbox({ stateFile });
        try {
          await registered(customer({ mobile }), first);
          await first.sandbox.control.prefill(100);
          await registered(customer({ mobile }), first);
        } finally {
          await first.close();
        }
        const second = await startTestSandbox({ stateFile });
        try {
          expect((await registered(customer({ mobile }), second)).status).toBe('APPROVED');
          const fourth = await registered(customer({ mobile }), second);
          expect(fourth).toMatchObject({ status: 'FAILED', failureReason: testData.BRAND_REASONS.tcr });
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('002 / 000 5.1: campaigns FAILED with errors', () => {
    test.each([
      ['#fail-message-flow', 30909, 'MESSAGE_FLOW'],
      ['#fail-opt-in', 30896, 'OPT_IN_MESSAGE'],
      ['#fail-samples', 30893, 'MESSAGE_SAMPLES'],
    ])('a message flow containing %s → FAILED with error %d', async (marker, code, field) => {
      const { brandSid } = await reviewedBrand(t, customer());
      await t.sandbox.control.answerOtp(brandSid);
      const service = await t.client.messaging.v1.services.create({ friendlyName: `svc ${marker}` });
      const campaign = await t.client.messaging.v1.services(service.sid).usAppToPerson.create({
        ...CAMPAIGN,
        messageFlow: `${CAMPAIGN.messageFlow} ${marker}`,
        brandRegistrationSid: brandSid,
      });
      await t.sandbox.control.advance(`campaign-${campaign.sid}`);
      await t.sandbox.control.advance(`campaign-${campaign.sid}`);
      const failed = await t.client.messaging.v1.services(service.sid).usAppToPerson(campaign.sid).fetch();
      expect(failed.campaignStatus).toBe('FAILED');
      expect(failed.errors).toEqual([
        expect.objectContaining({ error_code: code, fields: expect.arrayContaining([field]) as unknown }),
      ]);
    });

    test('a campaign submitted while its brand was PENDING fails when the brand is suspended', async () => {
      const data = customer();
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data);
      await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
      await t.sandbox.control.advance(`bundle-${bundles.trustProductSid}`);
      const brand = await t.client.messaging.v1.brandRegistrations.create({
        brandType: 'SOLE_PROPRIETOR',
        customerProfileBundleSid: bundles.customerProfileSid,
        a2PProfileBundleSid: bundles.trustProductSid,
      });
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'svc brand fails' });
      const campaign = await t.client.messaging.v1
        .services(service.sid)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brand.sid });
      await t.sandbox.control.advance(`campaign-${campaign.sid}`);
      await t.sandbox.control.advance(`campaign-${campaign.sid}`);
      // The brand is still PENDING: the campaign waits for it rather than deciding.
      expect(
        (await t.sandbox.control.reviews()).find((r) => r.subject === campaign.sid)?.waitingFor,
      ).toContain(brand.sid);
      await t.sandbox.control.decideBrand(brand.sid, 'suspend');
      await t.sandbox.control.advance(`campaign-${campaign.sid}`);
      const failed = await t.client.messaging.v1.services(service.sid).usAppToPerson(campaign.sid).fetch();
      expect(failed.campaignStatus).toBe('FAILED');
      expect(failed.errors).toEqual([expect.objectContaining({ error_code: 21717 })]);
    });
  });

  describe('003: external campaigns', () => {
    let tcr: Receiver;
    beforeAll(async () => {
      tcr = await startReceiver();
      await t.sandbox.control.setTcrSink(`${tcr.url}/tcr`, 's3cret');
    });
    afterAll(() => tcr.close());

    const tcrEvents = () =>
      tcr.received.map((r): Record<string, unknown> => ({
        secret: r.headers['x-a2p-webhook-secret'],
        ...(JSON.parse(r.body) as Record<string, unknown>),
      }));

    test(`a campaign shared as ${testData.SHARE_REJECT_CAMPAIGN_ID} is rejected: CAMPAIGN_SHARE_DELETE with feedback`, async () => {
      await t.sandbox.control.shareExternalCampaign(testData.SHARE_REJECT_CAMPAIGN_ID);
      await t.sandbox.control.advance(`campaign-share-${testData.SHARE_REJECT_CAMPAIGN_ID}`);
      const event = await eventually(
        () => tcrEvents().find((e) => e.campaignId === testData.SHARE_REJECT_CAMPAIGN_ID),
        'TCR event',
      );
      expect(event).toMatchObject({
        eventType: 'CAMPAIGN_SHARE_DELETE',
        description: testData.SHARE_REJECT_FEEDBACK,
        secret: 's3cret',
      });
      // An association of a campaign Twilio did not accept is refused.
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'rejected share' });
      await expect(
        t.client.messaging.v1.externalCampaign.create({
          campaignId: testData.SHARE_REJECT_CAMPAIGN_ID,
          messagingServiceSid: service.sid,
        }),
      ).rejects.toMatchObject({ status: 400 });
    });

    test('an ordinary shared campaign is accepted: CAMPAIGN_SHARE_ACCEPT', async () => {
      await t.sandbox.control.shareExternalCampaign('CSHARE1');
      await t.sandbox.control.advance('campaign-share-CSHARE1');
      expect(
        await eventually(() => tcrEvents().find((e) => e.campaignId === 'CSHARE1'), 'TCR event'),
      ).toMatchObject({
        eventType: 'CAMPAIGN_SHARE_ACCEPT',
      });
    });

    test(`${testData.DCA_REJECT_CAMPAIGN_ID} is rejected by the secondary DCA after association: FAILED, CAMPAIGN_SHARE_DELETE, $15`, async () => {
      await t.sandbox.control.shareExternalCampaign(testData.DCA_REJECT_CAMPAIGN_ID, true);
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'dca reject' });
      const association = await t.client.messaging.v1.externalCampaign.create({
        campaignId: testData.DCA_REJECT_CAMPAIGN_ID,
        messagingServiceSid: service.sid,
      });
      await t.sandbox.control.advance(`external-campaign-${association.sid}`);
      const campaign = await t.client.messaging.v1
        .services(service.sid)
        .usAppToPerson(association.sid)
        .fetch();
      expect(campaign.campaignStatus).toBe('FAILED');
      expect(
        await eventually(
          () =>
            tcrEvents().find(
              (e) =>
                e.campaignId === testData.DCA_REJECT_CAMPAIGN_ID && e.eventType === 'CAMPAIGN_SHARE_DELETE',
            ),
          'TCR event',
        ),
      ).toMatchObject({
        eventType: 'CAMPAIGN_SHARE_DELETE',
        description: testData.DCA_REJECT_FEEDBACK,
      });
      const { entries } = await t.sandbox.control.ledger();
      expect(entries.filter((e) => e.sid === association.sid)).toEqual([
        expect.objectContaining({ kind: 'campaign-vetting', amountUsd: 15 }),
      ]);
    });

    test('two associations within five seconds: the second fails asynchronously (003 rate limit)', async () => {
      await t.sandbox.control.shareExternalCampaign('CFIRST1', true);
      await t.sandbox.control.shareExternalCampaign('CSECND2', true);
      await t.sandbox.control.advanceClock(6_000);
      const a = await t.client.messaging.v1.services.create({ friendlyName: 'first' });
      const b = await t.client.messaging.v1.services.create({ friendlyName: 'second' });
      const first = await t.client.messaging.v1.externalCampaign.create({
        campaignId: 'CFIRST1',
        messagingServiceSid: a.sid,
      });
      const second = await t.client.messaging.v1.externalCampaign.create({
        campaignId: 'CSECND2',
        messagingServiceSid: b.sid,
      });
      await t.sandbox.control.advance(`external-campaign-${first.sid}`);
      await t.sandbox.control.advance(`external-campaign-${second.sid}`);
      expect(
        (await t.client.messaging.v1.services(a.sid).usAppToPerson(first.sid).fetch()).campaignStatus,
      ).toBe('VERIFIED');
      const failed = await t.client.messaging.v1.services(b.sid).usAppToPerson(second.sid).fetch();
      expect(failed.campaignStatus).toBe('FAILED');
      expect(failed.errors).toEqual([expect.objectContaining({ error_code: 30897 })]);
    });
  });
});
