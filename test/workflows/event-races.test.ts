import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { brandStatusSignal, campaignStatusSignal, submitCorrectionUpdate } from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, TIMINGS, withRegistration } from './harness';
import { registrationSteps } from './steps';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

const { toBrand, brandEvent, toCampaignReview } = registrationSteps(() => env);

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
