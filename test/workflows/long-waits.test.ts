import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { campaignStatusSignal, submitCorrectionUpdate, type RegistrationTimings } from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, historiesOfAllRuns, TIMINGS, withRegistration } from './harness';
import { eventually, registrationSteps } from './steps';

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
  workflowBundle = await bundleWorkflows();
}, 120_000);

// A test server of its own for each test: months of skipped time each, and a clock one test left
// held (see the watchdog's report in harness.ts) must not stall the next.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
}, 60_000);

afterEach(async () => {
  await env?.teardown();
});

const { toBrand, brandEvent, toCampaignReview, phaseAttribute } = registrationSteps(() => env);

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
        // Months of polls take half a minute unloaded; the test's own timeout is 300 s.
        deadlineMs: 280_000,
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
      {
        timings: DEFAULT_TIMINGS,
        configure: (fake) => (fake.campaignReviewMs = 60 * DAY),
        deadlineMs: 280_000,
      },
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
        const runs = async () => (await historiesOfAllRuns(env, r.handle)).length;
        // Usually one run so far; on a loaded machine, retried workflow tasks may have filled one.
        const before = await runs();
        // Signals (here duplicates Twilio might send) grow the history past the threshold; the
        // run hands over in the workflow task that first sees it (each signal returns once its
        // task is done, so the loop sends no more than needed).
        for (let i = 0; i < 80 && (await runs()) === before; i++) {
          await r.handle.signal(campaignStatusSignal, {
            ...envelope(),
            messagingServiceSid,
            campaignStatus: 'FAILED',
          });
        }
        await eventually(async () => (await runs()) === before + 1, 'continue-as-new');
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
