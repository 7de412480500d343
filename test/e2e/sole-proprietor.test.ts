import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import { BrandUsageError, CampaignWarningsError, ValidationError } from '../../src/client';
import { registrationWorkflowId, type RegistrationProgress } from '../../src/shared';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { FeeAudit, soleProprietorMinimum } from '../helpers/fee-audit';

/**
 * A Sole Proprietor registration end to end, as a user runs it: the real dev server, the sandbox
 * through the real twilio package, the webhook server, the worker. Polling is set to an hour, so
 * every review that completes within the test reached the workflow as a signed callback.
 */
describe('Sole Proprietor registration, end to end', () => {
  let stack: E2EStack;
  let fees: FeeAudit;

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-sole-proprietor');
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(() => stack?.stop());

  /** Plays the customer: answers the OTP once Twilio has sent it (brand APPROVED). */
  async function answerOtpWhenSent(customerId: string): Promise<RegistrationProgress> {
    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent');
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    return p;
  }

  test('registers a sole proprietor to a verified campaign with the number attached, paying each fee once', async () => {
    const customerId = `e2e-happy-${Date.now()}`;
    const started = await stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000001',
    });
    expect(started).toMatchObject({ workflowId: registrationWorkflowId(customerId), alreadyStarted: false });

    // Starting again while it runs returns the same registration instead of a second one.
    const again = await stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000001',
    });
    expect(again).toMatchObject({ alreadyStarted: true, runId: started.runId });

    await answerOtpWhenSent(customerId);
    const result = (await stack.client.workflow
      .getHandle(started.workflowId)
      .result()) as RegistrationProgress;
    expect(result.outcome).toBe('completed');
    expect(result.steps.campaign.twilioStatus).toBe('VERIFIED');
    expect(result.brand.identityStatus).toBe('VERIFIED');

    // The workflow reports the fees it paid; the sandbox's whole ledger proves it paid no more.
    expect(result.fees.map((f) => f.kind)).toEqual(['brand-registration', 'campaign-vetting']);

    // The number sits in the registration's Messaging Service.
    const twilio = (await import('../../src/twilio/client')).createTwilioClient(stack.config.twilio);
    const numbers = await twilio.messaging.v1
      .services(result.steps.messagingService.sid as string)
      .phoneNumbers.list();
    expect(numbers.map((n) => n.sid)).toEqual(['PN00000000000000000000000000000001']);
    await fees.expectMinimum(soleProprietorMinimum());
  }, 120_000);

  test('an invalid request is refused with every bad field named, before any workflow or Twilio call', async () => {
    const before = await stack.sandbox.control.requests();
    const customerId = `e2e-invalid-${Date.now()}`;
    const attempt = stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      soleProprietor: {
        ...SAMPLE_REGISTRATION_REQUEST.soleProprietor,
        email: 'jane.doe',
        mobilePhoneNumber: '+4420',
      },
      campaign: { ...SAMPLE_REGISTRATION_REQUEST.campaign, messageSamples: ['too short'] },
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const message = await attempt.catch((err: Error) => err.message);
    expect(message).toContain('soleProprietor.email');
    expect(message).toContain('soleProprietor.mobilePhoneNumber');
    expect(message).toContain('campaign.messageSamples');
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before.entries.length);
    await expect(
      stack.client.workflow.getHandle(registrationWorkflowId(customerId)).describe(),
    ).rejects.toThrow();
    await fees.expectMinimum();
  });

  test('a campaign the pre-vetting blocks is refused with the field named, before any workflow or Twilio call', async () => {
    const before = await stack.sandbox.control.requests();
    const customerId = `e2e-blocked-${Date.now()}`;
    const attempt = stack.registrar.startRegistration(
      {
        ...SAMPLE_REGISTRATION_REQUEST,
        customerId,
        campaign: {
          ...SAMPLE_REGISTRATION_REQUEST.campaign,
          messageSamples: [
            'Jane Doe Pottery: your order [order id] is ready for pickup.',
            'Jane Doe Pottery: your class starts at [time] tomorrow.',
          ],
        },
      },
      { acceptWarnings: true },
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(await attempt.catch((err: Error) => err.message)).toContain(
      'campaign.messageSamples: no sample message says how to opt out (Twilio would reject it with 30893)',
    );
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before.entries.length);
    await expect(
      stack.client.workflow.getHandle(registrationWorkflowId(customerId)).describe(),
    ).rejects.toThrow();
    await fees.expectMinimum();
  });

  test('a campaign with warnings only waits for them to be accepted, then registers to the end', async () => {
    const customerId = `e2e-warned-${Date.now()}`;
    const request = {
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000002',
      campaign: {
        ...SAMPLE_REGISTRATION_REQUEST.campaign,
        messageFlow:
          'Customers opt in by ticking an unchecked SMS consent box at checkout on janedoepottery.example.com/checkout; terms at janedoepottery.example.com/terms.',
      },
    };
    const before = await stack.sandbox.control.requests();
    await expect(stack.registrar.startRegistration(request)).rejects.toBeInstanceOf(CampaignWarningsError);
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before.entries.length);

    const started = await stack.registrar.startRegistration(request, { acceptWarnings: true });
    expect(started.campaignWarnings.map((w) => [w.rule, w.code])).toEqual([
      ['website-opt-in-privacy-policy', 30896],
    ]);
    await answerOtpWhenSent(customerId);
    const result = (await stack.client.workflow
      .getHandle(started.workflowId)
      .result()) as RegistrationProgress;
    expect(result.outcome).toBe('completed');
    expect(result.steps.campaign.twilioStatus).toBe('VERIFIED');
    await fees.expectMinimum(soleProprietorMinimum());
  }, 120_000);

  test('a registration terminated after its brand was paid for is started again and finishes with what the first run made', async () => {
    const customerId = `e2e-restart-${Date.now()}`;
    const request = {
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId,
      phoneNumberSid: 'PN00000000000000000000000000000003',
      soleProprietor: {
        ...SAMPLE_REGISTRATION_REQUEST.soleProprietor,
        mobilePhoneNumber: '+14155550177',
        email: `restart.${Date.now()}@example.com`,
      },
      address: { ...SAMPLE_REGISTRATION_REQUEST.address, street: '7 Restart Ave' },
    };
    const first = await stack.registrar.startRegistration(request);
    const paid = await stack.until(customerId, (p) => p.steps.brand.sid !== undefined, 'brand created');
    await stack.client.workflow.getHandle(first.workflowId).terminate('operator stopped it');

    const second = await stack.registrar.startRegistration(request);
    expect(second).toMatchObject({ alreadyStarted: false });
    expect(second.runId).not.toBe(first.runId);
    const p = await answerOtpWhenSent(customerId);
    expect(p.steps.brand.sid).toBe(paid.steps.brand.sid);
    const result = (await stack.client.workflow
      .getHandle(second.workflowId)
      .result()) as RegistrationProgress;
    expect(result.outcome).toBe('completed');
    await fees.expectMinimum(soleProprietorMinimum());
  }, 120_000);

  test("a mobile number's fourth brand is refused before any Twilio call, naming the registrations that used it", async () => {
    // The happy path and the warned campaign used the sample's mobile number; this is its third use.
    const third = `e2e-third-${Date.now()}`;
    await stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId: third,
      phoneNumberSid: 'PN00000000000000000000000000000004',
    });
    await answerOtpWhenSent(third);
    const done = await stack.until(third, (p) => p.outcome !== undefined, 'the third registration', 90_000);
    expect(done.outcome).toBe('completed');
    await fees.expectMinimum(soleProprietorMinimum());

    const before = await stack.sandbox.control.requests();
    const fourth = `e2e-fourth-${Date.now()}`;
    const attempt = stack.registrar.startRegistration({
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId: fourth,
      phoneNumberSid: 'PN00000000000000000000000000000005',
    });
    await expect(attempt).rejects.toBeInstanceOf(BrandUsageError);
    const message = await attempt.catch((err: Error) => err.message);
    expect(message).toContain('the mobile number has been used for 3 brands already (TCR allows 3)');
    expect(message).toContain(third);
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before.entries.length);
    await expect(
      stack.client.workflow.getHandle(registrationWorkflowId(fourth)).describe(),
    ).rejects.toThrow();
    await fees.expectMinimum();
  }, 150_000);
});
