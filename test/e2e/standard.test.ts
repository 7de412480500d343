import { SAMPLE_STANDARD_REQUEST, type StandardRegistrationRequest } from '../../src/domain';
import { ValidationError } from '../../src/client';
import type { RegistrationProgress } from '../../src/shared';
import { createTwilioClient } from '../../src/twilio/client';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { FeeAudit, standardMinimum } from '../helpers/fee-audit';

/**
 * Standard, Low-Volume Standard and public-company registrations end to end: the dev server, the
 * sandbox through the real twilio package (its Standard policies, secondary vetting, use cases by
 * brand, Authentication+), the webhook server and the worker. Polling is an hour, so every
 * review that ends within a test reached the workflow as a signed Event Streams event.
 */
describe('Standard registration, end to end', () => {
  let stack: E2EStack;
  let fees: FeeAudit;

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-standard', { phoneNumbers: 8 });
    fees = new FeeAudit(stack.sandbox);
    owned = (await stack.sandbox.control.info()).numbers.map((n) => n.sid);
  }, 60_000);
  afterAll(() => stack?.stop());

  /** The account's n-th number (from 1); each test sends from numbers of its own. */
  let owned: string[] = [];
  const number = (n: number) => owned[n - 1];

  function request(customerId: string, change: (r: StandardRegistrationRequest) => void = () => undefined) {
    const r = structuredClone(SAMPLE_STANDARD_REQUEST);
    r.customerId = customerId;
    change(r);
    return r;
  }

  async function result(workflowId: string): Promise<RegistrationProgress> {
    return (await stack.client.workflow.getHandle(workflowId).result()) as RegistrationProgress;
  }

  test('registers a Standard LLC: vetted brand, two campaigns on two services, each fee once', async () => {
    const customerId = `e2e-standard-${Date.now()}`;
    const started = await stack.registrar.startRegistration(
      request(customerId, (r) => {
        const [care] = r.campaigns;
        r.campaigns = [
          { ...care, phoneNumberSids: [number(1)] },
          {
            ...care,
            usecase: 'ACCOUNT_NOTIFICATION',
            description:
              'Account notices from Acme Plumbing: invoices due and service plan renewals, for customers who booked a visit.',
            messageSamples: [
              'Acme Plumbing: your invoice [number] for [amount] is due on [date]. Reply STOP to opt out.',
              'Acme Plumbing: your service plan renews on [date]. Reply HELP for help.',
            ],
            phoneNumberSids: [number(2)],
          },
        ];
      }),
    );
    expect(started.alreadyStarted).toBe(false);
    const done = await result(started.workflowId);
    expect(done.outcome).toBe('completed');
    expect(done.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'VETTED_VERIFIED' });
    expect(done.standard!.vetting?.score).toEqual(expect.any(Number));
    const campaigns = done.standard!.campaigns;
    expect(campaigns.map((c) => c.status)).toEqual(['VERIFIED', 'VERIFIED']);
    expect(new Set(campaigns.map((c) => c.messagingServiceSid)).size).toBe(2);
    expect(done.fees.map((f) => f.kind).sort()).toEqual([
      'brand-registration',
      'campaign-vetting',
      'campaign-vetting',
      'secondary-vetting',
    ]);
    // Each number sits in its own campaign's service, as Twilio shows it.
    const twilio = createTwilioClient(stack.config.twilio);
    for (const [i, c] of campaigns.entries()) {
      const numbers = await twilio.messaging.v1.services(c.messagingServiceSid as string).phoneNumbers.list();
      expect(numbers.map((n) => n.sid)).toEqual([number(i + 1)]);
    }
    // The brand Twilio holds is a STANDARD brand with secondary vetting.
    const brand = await twilio.messaging.v1.brandRegistrations(done.steps.brand.sid as string).fetch();
    expect([brand.brandType, brand.skipAutomaticSecVet]).toEqual(['STANDARD', false]);
    await fees.expectMinimum(standardMinimum({ campaigns: 2 }));
  }, 120_000);

  test('registers a Low-Volume Standard brand without the secondary-vetting fee', async () => {
    const customerId = `e2e-lvs-${Date.now()}`;
    const started = await stack.registrar.startRegistration(
      request(customerId, (r) => {
        r.brandType = 'LOW_VOLUME_STANDARD';
        r.campaigns[0].phoneNumberSids = [number(3)];
      }),
    );
    const done = await result(started.workflowId);
    expect(done.outcome).toBe('completed');
    expect(done.fees.map((f) => f.kind).sort()).toEqual(['brand-registration', 'campaign-vetting']);
    const twilio = createTwilioClient(stack.config.twilio);
    const brand = await twilio.messaging.v1.brandRegistrations(done.steps.brand.sid as string).fetch();
    expect([brand.brandType, brand.skipAutomaticSecVet]).toEqual(['STANDARD', true]);
    await fees.expectMinimum(standardMinimum({ campaigns: 1, lowVolume: true }));
  }, 120_000);

  test("registers a public company once its brand contact answers TCR's Authentication+ email", async () => {
    const customerId = `e2e-public-${Date.now()}`;
    const started = await stack.registrar.startRegistration(
      request(customerId, (r) => {
        r.business.type = 'Corporation';
        r.messagingProfile = {
          companyType: 'public',
          stockExchange: 'NASDAQ',
          stockTicker: 'ACME',
          // The sandbox's brand contact answers the Authentication+ email itself (docs/sandbox.md).
          brandContactEmail: '2fa-auto@acme.example.com',
        };
        r.campaigns[0].phoneNumberSids = [number(4)];
      }),
    );
    const done = await result(started.workflowId);
    expect(done.outcome).toBe('completed');
    expect(done.standard!.authentication?.verifiedAt).toBeDefined();
    expect(done.fees.map((f) => f.kind).sort()).toEqual([
      'authentication-plus',
      'brand-registration',
      'campaign-vetting',
      'secondary-vetting',
    ]);
    await fees.expectMinimum(standardMinimum({ campaigns: 1, publicCompany: true }));
  }, 120_000);

  test("registers a customer in its own subaccount, moved by its sink's signed events", async () => {
    const customerId = `e2e-subaccount-${Date.now()}`;
    const started = await stack.registrar.startRegistration(
      request(customerId, (r) => {
        r.subaccount = true;
        r.campaigns[0].phoneNumberSids = [number(5)];
      }),
    );
    const done = await result(started.workflowId);
    expect(done.outcome).toBe('completed');
    const subaccountSid = done.standard!.subaccountSid as string;
    expect(subaccountSid).toMatch(/^AC/);
    expect(subaccountSid).not.toBe(stack.sandbox.accountSid);
    // The brand, service and number are the subaccount's: the main account does not see them.
    const main = createTwilioClient(stack.config.twilio);
    const account = await main.api.v2010.accounts(subaccountSid).fetch();
    const sub = createTwilioClient({
      ...stack.config.twilio,
      accountSid: subaccountSid,
      authToken: account.authToken,
    });
    const brandSid = done.steps.brand.sid as string;
    expect((await sub.messaging.v1.brandRegistrations(brandSid).fetch()).sid).toBe(brandSid);
    await expect(main.messaging.v1.brandRegistrations(brandSid).fetch()).rejects.toMatchObject({
      status: 404,
    });
    const service = done.standard!.campaigns[0].messagingServiceSid as string;
    expect((await sub.messaging.v1.services(service).phoneNumbers.list()).map((n) => n.sid)).toEqual([
      number(5),
    ]);
    // Its Event Streams sink is what told the registration of each review: polling is an hour.
    const sinks = await sub.events.v1.sinks.list();
    expect(sinks.map((k) => k.sid)).toEqual([done.standard!.eventStream!.sinkSid]);
    await fees.expectMinimum(standardMinimum({ campaigns: 1, subaccount: true }));
  }, 120_000);

  test('a brand whose secondary vetting fails may only use LOW_VOLUME: the campaign is corrected before any fee', async () => {
    const customerId = `e2e-vetting-fail-${Date.now()}`;
    const started = await stack.registrar.startRegistration(
      request(customerId, (r) => {
        // The sandbox's secondary vetting fails for this name (docs/sandbox.md).
        r.business.name = 'Acme Vetting Fail Plumbing LLC';
        r.campaigns[0].messageSamples = r.campaigns[0].messageSamples.map((m) =>
          m.replace('Acme Plumbing', 'Acme Vetting Fail Plumbing'),
        );
        r.campaigns[0].phoneNumberSids = [number(6)];
      }),
      { acceptWarnings: true },
    );
    const stuck = await stack.until(customerId, (p) => p.phase === 'needs-correction', 'use case refused');
    expect(stuck.standard!.vetting).toMatchObject({ score: 16, feedback: ['TAX_ID'] });
    expect(stuck.issues.at(-1)?.message).toMatch(/may not register CUSTOMER_CARE; it may use LOW_VOLUME/);
    expect(stuck.fees.map((f) => f.kind)).not.toContain('campaign-vetting');
    await stack.registrar.submitCorrection(
      customerId,
      { campaigns: { '0': { usecase: 'LOW_VOLUME' } } },
      { acceptFee: true, acceptWarnings: true },
    );
    const done = await result(started.workflowId);
    expect(done.outcome).toBe('completed');
    expect(done.standard!.campaigns[0]).toMatchObject({ usecase: 'LOW_VOLUME', status: 'VERIFIED' });
    await fees.expectMinimum(standardMinimum({ campaigns: 1 }));
  }, 120_000);

  test('an invalid Standard request is refused with every bad field named, before any Twilio call', async () => {
    const before = (await stack.sandbox.control.requests()).entries.length;
    const attempt = stack.registrar.startRegistration(
      request(`e2e-standard-invalid-${Date.now()}`, (r) => {
        r.business.registrationNumber = '12';
        r.messagingProfile.companyType = 'public';
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const message = await attempt.catch((err: Error) => err.message);
    expect(message).toContain('business.registrationNumber');
    expect(message).toContain('messagingProfile.stockExchange');
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before);
    await fees.expectMinimum();
  });
});
