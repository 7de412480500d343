import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';
import type { RegistrationProgress } from '../../src/shared';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { FeeAudit, soleProprietorMinimum } from '../helpers/fee-audit';

/**
 * A profile rejected for its email after its submission: submitted, its email updated, submitted
 * again; the trust bundle (made after the fix) is submitted once.
 */
const DISPOSABLE_EMAIL_CALLS = { profileSubmissions: 2, profileUpdates: 1 };

/**
 * After a late profile rejection: the email correction updates both bundles, the profile is
 * resubmitted (the trust bundle was not rejected), the brand is resubmitted once, one campaign.
 */
const LATE_REJECTION_REST = {
  fees: { 'brand-resubmission': 1, 'campaign-vetting': 1 },
  calls: { customerProfileSubmissions: 2, trustBundleSubmissions: 1, brandUpdates: 1, campaignCreates: 1 },
};

/**
 * Rejections chosen by the sandbox's test data, each fixed with `submitCorrection` as an operator
 * would with `a2p correct`. The fee ledger proves each (re)submission was paid exactly once.
 */
describe('failure and remediation, end to end', () => {
  let stack: E2EStack;
  let fees: FeeAudit;
  let n = 0;

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-remediation');
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(() => stack?.stop());

  function request(overrides: (r: RegistrationRequest) => void): RegistrationRequest {
    const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    r.customerId = `e2e-fix-${++n}-${Date.now()}`;
    // Each registration gets a number of its own: a number can be in one Messaging Service only.
    r.phoneNumberSid = `PN${String(n).padStart(32, '0')}`;
    r.soleProprietor.mobilePhoneNumber = `+1415555${String(1000 + n * 7).padStart(4, '0')}`;
    r.soleProprietor.email = `owner${n}.${Date.now()}@example.com`;
    r.address.street = `${100 + n} Main St`;
    overrides(r);
    return r;
  }

  async function finish(customerId: string): Promise<RegistrationProgress> {
    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent');
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    return stack.until(customerId, (p) => p.outcome !== undefined, 'the end', 90_000);
  }

  test('a disposable email rejects the profile; the corrected email is resubmitted and the registration completes', async () => {
    const r = request((r) => (r.soleProprietor.email = `jane${n}@mailinator.com`));
    await stack.registrar.startRegistration(r);
    const rejected = await stack.until(
      r.customerId,
      (p) => p.phase === 'needs-correction',
      'profile rejection',
    );
    expect(rejected.steps.customerProfile.status).toBe('needs-correction');
    expect(rejected.issues.at(-1)?.message).toContain('Email is a suspected disposable address.');
    expect(rejected.steps.brand.sid).toBeUndefined();

    await stack.registrar.submitCorrection(r.customerId, {
      soleProprietor: { email: `jane${n}@example.org` },
    });
    const done = await finish(r.customerId);
    expect(done.outcome).toBe('completed');
    await fees.expectMinimum(soleProprietorMinimum(DISPOSABLE_EMAIL_CALLS));
  }, 120_000);

  test('a FAILED campaign is corrected, deleted and recreated: one brand fee, two campaign fees', async () => {
    const r = request((r) => (r.campaign.messageFlow = `${r.campaign.messageFlow} #fail-message-flow`));
    await stack.registrar.startRegistration(r);
    const p = await stack.until(r.customerId, (p) => p.phase === 'brand-verification', 'OTP sent');
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    const failed = await stack.until(
      r.customerId,
      (p) => p.phase === 'needs-correction',
      'campaign failure',
      90_000,
    );
    expect(failed.steps.campaign.twilioStatus).toBe('FAILED');
    expect(failed.issues.at(-1)?.fields?.join(' ')).toContain('30909');

    await stack.registrar.submitCorrection(
      r.customerId,
      {
        campaign: { messageFlow: SAMPLE_REGISTRATION_REQUEST.campaign.messageFlow },
      },
      { acceptFee: true },
    );
    const done = await stack.until(r.customerId, (p) => p.outcome !== undefined, 'the end', 90_000);
    expect(done.outcome).toBe('completed');
    expect(done.campaign.attempt).toBe(2);
    await fees.expectMinimum(soleProprietorMinimum({ campaigns: 2 }));
    const requests = await stack.sandbox.control.requests();
    expect(
      requests.log.filter(
        (e) => e.method === 'DELETE' && e.path.includes(done.steps.messagingService.sid as string),
      ),
    ).toHaveLength(1);
  }, 150_000);

  test('a brand TCR refuses is resubmitted after the brand name is corrected: one registration, one resubmission fee', async () => {
    const r = request((r) => (r.soleProprietor.brandName = 'Jane Doe TCR Reject'));
    await stack.registrar.startRegistration(r);
    const failed = await stack.until(
      r.customerId,
      (p) => p.phase === 'needs-correction',
      'brand failure',
      90_000,
    );
    expect(failed.brand.status).toBe('FAILED');
    await stack.registrar.submitCorrection(
      r.customerId,
      {
        soleProprietor: { brandName: 'Jane Doe Ceramics' },
      },
      { acceptFee: true },
    );
    const done = await finish(r.customerId);
    expect(done.outcome).toBe('completed');
    expect(done.brand.resubmissions).toBe(1);
    await fees.expectMinimum(soleProprietorMinimum({ brandResubmissions: 1 }));
  }, 150_000);

  test('a profile Twilio rejects after the settle is corrected and resubmitted before the brand: one brand fee, one resubmission fee, none while it stays rejected', async () => {
    // A manual brand review leaves time to reject the profile while the brand is under review.
    const r = request((r) => (r.soleProprietor.brandName = 'Jane Doe Manual Review'));
    await stack.registrar.startRegistration(r);
    const created = await stack.until(r.customerId, (p) => p.steps.brand.sid !== undefined, 'brand created');
    await stack.sandbox.control.decideBundle(
      created.steps.customerProfile.sid as string,
      'reject',
      'Email is a suspected disposable address.',
    );
    const rejected = await stack.until(
      r.customerId,
      (p) => p.phase === 'needs-correction' && p.steps.customerProfile.status === 'needs-correction',
      'late profile rejection',
      90_000,
    );
    expect(rejected.issues.map((i) => i.message).join(' ')).toContain(
      'Twilio rejected the starter customer profile',
    );
    // The brand failed on the rejected profile; nothing is resubmitted (or paid) until it is fixed.
    // The whole ledger so far: this registration's brand and nothing resubmitted yet.
    await fees.expectMinimum({
      fees: { 'brand-registration': 1 },
      calls: {
        customerProfileCreates: 1,
        trustBundleCreates: 1,
        customerProfileSubmissions: 1,
        trustBundleSubmissions: 1,
        brandCreates: 1,
      },
    });

    await stack.registrar.submitCorrection(
      r.customerId,
      {
        soleProprietor: { email: `late${n}@example.org` },
      },
      { acceptFee: true },
    );
    const done = await finish(r.customerId);
    expect(done.outcome).toBe('completed');
    expect(done.brand.resubmissions).toBe(1);
    await fees.expectMinimum(LATE_REJECTION_REST);
  }, 150_000);
});
