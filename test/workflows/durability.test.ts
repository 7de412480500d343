import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { MAX_BRAND_RESUBMISSIONS } from '../../src/domain/rules';
import {
  A2P_PHASE,
  brandStatusSignal,
  campaignStatusSignal,
  submitCorrectionUpdate,
  type RegistrationTimings,
} from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, historiesOfAllRuns, type Registration, TIMINGS, withRegistration } from './harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const EventType = temporal.api.enums.v1.EventType;

/** The service's defaults (config.ts): settle 30 s, poll 15 min backing off to 6 h, OTP re-send 24 h, deadline 30 days. */
const DEFAULT_TIMINGS: RegistrationTimings = {
  ...TIMINGS,
  pollIntervalMs: 15 * MINUTE,
  pollMaxIntervalMs: 6 * HOUR,
};

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

async function toBrand(r: Registration) {
  await r.until((p) => p.steps.customerProfile.status === 'waiting', 'customer profile submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  await r.until((p) => p.steps.trustBundle.status === 'waiting', 'trust bundle submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  return (await r.until((p) => p.steps.brand.sid !== undefined, 'brand created')).steps.brand.sid as string;
}

async function brandEvent(
  r: Registration,
  brandSid: string,
  fields: { brandStatus?: string; identityStatus?: string },
) {
  await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, ...fields });
}

async function toCampaignReview(r: Registration) {
  const brandSid = await toBrand(r);
  await env.sleep(TIMINGS.settleDelayMs);
  r.fake.brand!.status = 'APPROVED';
  r.fake.brand!.identityStatus = 'VERIFIED';
  await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'VERIFIED' });
  const p = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
  return {
    brandSid,
    messagingServiceSid: p.steps.messagingService.sid as string,
    campaignSid: p.steps.campaign.sid,
  };
}

/** Polls `check` (the workflow moves on its own meanwhile) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function phaseAttribute(r: Registration): Promise<unknown> {
  const { searchAttributes } = await r.handle.describe();
  return searchAttributes[A2P_PHASE.name]?.[0];
}

describe('a registration that waits for weeks', () => {
  test('60 days of brand review, 29 days for the OTP and 60 days of campaign review at the default poll interval: every run stays under 4,096 events and the registration completes after continuing as new', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toBrand(r);
        await env.sleep(60 * DAY);
        expect((await r.progress()).phase).toBe('brand');
        // Twilio approves; no callback arrives, the poll finds it.
        r.fake.brand!.status = 'APPROVED';
        await env.sleep(6 * HOUR);
        await r.until((p) => p.phase === 'brand-verification', 'OTP verification');

        await env.sleep(29 * DAY);
        expect(r.fake.otpResends).toHaveLength(29);
        r.fake.brand!.identityStatus = 'VERIFIED';
        await brandEvent(r, brandSid, { identityStatus: 'VERIFIED' });
        const review = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');

        // The verdict shows on a fetch after 60 days; no callback arrives.
        const result = await r.handle.result();
        expect(Date.parse(result.updatedAt) - Date.parse(review.waitingFor!.since)).toBeGreaterThanOrEqual(
          60 * DAY,
        );
        expect(result.outcome).toBe('completed');
        expect(result.fees.map((f) => f.kind)).toEqual(['brand-registration', 'campaign-vetting']);
        expect(r.fake.calls.ensureBrand).toBe(1);
        expect(r.fake.calls.ensureCampaign).toBe(1);

        const runs = await historiesOfAllRuns(env, r.handle);
        const lengths = runs.map((events) => events.length);
        expect(runs.length).toBeGreaterThanOrEqual(2);
        for (const length of lengths) expect(length).toBeLessThan(4_096);
        expect(
          runs
            .slice(0, -1)
            .every((e) => e.at(-1)?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW),
        ).toBe(true);
        expect(runs.at(-1)?.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        // Search attributes carry over to the new run.
        expect(await phaseAttribute(r)).toBe('completed');
      },
      {
        timings: DEFAULT_TIMINGS,
        continueAsNewAfterEvents: 150,
        configure: (fake) => (fake.campaignReviewMs = 60 * DAY),
      },
    );
  }, 300_000);

  test('at the default continue-as-new threshold, 149 days of waiting keep every run under 2,100 events', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toBrand(r);
        await env.sleep(60 * DAY);
        r.fake.brand!.status = 'APPROVED';
        await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'UNVERIFIED' });
        await r.until((p) => p.phase === 'brand-verification', 'OTP verification');
        await env.sleep(29 * DAY);
        r.fake.brand!.identityStatus = 'VERIFIED';
        await brandEvent(r, brandSid, { identityStatus: 'VERIFIED' });
        const review = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(Date.parse(result.updatedAt) - Date.parse(review.waitingFor!.since)).toBeGreaterThanOrEqual(
          60 * DAY,
        );
        expect(r.fake.calls.fetchCampaign).toBeGreaterThan(200);
        const runs = await historiesOfAllRuns(env, r.handle);
        expect(runs.length).toBeGreaterThanOrEqual(2);
        // A run hands over at 2,000 events, at a wait; the few events of that wait's last step follow.
        for (const events of runs) expect(events.length).toBeLessThan(2_100);
      },
      { timings: DEFAULT_TIMINGS, configure: (fake) => (fake.campaignReviewMs = 60 * DAY) },
    );
  }, 300_000);

  test('continues as new while waiting for a correction, and applies the correction in the new run', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const { messagingServiceSid } = await toCampaignReview(r);
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignStatus: 'FAILED',
        });
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        const runs = async () => historiesOfAllRuns(env, r.handle);
        expect(await runs()).toHaveLength(1);
        // Signals (here duplicates Twilio might send) grow the history past the threshold.
        for (let i = 0; i < 60 && ((await runs())[0]?.length ?? 0) < 200; i++) {
          await r.handle.signal(campaignStatusSignal, {
            ...envelope(),
            messagingServiceSid,
            campaignStatus: 'FAILED',
          });
        }
        await eventually(async () => (await runs()).length === 2, 'continue-as-new');
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction in the new run');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              campaign: {
                messageFlow: 'Customers opt in by texting START to the number on the receipt at checkout.',
              },
            },
          ],
        });
        await r.until(() => r.fake.calls.deleteCampaign === 1, 'deleted');
        await env.sleep(6_000);
        await r.until(
          (p) => p.campaign.attempt === 2 && p.waitingFor?.what === 'campaign review',
          'second campaign',
        );
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignStatus: 'VERIFIED',
        });
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.fees.filter((f) => f.kind === 'campaign-vetting')).toHaveLength(2);
        expect(r.fake.calls.ensureCampaign).toBe(2);
      },
      { configure: (fake) => (fake.campaignVerdicts = ['FAILED']), continueAsNewAfterEvents: 200 },
    );
  });
});

describe('no event is lost because of when it arrived', () => {
  test('a brand event that arrives before the create answer (the SID is not known yet) takes effect', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toBrand(r);
        await env.sleep(TIMINGS.settleDelayMs);
        // Twilio's own state still says PENDING/UNVERIFIED: only the early event moves it.
        await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review without a poll');
        expect(r.fake.calls.fetchBrand ?? 0).toBe(0);
      },
      {
        configure: (fake) => {
          fake.onBrandCreated = async (brandSid) => {
            const workflowId = fake.workflowId as string;
            await env.client.workflow.getHandle(workflowId).signal(brandStatusSignal, {
              ...envelope(),
              brandSid,
              brandStatus: 'APPROVED',
              identityStatus: 'VERIFIED',
            });
          };
        },
      },
    );
  });

  test('a campaign event that arrives while the submission child is still starting takes effect', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toBrand(r);
        await env.sleep(TIMINGS.settleDelayMs);
        r.fake.brand!.status = 'APPROVED';
        r.fake.brand!.identityStatus = 'VERIFIED';
        await brandEvent(r, r.fake.brand!.sid, { brandStatus: 'APPROVED', identityStatus: 'VERIFIED' });
        // The verdict would show on a fetch only after an hour; the early event completes it now.
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(r.fake.calls.fetchCampaign ?? 0).toBe(0);
      },
      {
        configure: (fake) => {
          fake.onCampaignCreated = async (campaignSid) => {
            const handle = env.client.workflow.getHandle(fake.workflowId as string);
            await handle.signal(campaignStatusSignal, {
              ...envelope(),
              messagingServiceSid: fake.services[0],
              campaignSid,
              campaignStatus: 'VERIFIED',
            });
          };
        },
      },
    );
  });

  test('a late event of a deleted campaign does not decide the next submission', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const { messagingServiceSid } = await toCampaignReview(r);
        const first = (await r.progress()).steps.campaign.sid as string;
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignSid: first,
          campaignStatus: 'FAILED',
        });
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              campaign: {
                messageFlow: 'Customers opt in by texting START to the number on the receipt at checkout.',
              },
            },
          ],
        });
        await r.until(() => r.fake.calls.deleteCampaign === 1, 'deleted');
        // Between the delete and the next submission: an event without a campaign SID decides nothing.
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignStatus: 'VERIFIED',
        });
        await env.sleep(6_000);
        const second = await r.until(
          (p) => p.campaign.attempt === 2 && p.waitingFor?.what === 'campaign review',
          'second',
        );
        // A duplicate FAILED of the first campaign, delivered late, is ignored.
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignSid: first,
          campaignStatus: 'FAILED',
        });
        const p = await r.progress();
        expect(p.phase).toBe('campaign');
        expect(p.campaign.status).not.toBe('FAILED');
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid,
          campaignSid: second.steps.campaign.sid,
          campaignStatus: 'VERIFIED',
        });
        expect((await r.handle.result()).outcome).toBe('completed');
      },
      { configure: (fake) => (fake.campaignVerdicts = ['FAILED']) },
    );
  });
});

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
        await r.until((p) => p.phase === 'brand-verification', 'OTP');
        r.fake.brand!.identityStatus = 'VERIFIED'; // the callback is lost
        await env.sleep(24 * HOUR);
        await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
        // Within a day, though the poll would look again only after a week.
        expect(r.fake.calls.resendBrandOtp).toBe(1);
        expect((await r.progress()).brand.identityStatus).toBe('VERIFIED');
      },
      {
        // The poll would find VERIFIED only after a week: the refused re-send finds it first.
        timings: { ...TIMINGS, pollIntervalMs: 7 * DAY },
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
