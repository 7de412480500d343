import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import {
  externalCampaignWorkflowId,
  type ExternalCampaignProgress,
  type RegistrationProgress,
} from '../../src/shared';
import { createTwilioClient } from '../../src/twilio/client';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { externalCampaignMinimum, FeeAudit, soleProprietorMinimum } from '../helpers/fee-audit';

describe('external TCR campaigns and deregistration, end to end', () => {
  let stack: E2EStack;
  let fees: FeeAudit;

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-external');
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(() => stack?.stop());

  async function untilExternal(
    campaignId: string,
    pred: (p: ExternalCampaignProgress) => boolean,
    what: string,
  ) {
    const handle = stack.client.workflow.getHandle(externalCampaignWorkflowId(campaignId));
    for (let i = 0; i < 600; i++) {
      const p = await handle
        .query<ExternalCampaignProgress>('externalCampaignProgress')
        .catch(() => undefined);
      if (p && pred(p)) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Timed out waiting for ${what}`);
  }

  test('a shared campaign is associated after TCR accepts it and completes when VERIFIED', async () => {
    const campaignId = `C${Date.now().toString(36).toUpperCase().slice(-6)}`;
    await stack.registrar.startExternalCampaign({
      campaignId,
      phoneNumberSids: ['PN00000000000000000000000000000002'],
    });
    const waiting = await untilExternal(campaignId, (p) => p.phase === 'awaiting-share', 'awaiting share');
    expect(waiting.messagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);

    // TCR's CAMPAIGN_SHARE_ACCEPT reaches the workflow through the authenticated TCR webhook.
    await stack.sandbox.control.shareExternalCampaign(campaignId, true);
    const result = (await stack.client.workflow
      .getHandle(externalCampaignWorkflowId(campaignId))
      .result()) as ExternalCampaignProgress;
    expect(result.outcome).toBe('completed');
    expect(result.associations).toBe(1);
    await fees.expectMinimum(externalCampaignMinimum());

    // Deregistering removes the association and the numbers, keeps the service, names what remains.
    const undone = await stack.registrar.deregister({ campaignId });
    expect(undone.removed.join(' ')).toContain('campaign');
    expect(undone.remaining.join(' ')).toContain(`TCR campaign ${campaignId}`);
    const twilio = createTwilioClient(stack.config.twilio);
    expect(
      await twilio.messaging.v1.services(result.messagingServiceSid as string).phoneNumbers.list(),
    ).toHaveLength(0);
  }, 120_000);

  test('a verified sole-proprietor registration is deregistered in order: campaign, number, then the service', async () => {
    const customerId = `e2e-dereg-${Date.now()}`;
    await stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000001',
    });
    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 90_000);
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    const done: RegistrationProgress = await stack.until(
      customerId,
      (p) => p.outcome === 'completed',
      'completed',
      90_000,
    );

    const undone = await stack.registrar.deregister({ customerId }, { deleteMessagingService: true });
    expect(undone.removed).toEqual([
      `campaign on ${done.steps.messagingService.sid}`,
      `phone number PN00000000000000000000000000000001`,
      `messaging service ${done.steps.messagingService.sid}`,
    ]);
    expect(undone.remaining.join(' ')).toContain(`brand ${done.steps.brand.sid}`);
    const twilio = createTwilioClient(stack.config.twilio);
    await expect(
      twilio.messaging.v1.services(done.steps.messagingService.sid as string).fetch(),
    ).rejects.toMatchObject({ status: 404 });
    await fees.expectMinimum(soleProprietorMinimum());
  }, 150_000);
});
