/**
 * Records workflow histories for the replay tests: `npx tsx test/replay/record-histories.ts`.
 * Runs registrations against the time-skipping server with the in-memory Twilio fake and writes
 * each history to test/replay/histories/<name>.json. Commit new histories before changing a
 * workflow, so the replay test proves the change is compatible with running executions (or that it
 * needs `patched()`).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { brandStatusSignal, campaignStatusSignal, submitCorrectionUpdate } from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, TIMINGS, withRegistration, type Registration } from '../workflows/harness';

const out = resolve(__dirname, 'histories');

async function main() {
  mkdirSync(out, { recursive: true });
  const [env, bundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
  try {
    const scenarios: Record<string, { run: (r: Registration) => Promise<void>; failCampaign?: boolean }> = {
      'sole-proprietor-happy-path': { run: (r) => happyPath(r, false) },
      'sole-proprietor-campaign-remediation': { run: (r) => happyPath(r, true), failCampaign: true },
    };
    for (const [name, scenario] of Object.entries(scenarios)) {
      await withRegistration(
        env,
        bundle,
        async (r) => {
          await scenario.run(r);
          await r.handle.result();
          const history = await r.handle.fetchHistory();
          writeFileSync(resolve(out, `${name}.json`), historyToJSON(history));
          console.log(`recorded ${name}: ${history.events?.length ?? 0} events`);
        },
        { configure: (fake) => (fake.campaignVerdicts = scenario.failCampaign ? ['FAILED'] : []) },
      );
    }
  } finally {
    await env.teardown();
  }

  async function happyPath(r: Registration, failCampaignFirst: boolean) {
    await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
    await env.sleep(TIMINGS.settleDelayMs);
    await r.until((p) => p.steps.trustBundle.status === 'waiting', 'bundle submitted');
    await env.sleep(TIMINGS.settleDelayMs);
    const brandSid = (await r.until((p) => p.steps.brand.sid !== undefined, 'brand')).steps.brand
      .sid as string;
    r.fake.brand!.status = 'APPROVED';
    r.fake.brand!.identityStatus = 'VERIFIED';
    await r.handle.signal(brandStatusSignal, {
      ...envelope(),
      brandSid,
      brandStatus: 'APPROVED',
      identityStatus: 'VERIFIED',
    });
    await env.sleep(TIMINGS.settleDelayMs);
    const p = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign');
    const messagingServiceSid = p.steps.messagingService.sid as string;
    if (failCampaignFirst) {
      await r.handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid,
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
      await r.until(
        (p) => p.campaign.attempt === 2 && p.waitingFor?.what === 'campaign review',
        'second campaign',
      );
    }
    await r.handle.signal(campaignStatusSignal, {
      ...envelope(),
      messagingServiceSid,
      campaignStatus: 'VERIFIED',
    });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
