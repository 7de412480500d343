import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { MAX_BRAND_RESUBMISSIONS } from '../../src/domain/rules';
import { campaignStatusSignal, submitCorrectionUpdate } from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, type Registration, TIMINGS, withRegistration } from './harness';
import { registrationSteps } from './steps';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

const { toBrand, brandEvent, toCampaignReview, phaseAttribute } = registrationSteps(() => env);

describe('every way a registration ends is named', () => {
  test('a SUSPENDED campaign ends the registration as campaign-suspended', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const { messagingServiceSid } = await toCampaignReview(r);
      await r.handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid,
        campaignStatus: 'SUSPENDED',
      });
      const result = await r.handle.result();
      expect(result.outcome).toBe('campaign-suspended');
      expect(result.phase).toBe('campaign-suspended');
      expect(result.guidance).toContain('Twilio Support');
      expect(await phaseAttribute(r)).toBe('campaign-suspended');
    });
  });

  test.each<[string, (r: Registration, brandSid: string) => Promise<void>]>([
    ['in review', async () => undefined],
    [
      'while waiting for the OTP',
      async (r: Registration, brandSid: string) => {
        r.fake.brand!.status = 'APPROVED';
        await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'UNVERIFIED' });
        await r.until((p) => p.phase === 'brand-verification', 'OTP');
      },
    ],
    [
      'during campaign review',
      async (r: Registration, brandSid: string) => {
        r.fake.brand!.status = 'APPROVED';
        r.fake.brand!.identityStatus = 'VERIFIED';
        await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'VERIFIED' });
        await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
      },
    ],
  ])('a brand suspended %s ends the registration as brand-suspended', async (_, reach) => {
    await withRegistration(env, workflowBundle, async (r) => {
      const brandSid = await toBrand(r);
      await env.sleep(TIMINGS.settleDelayMs);
      await reach(r, brandSid);
      r.fake.brand!.status = 'SUSPENDED';
      await brandEvent(r, brandSid, { brandStatus: 'SUSPENDED' });
      const result = await r.handle.result();
      expect(result.outcome).toBe('brand-suspended');
      expect(result.guidance).toContain('Twilio Support');
      expect(await phaseAttribute(r)).toBe('brand-suspended');
    });
  });

  test(`a brand that fails after ${MAX_BRAND_RESUBMISSIONS} resubmissions ends as brand-resubmission-limit without asking for another correction`, async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const brandSid = await toBrand(r);
      for (let i = 1; i <= MAX_BRAND_RESUBMISSIONS; i++) {
        r.fake.brand!.status = 'FAILED';
        await brandEvent(r, brandSid, { brandStatus: 'FAILED' });
        await r.until((p) => p.phase === 'needs-correction', `needs-correction #${i}`);
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ soleProprietor: { brandName: `Jane Doe Pottery ${i}` } }],
        });
        await r.until((p) => p.brand.resubmissions === i, `resubmission #${i}`);
      }
      r.fake.brand!.status = 'FAILED';
      await brandEvent(r, brandSid, { brandStatus: 'FAILED' });
      const result = await r.handle.result();
      expect(result.outcome).toBe('brand-resubmission-limit');
      expect(result.fees.filter((f) => f.kind === 'brand-resubmission')).toHaveLength(
        MAX_BRAND_RESUBMISSIONS,
      );
      expect(r.fake.calls.resubmitBrand).toBe(MAX_BRAND_RESUBMISSIONS);
      expect(await phaseAttribute(r)).toBe('brand-resubmission-limit');
    });
  });

  test('a Twilio 21724 (update count exceeded) on resubmission ends as brand-resubmission-limit', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toBrand(r);
        r.fake.brand!.status = 'FAILED';
        await brandEvent(r, brandSid, { brandStatus: 'FAILED' });
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ soleProprietor: { brandName: 'Jane Doe Pottery' } }],
        });
        expect((await r.handle.result()).outcome).toBe('brand-resubmission-limit');
      },
      {
        configure: (fake) =>
          (fake.resubmitBrandRefusals = [{ code: 21724, message: 'Brand update count exceeded' }]),
      },
    );
  });

  test('an OTP re-send that Twilio refuses because the customer answered meanwhile re-fetches the brand and goes on', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toBrand(r);
        await env.sleep(TIMINGS.settleDelayMs);
        r.fake.brand!.status = 'APPROVED';
        await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'UNVERIFIED' });
        // The customer answers 12 hours into the OTP wait, and the callback is lost.
        r.fake.identityVerifiedAt = (await env.currentTimeMs()) + 12 * HOUR;
        await r.until((p) => p.phase === 'brand-verification', 'OTP');
        await env.sleep(24 * HOUR);
        await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
        // Within a day, though the poll would look again only after a week.
        expect(r.fake.calls.resendBrandOtp).toBe(1);
        expect((await r.progress()).brand.identityStatus).toBe('VERIFIED');
      },
      {
        // The poll would find VERIFIED only after a week: the refused re-send finds it first.
        timings: { ...TIMINGS, pollIntervalMs: 7 * DAY, pollMaxIntervalMs: 7 * DAY },
        configure: (fake) =>
          (fake.otpResendRefusals = [
            { code: 21709, message: 'Brand is not awaiting OTP verification (APPROVED/VERIFIED)' },
          ]),
      },
    );
  });

  test('a Twilio 4xx from the campaign create inside the child asks for a correction, then resubmits', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toBrand(r);
        await env.sleep(TIMINGS.settleDelayMs);
        r.fake.brand!.status = 'APPROVED';
        r.fake.brand!.identityStatus = 'VERIFIED';
        await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'VERIFIED' });
        const p = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        expect(p.issues.at(-1)).toMatchObject({ step: 'campaign' });
        expect(p.issues.at(-1)?.message).toContain('21703');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              campaign: { description: 'Order updates and pickup reminders for Jane Doe Pottery customers.' },
            },
          ],
        });
        const q = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
        expect(q.campaign.attempt).toBe(2);
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid: q.steps.messagingService.sid as string,
          campaignStatus: 'VERIFIED',
        });
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.fees.filter((f) => f.kind === 'campaign-vetting')).toHaveLength(1);
      },
      {
        configure: (fake) =>
          (fake.campaignCreateRefusals = [{ code: 21703, message: 'Invalid description' }]),
      },
    );
  });
});
