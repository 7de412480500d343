/**
 * Records workflow histories for the replay tests: `npx tsx test/replay/record-histories.ts`.
 * Runs every path of the workflows against the time-skipping server with the in-memory Twilio
 * fake and writes each history to test/replay/histories/<name>.json (a path that continued as new
 * writes one file per run). Record the histories of a path before changing its workflow code, so
 * the replay test proves the change is compatible with running executions (or that it needs
 * `patched()`; see docs/operations.md).
 *
 * `npx tsx test/replay/record-histories.ts standard-` records only the scenarios whose name starts
 * with the argument, so a new path's histories join the old ones without re-recording them.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  brandStatusSignal,
  campaignChildWorkflowId,
  campaignShareSignal,
  campaignStatusSignal,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  externalCampaignProgressQuery,
  externalCampaignWorkflowId,
  resendOtpSignal,
  submitCorrectionUpdate,
} from '../../src/shared';
import {
  SAMPLE_STANDARD_REQUEST,
  type StandardRegistrationRequest,
} from '../../src/domain/standard-registration';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { FakeTwilio } from '../workflows/fake-twilio';
import { twoCampaigns } from '../workflows/standard-fixtures';
import {
  envelope,
  historiesOfAllRuns,
  type Registration,
  TIMINGS,
  withRegistration,
} from '../workflows/harness';

const out = resolve(__dirname, 'histories');
const DAY = 24 * 60 * 60_000;

function write(name: string, history: temporal.api.history.v1.IHistory) {
  writeFileSync(resolve(out, `${name}.json`), historyToJSON(history));
  console.log(`recorded ${name}: ${history.events?.length ?? 0} events`);
}

async function main() {
  mkdirSync(out, { recursive: true });
  const [env, bundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
  const steps = registrationSteps(env);
  try {
    const scenarios: Record<
      string,
      {
        run: (r: Registration) => Promise<void>;
        configure?: (fake: FakeTwilio) => void;
        continueAsNewAfterEvents?: number;
        standardRequest?: StandardRegistrationRequest;
      }
    > = {
      'sole-proprietor-happy-path': { run: steps.happyPath },
      'sole-proprietor-otp-resend': { run: steps.otpResend },
      'sole-proprietor-otp-expired': { run: steps.otpExpired },
      'sole-proprietor-brand-correction': { run: steps.brandCorrection },
      'sole-proprietor-campaign-remediation': {
        run: steps.campaignRemediation,
        configure: (fake) => (fake.campaignVerdicts = ['FAILED']),
      },
      'sole-proprietor-cancelled': { run: steps.cancelled },
      'sole-proprietor-continue-as-new': { run: steps.otpWait, continueAsNewAfterEvents: 60 },
      'standard-happy-path': { run: steps.standard, standardRequest: SAMPLE_STANDARD_REQUEST },
      'standard-public-company-subaccount': {
        run: steps.standardPublic,
        standardRequest: {
          ...SAMPLE_STANDARD_REQUEST,
          subaccount: true,
          messagingProfile: {
            companyType: 'public',
            stockExchange: 'NASDAQ',
            stockTicker: 'ACME',
            brandContactEmail: 'ir@acme.example.com',
          },
        },
      },
      // Both campaigns in review for ten days: the run continues as new whenever both wait at once.
      'standard-continue-as-new': {
        run: steps.standardWeeksOfReview,
        standardRequest: twoCampaigns(),
        continueAsNewAfterEvents: 250,
        configure: (fake) => (fake.campaignReviewMs = 60 * DAY),
      },
      'standard-campaign-remediation': {
        run: steps.standardRemediation,
        standardRequest: SAMPLE_STANDARD_REQUEST,
      },
    };
    const only = process.argv[2];
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (only && !name.startsWith(only)) continue;
      await withRegistration(
        env,
        bundle,
        async (r) => {
          await scenario.run(r);
          await r.handle.result().catch(() => undefined);
          const runs = await historiesOfAllRuns(env, r.handle);
          runs.forEach((events, i) => write(runs.length > 1 ? `${name}-run-${i + 1}` : name, { events }));
          if (name === 'sole-proprietor-happy-path') {
            const customerId = (await r.progress()).customerId;
            const child = env.client.workflow.getHandle(campaignChildWorkflowId(customerId, 1));
            write('campaign-submission', await child.fetchHistory());
          }
        },
        {
          configure: scenario.configure,
          continueAsNewAfterEvents: scenario.continueAsNewAfterEvents,
          standardRequest: scenario.standardRequest,
        },
      );
    }
    if (only) return;
    write('external-campaign', await externalCampaign(env, bundle));
    write('deregistration', await deregistration(env, bundle));
  } finally {
    await env.teardown();
  }
}

function registrationSteps(env: TestWorkflowEnvironment) {
  async function toBrand(r: Registration) {
    await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
    await env.sleep(TIMINGS.settleDelayMs);
    await r.until((p) => p.steps.trustBundle.status === 'waiting', 'bundle submitted');
    await env.sleep(TIMINGS.settleDelayMs);
    const brandSid = (await r.until((p) => p.steps.brand.sid !== undefined, 'brand')).steps.brand
      .sid as string;
    await env.sleep(TIMINGS.settleDelayMs);
    return brandSid;
  }
  async function approve(r: Registration, brandSid: string, identityStatus: 'VERIFIED' | 'UNVERIFIED') {
    r.fake.brand!.status = 'APPROVED';
    r.fake.brand!.identityStatus = identityStatus;
    await r.handle.signal(brandStatusSignal, {
      ...envelope(),
      brandSid,
      brandStatus: 'APPROVED',
      identityStatus,
    });
  }
  async function verifyCampaign(r: Registration) {
    const p = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign');
    await r.handle.signal(campaignStatusSignal, {
      ...envelope(),
      messagingServiceSid: p.steps.messagingService.sid as string,
      campaignStatus: 'VERIFIED',
    });
  }
  /** Every Standard campaign in review passes it. */
  async function verifyStandardCampaigns(r: Registration) {
    const p = await r.until(
      (p) =>
        p.waitingFor?.what === 'campaign review' &&
        p.standard?.campaigns.every((c) => c.sid !== undefined) === true,
      'campaigns',
    );
    for (const c of p.standard!.campaigns)
      await r.handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid: c.messagingServiceSid as string,
        campaignStatus: 'VERIFIED',
      });
  }
  return {
    async happyPath(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      await verifyCampaign(r);
    },
    async otpResend(r: Registration) {
      const brandSid = await toBrand(r);
      await approve(r, brandSid, 'UNVERIFIED');
      await r.until((p) => p.phase === 'brand-verification', 'OTP');
      await env.sleep(3 * DAY);
      await r.handle.signal(resendOtpSignal);
      await r.until(() => r.fake.otpResends.length >= 3, 'three re-sends');
      r.fake.brand!.identityStatus = 'VERIFIED';
      await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
      await verifyCampaign(r);
    },
    async otpWait(r: Registration) {
      const brandSid = await toBrand(r);
      await approve(r, brandSid, 'UNVERIFIED');
      await r.until((p) => p.phase === 'brand-verification', 'OTP');
      await env.sleep(3 * DAY);
      r.fake.brand!.identityStatus = 'VERIFIED';
      await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
      await verifyCampaign(r);
    },
    async otpExpired(r: Registration) {
      await approve(r, await toBrand(r), 'UNVERIFIED');
      await r.until((p) => p.phase === 'brand-verification', 'OTP');
    },
    async brandCorrection(r: Registration) {
      const brandSid = await toBrand(r);
      r.fake.brand!.status = 'FAILED';
      await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, brandStatus: 'FAILED' });
      await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
      await r.handle.executeUpdate(submitCorrectionUpdate, {
        args: [{ soleProprietor: { mobilePhoneNumber: '+14155550188' } }],
      });
      await r.until((p) => p.brand.resubmissions === 1, 'resubmitted');
      await env.sleep(TIMINGS.settleDelayMs);
      await approve(r, brandSid, 'VERIFIED');
      await verifyCampaign(r);
    },
    async campaignRemediation(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      const p = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign');
      await r.handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid: p.steps.messagingService.sid as string,
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
      await env.sleep(6_000);
      await r.until(
        (p) => p.campaign.attempt === 2 && p.waitingFor?.what === 'campaign review',
        'second campaign',
      );
      await verifyCampaign(r);
    },
    async standard(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      await verifyStandardCampaigns(r);
    },
    async standardWeeksOfReview(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      for (let day = 0; day < 10; day++) await env.sleep(DAY);
      await verifyStandardCampaigns(r);
    },
    async standardPublic(r: Registration) {
      const brandSid = await toBrand(r);
      await approve(r, brandSid, 'UNVERIFIED');
      await r.until((p) => p.phase === 'brand-verification', 'Authentication+');
      await env.sleep(2 * DAY);
      r.fake.brand!.identityStatus = 'VERIFIED';
      await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
      await verifyStandardCampaigns(r);
    },
    async standardRemediation(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      const p = await r.until(
        (p) => p.waitingFor?.what === 'campaign review' && p.standard?.campaigns[0].sid !== undefined,
        'campaign',
      );
      await r.handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid: p.standard!.campaigns[0].messagingServiceSid as string,
        campaignStatus: 'FAILED',
      });
      await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
      await r.handle.executeUpdate(submitCorrectionUpdate, {
        args: [
          {
            campaigns: {
              '0': {
                messageFlow:
                  'Customers opt in by ticking an unchecked SMS box when booking at acmeplumbing.example.com/book; terms at acmeplumbing.example.com/terms, privacy at acmeplumbing.example.com/privacy.',
              },
            },
          },
        ],
      });
      await env.sleep(6_000);
      await r.until((p) => p.standard?.campaigns[0].attempt === 2, 'second campaign');
      await verifyStandardCampaigns(r);
    },
    async cancelled(r: Registration) {
      await approve(r, await toBrand(r), 'VERIFIED');
      await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign');
      await r.handle.cancel();
    },
  };
}

async function externalCampaign(env: TestWorkflowEnvironment, workflowBundle: WorkflowBundleWithSourceMap) {
  const fake = new FakeTwilio(() => Context.current().info.currentAttemptScheduledTimestampMs);
  const activities = fake.activities();
  const taskQueue = 'record-external';
  const campaignId = 'CRECORD';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
  });
  const rateLimited = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
    activities,
  });
  let history: temporal.api.history.v1.IHistory = {};
  await rateLimited.runUntil(
    worker.runUntil(async () => {
      const handle = await env.client.workflow.start('externalCampaignRegistration', {
        taskQueue,
        workflowId: externalCampaignWorkflowId(`${campaignId}-${Date.now()}`),
        args: [
          {
            request: { campaignId, phoneNumberSids: ['PN00000000000000000000000000000001'] },
            timings: TIMINGS,
          },
        ],
      });
      const until = async (phase: string) => {
        for (let i = 0; i < 400; i++) {
          const p = await handle.query(externalCampaignProgressQuery);
          if (p.phase === phase) return p;
          await new Promise((res) => setTimeout(res, 25));
        }
        throw new Error(`external campaign never reached ${phase}`);
      };
      await until('awaiting-share');
      await handle.signal(campaignShareSignal, { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' });
      const p = await until('awaiting-verification');
      await handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid: p.messagingServiceSid as string,
        campaignStatus: 'VERIFIED',
      });
      await handle.result();
      history = await handle.fetchHistory();
    }),
  );
  return history;
}

async function deregistration(env: TestWorkflowEnvironment, workflowBundle: WorkflowBundleWithSourceMap) {
  const fake = new FakeTwilio(() => Date.now());
  const taskQueue = 'record-deregistration';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: fake.activities(),
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start('deregistration', {
      taskQueue,
      workflowId: `a2p-registration-record-${Date.now()}-deregistration`,
      args: [
        {
          registrationWorkflowId: 'a2p-registration-record',
          messagingServiceSid: 'MG00000000000000000000000000000001',
          phoneNumberSids: ['PN00000000000000000000000000000001'],
          deleteMessagingService: false,
          remainsAtTwilio: ['brand BN00000000000000000000000000000001'],
        },
      ],
    });
    await handle.result();
    return handle.fetchHistory();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
