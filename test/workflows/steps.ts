import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { A2P_PHASE, brandStatusSignal } from '../../src/shared';
import { envelope, type Registration, TIMINGS } from './harness';

/** Polls `check` (the workflow moves on its own meanwhile) until it holds. */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The steps most registration tests walk through, on the test file's time-skipping server. */
export function registrationSteps(environment: () => TestWorkflowEnvironment) {
  async function toBrand(r: Registration) {
    const env = environment();
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
    await environment().sleep(TIMINGS.settleDelayMs);
    r.fake.brand!.status = 'APPROVED';
    r.fake.brand!.identityStatus = 'VERIFIED';
    await brandEvent(r, brandSid, { brandStatus: 'APPROVED', identityStatus: 'VERIFIED' });
    const p = await r.until((p) => p.waitingFor?.what === 'campaign review', 'campaign review');
    return { brandSid, messagingServiceSid: p.steps.messagingService.sid as string };
  }

  async function phaseAttribute(r: Registration): Promise<unknown> {
    const { searchAttributes } = await r.handle.describe();
    return searchAttributes[A2P_PHASE.name]?.[0];
  }

  return { toBrand, brandEvent, toCampaignReview, phaseAttribute };
}
