import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testData } from '../../../src/sandbox';
import { optionsFromEnv, parseDuration } from '../../../src/sandbox/main';
import {
  CAMPAIGN,
  customer,
  eventually,
  reviewedBrand,
  soleProprietorBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

const DAY = 24 * 3_600_000;

describe('the customer side of the OTP', () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.close());

  const brand = (sid: string) => t.client.messaging.v1.brandRegistrations(sid).fetch();

  test('an OTP answered within 24 hours verifies the brand', async () => {
    const { brandSid } = await reviewedBrand(t);
    await t.sandbox.control.advanceClock(DAY - 60_000);
    await t.sandbox.control.answerOtp(brandSid);
    expect((await brand(brandSid)).identityStatus).toBe('VERIFIED');
  });

  test('after 24 hours the OTP has expired: the answer is refused until SmsOtp sends a fresh one', async () => {
    const { brandSid } = await reviewedBrand(t);
    await t.sandbox.control.advanceClock(DAY);
    await expect(t.sandbox.control.answerOtp(brandSid)).rejects.toMatchObject({ status: 409 });
    expect((await t.sandbox.control.reviews()).find((r) => r.id === `otp-${brandSid}`)?.stage).toBe(
      'expired',
    );
    await t.client.messaging.v1.brandRegistrations(brandSid).brandRegistrationOtps.create();
    await t.sandbox.control.advanceClock(DAY - 60_000);
    await t.sandbox.control.answerOtp(brandSid);
    expect((await brand(brandSid)).identityStatus).toBe('VERIFIED');
  });

  test('SmsOtp is refused for a brand that is not awaiting verification', async () => {
    const { brandSid } = await reviewedBrand(t);
    await t.sandbox.control.answerOtp(brandSid);
    await expect(
      t.client.messaging.v1.brandRegistrations(brandSid).brandRegistrationOtps.create(),
    ).rejects.toMatchObject({ status: 400 });
  });

  test('a customer who never answers stays UNVERIFIED and the bundles stay in-review', async () => {
    const { brandSid, bundles } = await reviewedBrand(t, customer({ mobile: testData.SILENT_MOBILE }));
    await t.sandbox.control.setOtpAutoReply(0);
    await t.sandbox.control.advanceClock(2 * DAY);
    expect((await brand(brandSid)).identityStatus).toBe('UNVERIFIED');
    expect((await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).status).toBe(
      'in-review',
    );
  });

  test('with auto-reply on, the customer answers by themselves', async () => {
    await t.sandbox.control.setOtpAutoReply(10);
    const { brandSid } = await reviewedBrand(t);
    await eventually(
      async () => ((await brand(brandSid)).identityStatus === 'VERIFIED' ? true : undefined),
      'auto reply',
    );
  });
});

describe('reviews on their own timers', () => {
  test('a whole registration moves from submission to VERIFIED with short real delays', async () => {
    const t = await startTestSandbox({
      timings: {
        bundleReviewMs: 20,
        bundleApprovalMs: 20,
        brandReviewMs: 20,
        campaignReviewMs: 20,
        externalReviewMs: 20,
        shareReviewMs: 20,
      },
      otpAutoReplyMs: 20,
    });
    try {
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer());
      await eventually(
        async () =>
          (await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).status ===
          'in-review'
            ? true
            : undefined,
        'in-review',
      );
      const b = await t.client.messaging.v1.brandRegistrations.create({
        brandType: 'SOLE_PROPRIETOR',
        customerProfileBundleSid: bundles.customerProfileSid,
        a2PProfileBundleSid: bundles.trustProductSid,
      });
      // 30991: a campaign needs a verified brand; the review and the OTP reply run on their timers.
      await eventually(
        async () =>
          (await t.client.messaging.v1.brandRegistrations(b.sid).fetch()).identityStatus === 'VERIFIED'
            ? true
            : undefined,
        'brand VERIFIED',
      );
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'timers' });
      await t.client.messaging.v1
        .services(service.sid)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: b.sid });
      await eventually(
        async () =>
          (await t.client.messaging.v1.services(service.sid).usAppToPerson.list())[0]?.campaignStatus ===
          'VERIFIED'
            ? true
            : undefined,
        'campaign VERIFIED',
      );
      expect((await t.client.messaging.v1.brandRegistrations(b.sid).fetch()).identityStatus).toBe('VERIFIED');
      expect((await t.client.trusthub.v1.trustProducts(bundles.trustProductSid).fetch()).status).toBe(
        'twilio-approved',
      );
    } finally {
      await t.close();
    }
  });

  test('the control API lists, advances and decides pending reviews', async () => {
    const t = await startTestSandbox();
    try {
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer());
      const pending = await t.sandbox.control.reviews();
      expect(pending.map((r) => [r.id, r.status])).toEqual([
        [`bundle-${bundles.customerProfileSid}`, 'pending-review'],
        [`bundle-${bundles.trustProductSid}`, 'pending-review'],
      ]);
      await t.sandbox.control.decideBundle(
        bundles.customerProfileSid,
        'reject',
        'Manual review: name mismatch',
      );
      expect((await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).status).toBe(
        'twilio-rejected',
      );
      await t.sandbox.control.decideBundle(bundles.trustProductSid, 'approve');
      expect((await t.client.trusthub.v1.trustProducts(bundles.trustProductSid).fetch()).status).toBe(
        'twilio-approved',
      );
      expect(await t.sandbox.control.reviews()).toEqual([]);
      await expect(t.sandbox.control.decideBundle(bundles.trustProductSid, 'reject')).rejects.toMatchObject({
        status: 409,
      });
    } finally {
      await t.close();
    }
  });

  test('brand and campaign decisions: fail with errors, verify', async () => {
    const t = await startTestSandbox();
    try {
      const data = customer();
      const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data);
      const b = await t.client.messaging.v1.brandRegistrations.create({
        brandType: 'SOLE_PROPRIETOR',
        customerProfileBundleSid: bundles.customerProfileSid,
        a2PProfileBundleSid: bundles.trustProductSid,
      });
      await t.sandbox.control.decideBrand(b.sid, 'fail', {
        reason: 'Unable to register Brand with The Campaign Registry',
        errors: [{ error_code: 30793, description: 'Brand name mismatch', fields: ['brand_name'] }],
      });
      expect(await t.client.messaging.v1.brandRegistrations(b.sid).fetch()).toMatchObject({
        status: 'FAILED',
        errors: [expect.objectContaining({ error_code: 30793, description: 'Brand name mismatch' })],
      });
      await t.client.messaging.v1.brandRegistrations(b.sid).update();
      await t.sandbox.control.decideBrand(b.sid, 'approve');
      await t.sandbox.control.answerOtp(b.sid);
      const service = await t.client.messaging.v1.services.create({ friendlyName: 'decide' });
      const c = await t.client.messaging.v1
        .services(service.sid)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: b.sid });
      await t.sandbox.control.decideCampaign(service.sid, 'fail', [
        { error_code: 30909, description: 'Call to Action incomplete', fields: ['MESSAGE_FLOW'] },
      ]);
      expect((await t.client.messaging.v1.services(service.sid).usAppToPerson(c.sid).fetch()).errors).toEqual(
        [expect.objectContaining({ error_code: 30909, description: 'Call to Action incomplete' })],
      );
    } finally {
      await t.close();
    }
  });
});

describe('persistence', () => {
  test('a restarted sandbox with a state file keeps its resources, ledger and pending reviews', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-sandbox-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ stateFile });
      const { brandSid, bundles } = await reviewedBrand(first);
      const service = await first.client.messaging.v1.services.create({ friendlyName: 'persisted' });
      await first.close();

      const second = await startTestSandbox({ stateFile });
      try {
        expect((await second.client.messaging.v1.brandRegistrations(brandSid).fetch()).status).toBe(
          'APPROVED',
        );
        expect((await second.client.messaging.v1.services(service.sid).fetch()).friendlyName).toBe(
          'persisted',
        );
        expect((await second.sandbox.control.ledger()).entries.map((e) => e.sid)).toEqual([brandSid]);
        expect((await second.sandbox.control.reviews()).map((r) => [r.id, r.waitingFor])).toEqual([
          [`bundle-${bundles.customerProfileSid}`, 'an OTP-verified sole proprietor brand'],
          [`bundle-${bundles.trustProductSid}`, 'an OTP-verified sole proprietor brand'],
          [`otp-${brandSid}`, 'the customer to reply YES'],
        ]);
        await second.sandbox.control.answerOtp(brandSid);
        expect(
          (await second.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).status,
        ).toBe('twilio-approved');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run sandbox configuration', () => {
  test('reads port, credentials, state file, sink, auto-reply and timing overrides from the environment', () => {
    expect(
      optionsFromEnv({
        SANDBOX_PORT: '0',
        SANDBOX_ACCOUNT_SID: 'AC11111111111111111111111111111111',
        SANDBOX_AUTH_TOKEN: 'tok',
        SANDBOX_STATE_FILE: '/tmp/x.json',
        SANDBOX_EVENT_SINK_URL: 'http://127.0.0.1:9/events',
        SANDBOX_OTP_AUTO_REPLY: '5s',
        SANDBOX_BRAND_REVIEW: '2m',
      }),
    ).toMatchObject({
      port: 0,
      accountSid: 'AC11111111111111111111111111111111',
      authToken: 'tok',
      stateFile: '/tmp/x.json',
      eventSinkUrl: 'http://127.0.0.1:9/events',
      otpAutoReplyMs: 5_000,
      timings: { brandReviewMs: 120_000 },
    });
    expect(optionsFromEnv({ SANDBOX_OTP_AUTO_REPLY: 'off' })).toMatchObject({
      port: 4010,
      otpAutoReplyMs: null,
    });
    expect(parseDuration('x', '300ms')).toBe(300);
    expect(() => parseDuration('SANDBOX_BRAND_REVIEW', 'soon')).toThrow('SANDBOX_BRAND_REVIEW');
  });
});
