import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { SAMPLE_STANDARD_REQUEST } from '../../src/domain/standard-registration';
import {
  brandStatusSignal,
  campaignStatusSignal,
  numberRegistrationSignal,
  type RegistrationProgress,
  submitCorrectionUpdate,
} from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { SUBACCOUNT_SID } from './fake-twilio';
import { NUMBER_1, NUMBER_2, NUMBER_3, twoCampaigns } from './standard-fixtures';
import { envelope, historiesOfAllRuns, type Registration, TIMINGS, withRegistration } from './harness';

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

/** Past both settles to the brand, then Twilio approves it (a fetch shows it, a callback says it). */
async function toApprovedBrand(r: Registration, identityStatus = 'VETTED_VERIFIED') {
  await r.until((p) => p.steps.customerProfile.status === 'waiting', 'secondary profile submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  await r.until((p) => p.steps.trustBundle.status === 'waiting', 'messaging profile submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  const brandSid = (await r.until((p) => p.steps.brand.sid !== undefined, 'brand created')).steps.brand
    .sid as string;
  await env.sleep(TIMINGS.settleDelayMs);
  Object.assign(r.fake.brand!, { status: 'APPROVED', identityStatus, brandScore: 75 });
  await r.handle.signal(brandStatusSignal, {
    ...envelope(),
    brandSid,
    brandStatus: 'APPROVED',
    identityStatus,
  });
  return brandSid;
}

/** Both campaigns' reviews pass: each service's campaign-approved event. */
async function approveCampaigns(r: Registration, p: RegistrationProgress) {
  for (const c of p.standard!.campaigns)
    await r.handle.signal(campaignStatusSignal, {
      ...envelope(),
      messagingServiceSid: c.messagingServiceSid as string,
      campaignStatus: 'VERIFIED',
    });
}

const inCampaignReview = (p: RegistrationProgress) =>
  p.standard?.campaigns.every((c) => c.sid !== undefined) === true &&
  p.waitingFor?.what === 'campaign review';

describe('standardRegistration', () => {
  it('registers a Standard brand with two campaigns, each on its own service, paying each fee once', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        const review = await r.until(inCampaignReview, 'both campaigns in review');
        const [care, marketing] = review.standard!.campaigns;
        expect(care.messagingServiceSid).not.toEqual(marketing.messagingServiceSid);
        await approveCampaigns(r, review);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.standard!.vetting).toEqual({ score: 75 });
        expect(r.fake.brandCreates).toEqual([{ brandType: 'STANDARD', skipAutomaticSecVet: false }]);
        expect(r.fake.createdCampaigns.map((c) => c.usecase).sort()).toEqual(['CUSTOMER_CARE', 'MARKETING']);
        expect(result.fees.map((f) => f.kind).sort()).toEqual([
          'brand-registration',
          'campaign-vetting',
          'campaign-vetting',
          'secondary-vetting',
        ]);
        expect(r.fake.numbers.sort()).toEqual([NUMBER_1, NUMBER_2, NUMBER_3]);
        expect(result.standard!.campaigns.map((c) => Object.keys(c.numbers).sort())).toEqual([
          [NUMBER_1, NUMBER_2],
          [NUMBER_3],
        ]);
        expect(r.fake.calls.ensureBusinessEndUser).toBe(1);
        expect(r.fake.calls.ensureRepresentativeEndUser).toBe(1);
        expect(r.fake.calls.ensureMessagingProfileEndUser).toBe(1);
        expect(r.fake.calls.ensureSubaccount).toBeUndefined();
      },
      { standardRequest: twoCampaigns() },
    );
  });

  it('registers a Low-Volume Standard brand without secondary vetting', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r, 'VERIFIED');
        const review = await r.until(inCampaignReview, 'campaign in review');
        await approveCampaigns(r, review);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(r.fake.brandCreates).toEqual([{ brandType: 'STANDARD', skipAutomaticSecVet: true }]);
        expect(result.fees.map((f) => f.kind).sort()).toEqual(['brand-registration', 'campaign-vetting']);
      },
      { standardRequest: { ...SAMPLE_STANDARD_REQUEST, brandType: 'LOW_VOLUME_STANDARD' } },
    );
  });

  describe('a public company', () => {
    const publicCompany = () =>
      twoCampaigns((r) => {
        r.business.type = 'Corporation';
        r.messagingProfile = {
          companyType: 'public',
          stockExchange: 'NASDAQ',
          stockTicker: 'ACME',
          brandContactEmail: 'ir@acme.example.com',
        };
      });

    it('waits for the Authentication+ email to be answered before any campaign', async () => {
      await withRegistration(
        env,
        workflowBundle,
        async (r) => {
          const brandSid = await toApprovedBrand(r, 'UNVERIFIED');
          const waiting = await r.until((p) => p.phase === 'brand-verification', 'Authentication+ wait');
          expect(waiting.standard!.authentication).toMatchObject({ email: 'ir@acme.example.com' });
          expect(waiting.waitingFor?.what).toMatch(/Authentication\+ email/);
          // Days pass: polls find the brand still unverified; no campaign is submitted meanwhile.
          await env.sleep(3 * DAY);
          expect(r.fake.createdCampaigns).toEqual([]);
          r.fake.brand!.identityStatus = 'VERIFIED';
          await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
          const review = await r.until(inCampaignReview, 'campaigns in review');
          expect(review.standard!.authentication!.verifiedAt).toBeDefined();
          await approveCampaigns(r, review);
          const result = await r.handle.result();
          expect(result.outcome).toBe('completed');
          expect(result.fees.filter((f) => f.kind === 'authentication-plus')).toHaveLength(1);
        },
        { standardRequest: publicCompany() },
      );
    });

    it('ends as brand-authentication-expired when the email is never answered', async () => {
      await withRegistration(
        env,
        workflowBundle,
        async (r) => {
          await toApprovedBrand(r, 'UNVERIFIED');
          await r.until((p) => p.phase === 'brand-verification', 'Authentication+ wait');
          await env.sleep(TIMINGS.otpDeadlineMs + HOUR);
          const result = await r.handle.result();
          expect(result.outcome).toBe('brand-authentication-expired');
          expect(result.guidance).toMatch(/brand contact/);
          expect(r.fake.createdCampaigns).toEqual([]);
        },
        { standardRequest: publicCompany() },
      );
    });
  });

  it('refuses a use case the brand may not register before paying, and goes on once corrected', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        const stuck = await r.until((p) => p.phase === 'needs-correction', 'correction asked');
        expect(stuck.issues.at(-1)).toMatchObject({ step: 'campaign', fields: ['campaigns.1.usecase'] });
        expect(stuck.issues.at(-1)?.message).toContain('may not register MARKETING');
        expect(r.fake.createdCampaigns.map((c) => c.usecase)).not.toContain('MARKETING');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ campaigns: { '1': { usecase: 'ACCOUNT_NOTIFICATION' } } }],
        });
        const review = await r.until(inCampaignReview, 'campaigns in review');
        await approveCampaigns(r, review);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(r.fake.createdCampaigns.map((c) => c.usecase).sort()).toEqual([
          'ACCOUNT_NOTIFICATION',
          'CUSTOMER_CARE',
        ]);
      },
      {
        standardRequest: twoCampaigns(),
        configure: (fake) => (fake.allowedUsecases = ['CUSTOMER_CARE', 'ACCOUNT_NOTIFICATION']),
      },
    );
  });

  it('fixes, deletes and resubmits a failed campaign while the other stays verified', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        const review = await r.until(inCampaignReview, 'campaigns in review');
        const [care, marketing] = review.standard!.campaigns;
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid: care.messagingServiceSid as string,
          campaignStatus: 'VERIFIED',
        });
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid: marketing.messagingServiceSid as string,
          campaignStatus: 'FAILED',
          errors: [{ code: 30909, description: 'CTA (message flow) cannot be verified' }],
        });
        await r.until((p) => p.phase === 'needs-correction', 'correction asked');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              campaigns: {
                '1': {
                  messageFlow:
                    'Customers tick an unchecked marketing SMS box at acmeplumbing.example.com/book; terms at acmeplumbing.example.com/terms, privacy at acmeplumbing.example.com/privacy.',
                },
              },
            },
          ],
        });
        const again = await r.until(
          (p) => p.standard!.campaigns[1].attempt === 2 && p.waitingFor?.what === 'campaign review',
          'marketing resubmitted',
        );
        expect(again.standard!.campaigns[0].status).toBe('VERIFIED');
        expect(again.standard!.campaigns[1].previousSids).toContain(marketing.sid);
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid: marketing.messagingServiceSid as string,
          campaignStatus: 'VERIFIED',
        });
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.fees.filter((f) => f.kind === 'campaign-vetting')).toHaveLength(3);
        expect(r.fake.calls.deleteCampaign).toBe(1);
      },
      { standardRequest: twoCampaigns() },
    );
  });

  it("registers in the customer's own subaccount, with its Event Streams subscription", async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const brandSid = await toApprovedBrand(r);
        const review = await r.until(inCampaignReview, 'campaign in review');
        expect(review.standard?.subaccountSid).toBe(SUBACCOUNT_SID);
        expect(review.standard?.eventStream?.sinkSid).toMatch(/^DG/);
        expect(review.standard?.eventStream?.subscriptionSid).toMatch(/^DF/);
        expect(r.fake.movedNumbers).toEqual(SAMPLE_STANDARD_REQUEST.campaigns[0].phoneNumberSids);
        expect(r.fake.accounts.ensureBusinessEndUser).toEqual([SUBACCOUNT_SID]);
        expect(r.fake.accounts.ensureBrand).toEqual([SUBACCOUNT_SID]);
        await approveCampaigns(r, review);
        const number = SAMPLE_STANDARD_REQUEST.campaigns[0].phoneNumberSids[0];
        // No number event comes: after a day the registration completes with the number pending.
        expect((await r.handle.result()).outcome).toBe('completed');
        expect(brandSid).toMatch(/^BN/);
        expect(r.fake.accounts.ensurePhoneNumberInService).toEqual([SUBACCOUNT_SID]);
        expect((await r.progress()).standard!.campaigns[0].numbers[number]).toEqual({
          added: true,
          registration: 'pending',
        });
      },
      { standardRequest: { ...SAMPLE_STANDARD_REQUEST, subaccount: true } },
    );
  });
  it("waits for each number's carrier registration, and records a failure as an issue", async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        const review = await r.until(inCampaignReview, 'campaigns in review');
        await approveCampaigns(r, review);
        const waiting = await r.until(
          (p) => p.waitingFor?.what === 'the carriers to register the numbers',
          'number registration wait',
        );
        const service = waiting.standard!.campaigns[0].messagingServiceSid as string;
        const event = (phoneNumberSid: string, outcome: 'successful' | 'failed') => ({
          ...envelope(),
          action: 'registration' as const,
          outcome,
          eventType: `com.twilio.messaging.compliance.number-registration.${outcome}`,
          messagingServiceSid: service,
          phoneNumberSid,
          ...(outcome === 'failed' ? { failureReason: 'https://www.twilio.com/docs/api/errors/30126' } : {}),
        });
        await r.handle.signal(numberRegistrationSignal, event(NUMBER_1, 'successful'));
        await r.handle.signal(numberRegistrationSignal, event(NUMBER_2, 'failed'));
        const marketing = waiting.standard!.campaigns[1].messagingServiceSid as string;
        await r.handle.signal(numberRegistrationSignal, {
          ...event(NUMBER_3, 'successful'),
          messagingServiceSid: marketing,
        });
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.standard!.campaigns[0].numbers).toEqual({
          [NUMBER_1]: { added: true, registration: 'successful' },
          [NUMBER_2]: { added: true, registration: 'failed', failure: expect.any(String) as string },
        });
        expect(result.issues.at(-1)?.message).toContain(NUMBER_2);
        // Every outcome was in within minutes: the registration did not wait out its day.
        expect(Date.parse(result.updatedAt) - Date.parse(waiting.waitingFor!.since)).toBeLessThan(HOUR);
      },
      { standardRequest: twoCampaigns() },
    );
  });
  it('corrects a noncompliant secondary profile, then a FAILED brand, updating the end-users before resubmitting', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const evaluation = await r.until((p) => p.phase === 'needs-correction', 'evaluation correction');
        expect(evaluation.steps.customerProfile.status).toBe('needs-correction');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ business: { websiteUrl: 'https://www.acmeplumbing.example.com' } }],
        });
        await r.until((p) => p.steps.customerProfile.status === 'waiting', 'secondary profile submitted');
        expect(r.fake.calls.updateStandardEndUser).toBe(1);
        await env.sleep(TIMINGS.settleDelayMs);
        await r.until((p) => p.steps.trustBundle.status === 'waiting', 'messaging profile submitted');
        await env.sleep(TIMINGS.settleDelayMs);
        const brandSid = (await r.until((p) => p.steps.brand.sid !== undefined, 'brand')).steps.brand
          .sid as string;
        r.fake.brand!.status = 'FAILED';
        await r.handle.signal(brandStatusSignal, {
          ...envelope(),
          brandSid,
          brandStatus: 'FAILED',
          errors: [
            { code: 30795, description: 'EIN does not match', fields: ['business_registration_number'] },
          ],
        });
        await r.until(
          (p) => p.phase === 'needs-correction' && p.steps.brand.status === 'needs-correction',
          'brand correction',
        );
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ business: { registrationNumber: '98-7654321' } }],
        });
        await r.until((p) => p.brand.resubmissions === 1, 'brand resubmitted');
        expect(r.fake.calls.updateStandardEndUser).toBe(2);
        expect(r.fake.calls.resubmitBrand).toBe(1);
        await env.sleep(TIMINGS.settleDelayMs);
        Object.assign(r.fake.brand!, { status: 'APPROVED', identityStatus: 'VETTED_VERIFIED' });
        await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, brandStatus: 'APPROVED' });
        const review = await r.until(inCampaignReview, 'campaign in review');
        await approveCampaigns(r, review);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.fees.map((f) => f.kind).sort()).toEqual([
          'brand-registration',
          'brand-resubmission',
          'campaign-vetting',
          'secondary-vetting',
        ]);
      },
      {
        standardRequest: SAMPLE_STANDARD_REQUEST,
        configure: (fake) => (fake.noncompliantEvaluations = 1),
      },
    );
  });

  it('cancelled while both campaigns are in review, it deletes both campaigns and the services it created', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        const review = await r.until(inCampaignReview, 'campaigns in review');
        await r.handle.cancel();
        await expect(r.handle.result()).rejects.toThrow(WorkflowFailedError);
        const p = await r.progress();
        expect(p.outcome).toBe('cancelled');
        // Both campaigns deleted, then both services the registration created (numbers are added
        // only after a campaign is verified, so none is removed).
        expect(r.fake.calls.deleteCampaign).toBe(2);
        expect(r.fake.calls.deleteMessagingService).toBe(2);
        expect(r.fake.calls.removePhoneNumberFromService ?? 0).toBe(0);
        expect(Object.keys(r.fake.standardCampaigns)).toHaveLength(0);
        // What only Twilio Support can remove is named: the profiles and the brand.
        expect(p.guidance).toContain(review.steps.brand.sid as string);
      },
      { standardRequest: twoCampaigns() },
    );
  });

  it('continues as new through weeks of review with both campaigns waiting, paying each campaign once', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await toApprovedBrand(r);
        await r.until(inCampaignReview, 'campaigns in review');
        // Reviews of weeks: the hourly-then-six-hourly polls of both campaigns fill the history,
        // and the run continues as new whenever both wait at once. A day at a time: the test
        // server's clock moves across each continue-as-new.
        for (let day = 0; day < 21; day++) await env.sleep(DAY);
        const review = await r.until(inCampaignReview, 'still in review');
        await approveCampaigns(r, review);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(r.fake.createdCampaigns).toHaveLength(2);
        expect(result.fees.filter((f) => f.kind === 'campaign-vetting')).toHaveLength(2);
        // Admitted once: a continued run is the same registration.
        expect(r.fake.calls.admitRegistration).toBe(1);
        const runs = await historiesOfAllRuns(env, r.handle);
        // The first run holds the whole setup and the start of the wait; each later one a stretch of it.
        expect(runs.length).toBeGreaterThan(3);
        expect(Math.max(...runs.map((events) => events.length))).toBeLessThan(320);
      },
      {
        standardRequest: twoCampaigns(),
        continueAsNewAfterEvents: 250,
        // Only the events end the reviews: a poll finds them pending for weeks.
        configure: (fake) => (fake.campaignReviewMs = 60 * DAY),
      },
    );
  });
});
