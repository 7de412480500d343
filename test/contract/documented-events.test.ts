import { createHash } from 'node:crypto';
import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';
import { registrationWorkflowId, type RegistrationProgress } from '../../src/shared';
import { deliverable, payloadFiles, type RegistrationSids } from './documented-events';
import type { SentResponse } from '../unit/webhooks/helpers';
import { startContractStack, type ContractStack } from './stack';

/**
 * Twilio's documented Event Streams examples (../shared/reference/twilio-events/) against running
 * registrations: the real dev server and worker, the sandbox as Twilio's API, and the webhook
 * server over HTTP. The sandbox sends nothing itself and its reviews are held, polling is an
 * hour: each example, addressed to a registration's SIDs and signed for this sink's URL, is the
 * only thing that can move the registration, and the control API makes what a fetch shows agree
 * with what the event says (a later fetch shows Twilio's truth).
 *
 * The examples' times are Twilio's and are kept, and a registration drops an event older than
 * one it has seen, so each registration hears examples in the order of their times: the setup
 * guide's (2023–March 2025) or the current event-type pages' (August 2025), never a guide example
 * after a current one.
 */

const COVERED = new Set<string>();

/** A test named after the payload file and the rule it checks. */
function eventTest(file: string, rule: string, fn: () => Promise<void>, timeoutMs = 120_000): void {
  COVERED.add(file);
  test(`${file}: ${rule}`, fn, timeoutMs);
}

const BRAND_REVIEW = 'brand review';
const OTP = 'the customer to answer the OTP';
const CAMPAIGN_REVIEW = 'campaign review';
const CORRECTION = 'corrected registration data';

/** The setup guide's misprinted blocks are not JSON (README, "Repairs"). */
const REFUSED = { status: 400, error: /malformed JSON/ };
const ACKNOWLEDGED = { status: 200 };

const waitingFor = (what: string) => (p: RegistrationProgress) => p.waitingFor?.what === what;

/** Progress without its clocks: what an event may or may not change. */
function state(p: RegistrationProgress): unknown {
  return JSON.parse(
    JSON.stringify(p, (key, value: unknown) => (/^(updatedAt|at|since)$/.test(key) ? undefined : value)),
  );
}

let stack: ContractStack;
let n = 0;

/** Each registration is a customer of its own: TCR counts reuse of mobile numbers, emails and addresses. */
function request(label: string, phoneNumberSid: string): RegistrationRequest {
  const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
  n += 1;
  // Short: Twilio's friendly names, which carry the workflow id, hold at most 64 characters.
  r.customerId = `ct-${label}-${Date.now().toString(36)}`;
  r.phoneNumberSid = phoneNumberSid;
  r.soleProprietor.mobilePhoneNumber = `+1415555${String(2000 + n * 7).padStart(4, '0')}`;
  r.soleProprietor.email = `owner${n}.${Date.now()}@example.com`;
  r.address.street = `${200 + n} Main St`;
  return r;
}

/** A number that does not exist: a registration that should never get that far fails loudly if it does. */
const NO_NUMBER = (i: number) => `PN${'f'.repeat(30)}${String(i).padStart(2, '0')}`;
/** Seeded numbers of the sandbox's account, for the registrations that complete. */
const NUMBER = (i: number) => `PN${String(i).padStart(32, '0')}`;

/** One running registration and the SIDs Twilio's events about it carry. */
class Registration {
  progress!: RegistrationProgress;

  constructor(readonly request: RegistrationRequest) {}

  get customerId(): string {
    return this.request.customerId;
  }

  get brandSid(): string {
    return this.progress.steps.brand.sid as string;
  }

  get serviceSid(): string {
    return this.progress.steps.messagingService.sid as string;
  }

  /**
   * The CM… SID of the current campaign submission. Event Streams name campaigns by it and the
   * REST API never shows it, so the test gives each submission one of its own.
   */
  get campaignEventSid(): string {
    const digest = createHash('sha256').update(`${this.customerId}/${this.progress.campaign.attempt}`);
    return `CM${digest.digest('hex').slice(0, 32)}`;
  }

  sids(): RegistrationSids {
    return {
      accountSid: stack.sandbox.accountSid,
      brandSid: this.progress.steps.brand.sid,
      messagingServiceSid: this.progress.steps.messagingService.sid,
      campaignSid: this.progress.steps.messagingService.sid ? this.campaignEventSid : undefined,
      phoneNumberSid: this.request.phoneNumberSid,
    };
  }

  async start(): Promise<void> {
    await stack.registrar.startRegistration(this.request);
  }

  /** Waits until the registration rests where `pred` says (its wait started, the fetch applied). */
  async rests(pred: (p: RegistrationProgress) => boolean, what: string, timeoutMs = 90_000) {
    this.progress = await stack.atRest(this.customerId, pred, what, timeoutMs);
    return this.progress;
  }

  /**
   * Delivers `file` to this registration through the signed webhook path and waits until the
   * signals it caused are sent; returns the HTTP status.
   */
  async deliver(file: string): Promise<number> {
    return (await this.send(file)).statusCode;
  }

  private async send(file: string): Promise<SentResponse> {
    const res = await stack.deliver(deliverable(file, this.sids()));
    await stack.deliveriesSettled();
    return res;
  }

  /**
   * Delivers `file` and checks that it changes nothing: the answer is `answer`, no signal reaches
   * the registration, and its progress stays as it was.
   */
  async deliverUnchanged(file: string, answer: { status: number; error?: RegExp }): Promise<void> {
    const signals = await stack.signals(this.customerId);
    const before = await this.rests(() => true, 'rest before the event');
    const res = await this.send(file);
    expect(res.statusCode).toBe(answer.status);
    if (answer.error) expect((res.json() as { error?: string }).error).toMatch(answer.error);
    expect(await stack.signals(this.customerId)).toEqual(signals);
    const after = await this.rests(() => true, 'rest after the event');
    expect(state(after)).toEqual(state(before));
  }

  /** Brand created, its settle over, the review's first fetch applied: waiting for the verdict. */
  underBrandReview() {
    return this.rests((p) => p.phase === 'brand' && waitingFor(BRAND_REVIEW)(p), 'the brand review');
  }

  awaitingOtp() {
    return this.rests((p) => p.phase === 'brand-verification' && waitingFor(OTP)(p), 'the OTP wait');
  }

  awaitingCampaignVerdict(attempt = 1) {
    return this.rests(
      (p) => p.phase === 'campaign' && waitingFor(CAMPAIGN_REVIEW)(p) && p.campaign.attempt === attempt,
      `the review of campaign submission ${attempt}`,
    );
  }

  needsCorrection() {
    return this.rests((p) => p.phase === 'needs-correction' && waitingFor(CORRECTION)(p), 'a correction');
  }

  completed() {
    return this.rests((p) => p.outcome !== undefined, 'the end', 120_000);
  }

  /** Twilio's truth first (the sandbox approves the brand and sends the OTP), then its event. */
  async approvedBy(file: string) {
    await stack.sandbox.control.decideBrand(this.brandSid, 'approve');
    expect(await this.deliver(file)).toBe(200);
  }

  /** The customer answers the OTP at Twilio (the sandbox), then Twilio's event says so. */
  async verifiedBy(file: string) {
    await stack.sandbox.control.answerOtp(this.brandSid);
    expect(await this.deliver(file)).toBe(200);
  }

  async fees(): Promise<string[]> {
    const { entries } = await stack.sandbox.control.ledger();
    const sids = new Set([this.brandSid, ...this.progress.fees.map((f) => f.sid)]);
    return entries
      .filter((e) => sids.has(e.sid))
      .map((e) => e.kind)
      .sort();
  }
}

const registrations = {
  current: new Registration(request('current', NUMBER(1))),
  guide: new Registration(request('guide', NUMBER(2))),
  twoFactorClicked: new Registration(request('2fa-click', NO_NUMBER(1))),
  invalidContactEmail: new Registration(request('bad-email', NO_NUMBER(2))),
  unverified: new Registration(request('unverified', NO_NUMBER(3))),
  unverifiedSchema: new Registration(request('unverif-v3', NO_NUMBER(4))),
  vettedVerified: new Registration(request('vetted', NO_NUMBER(5))),
  secondaryVetting: new Registration(request('sec-vet', NO_NUMBER(6))),
  secondaryVettingSchema: new Registration(request('sec-vet-v2', NO_NUMBER(7))),
};

beforeAll(async () => {
  stack = await startContractStack('a2p-contract');
  // All at once, so their Trust Hub steps run side by side while the tests take turns.
  for (const r of Object.values(registrations)) await r.start();
}, 60_000);

afterAll(async () => {
  if (!stack) return;
  for (const r of Object.values(registrations)) {
    const handle = stack.client.workflow.getHandle(registrationWorkflowId(r.customerId));
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') await handle.terminate('contract suite done');
  }
  await stack.stop();
}, 60_000);

test('every payload file in the reference folder has a contract test', () => {
  expect([...COVERED].sort()).toEqual(payloadFiles().sort());
});

describe('the current event-type pages: a registration fails, is corrected and completes', () => {
  const r = registrations.current;

  eventTest(
    'brand-registration.sharing-created.json',
    'it carries no status, so nothing changes',
    async () => {
      await r.underBrandReview();
      await r.deliverUnchanged('brand-registration.sharing-created.json', ACKNOWLEDGED);
    },
  );

  eventTest('eventstreams.test-event.json', 'a sink test event changes nothing', async () => {
    await r.deliverUnchanged('eventstreams.test-event.json', ACKNOWLEDGED);
  });

  eventTest(
    'brand-registration.brand-failure.json',
    "the brand is FAILED and the registration needs correction, with Twilio's error code and description",
    async () => {
      await stack.sandbox.control.decideBrand(r.brandSid, 'fail', {
        reason: 'The Brand contact email is invalid.',
        errors: [
          {
            error_code: 21736,
            description: 'The Brand contact email is invalid.',
            fields: ['brand_contact_email'],
          },
        ],
      });
      expect(await r.deliver('brand-registration.brand-failure.json')).toBe(200);
      const p = await r.needsCorrection();
      expect(p.brand.status).toBe('FAILED');
      expect(p.steps.brand.status).toBe('needs-correction');
      expect(p.issues.at(-1)).toMatchObject({
        step: 'brand',
        message: 'The brand failed: 21736: The Brand contact email is invalid. (brand_contact_email)',
        fields: ['21736: The Brand contact email is invalid. (brand_contact_email)'],
      });

      await stack.registrar.submitCorrection(
        r.customerId,
        {
          soleProprietor: { email: `corrected.${r.request.soleProprietor.email}` },
        },
        { acceptFee: true },
      );
      const resubmitted = await r.underBrandReview();
      expect(resubmitted.brand).toMatchObject({ status: 'PENDING', resubmissions: 1 });
    },
  );

  eventTest(
    'brand-registration.brand-registered.json',
    'the brand counts as APPROVED and the registration goes on: past the OTP, which Twilio shows answered, to the campaign',
    async () => {
      await stack.sandbox.control.decideBrand(r.brandSid, 'approve');
      await r.verifiedBy('brand-registration.brand-registered.json');
      const p = await r.awaitingCampaignVerdict();
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'VERIFIED' });
      expect(p.steps.brand.status).toBe('done');
      expect(p.campaign.status).toBe('PENDING');
    },
  );

  eventTest(
    'campaign-registration.campaign-approved.json',
    'the campaign counts as VERIFIED and the registration completes, each fee paid once',
    async () => {
      await stack.sandbox.control.decideCampaign(r.serviceSid, 'verify');
      expect(await r.deliver('campaign-registration.campaign-approved.json')).toBe(200);
      const p = await r.completed();
      expect(p.outcome).toBe('completed');
      expect(p.campaign.status).toBe('VERIFIED');
      expect(p.steps.campaign).toMatchObject({ status: 'done', twilioStatus: 'VERIFIED' });
      expect(p.steps.phoneNumber).toMatchObject({ status: 'done', sid: r.request.phoneNumberSid });
      expect(await r.fees()).toEqual(['brand-registration', 'brand-resubmission', 'campaign-vetting']);
    },
  );
});

describe("the setup guide's examples: a registration fails twice, is corrected twice and completes", () => {
  const r = registrations.guide;

  eventTest(
    'setup-guide/raw/brand-registration.brand-failure.txt',
    "Twilio's misprinted block is refused and the brand review goes on",
    async () => {
      await r.underBrandReview();
      await r.deliverUnchanged('setup-guide/raw/brand-registration.brand-failure.txt', REFUSED);
    },
  );

  eventTest(
    'setup-guide/brand-registration.brand-failure.json',
    'the brand is FAILED and the registration needs correction',
    async () => {
      await stack.sandbox.control.decideBrand(r.brandSid, 'fail', {
        reason: 'Unable to register Brand with The Campaign Registry',
        errors: [
          {
            error_code: 30793,
            description: 'The Campaign Registry rejected the brand information.',
            fields: ['brand_name'],
          },
        ],
      });
      expect(await r.deliver('setup-guide/brand-registration.brand-failure.json')).toBe(200);
      const p = await r.needsCorrection();
      expect(p.brand.status).toBe('FAILED');
      expect(p.steps.brand.status).toBe('needs-correction');
      expect(p.issues.at(-1)?.step).toBe('brand');
    },
  );

  eventTest(
    'setup-guide/raw/brand-registration.brand-unverified.txt',
    "Twilio's misprinted block is refused and the resubmitted brand's review goes on",
    async () => {
      await stack.registrar.submitCorrection(
        r.customerId,
        {
          soleProprietor: { brandName: `${r.request.soleProprietor.brandName} Studio` },
        },
        { acceptFee: true },
      );
      expect((await r.underBrandReview()).brand).toMatchObject({ status: 'PENDING', resubmissions: 1 });
      await r.deliverUnchanged('setup-guide/raw/brand-registration.brand-unverified.txt', REFUSED);
    },
  );

  eventTest(
    'setup-guide/brand-registration.brand-registered.json',
    'the brand counts as APPROVED and the registration waits for the OTP',
    async () => {
      await r.approvedBy('setup-guide/brand-registration.brand-registered.json');
      const p = await r.awaitingOtp();
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
      expect(p.steps.brand.status).toBe('waiting');
    },
  );

  eventTest(
    'setup-guide/brand-registration.brand-verified.json',
    'the identity is VERIFIED and the registration goes on to the campaign',
    async () => {
      await r.verifiedBy('setup-guide/brand-registration.brand-verified.json');
      const p = await r.awaitingCampaignVerdict();
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'VERIFIED' });
      expect(p.steps.brand.status).toBe('done');
      expect(p.steps.messagingService.status).toBe('done');
      expect(p.campaign.status).toBe('PENDING');
    },
  );

  eventTest(
    'setup-guide/raw/campaign-registration.campaign-approved.txt',
    "Twilio's misprinted block is refused and the campaign review goes on",
    async () => {
      await r.deliverUnchanged('setup-guide/raw/campaign-registration.campaign-approved.txt', REFUSED);
    },
  );

  eventTest(
    'setup-guide/campaign-registration.campaign-submitted.json',
    'the campaign is IN_PROGRESS and the registration keeps waiting for the verdict',
    async () => {
      expect(await r.deliver('setup-guide/campaign-registration.campaign-submitted.json')).toBe(200);
      const p = await r.rests((p) => p.campaign.status === 'IN_PROGRESS', 'the campaign IN_PROGRESS');
      expect(p.phase).toBe('campaign');
      expect(p.waitingFor?.what).toBe(CAMPAIGN_REVIEW);
      expect(p.steps.campaign.status).toBe('waiting');
    },
  );

  describe('number (de)registration, delivered while the registration waits for its campaign', () => {
    const numberEvent = (
      file: string,
      action: 'registration' | 'deregistration',
      outcome: 'pending' | 'successful' | 'failed',
    ) =>
      eventTest(
        `setup-guide/number-${action}.${outcome}.json`,
        outcome === 'failed'
          ? `progress.numberRegistration is ${action} failed, and an issue names Twilio's error 30126`
          : `progress.numberRegistration is ${action} ${outcome}`,
        async () => {
          const issues = r.progress.issues.length;
          expect(await r.deliver(file)).toBe(200);
          const p = await r.rests(
            (p) => p.numberRegistration?.action === action && p.numberRegistration.outcome === outcome,
            `number ${action} ${outcome}`,
          );
          expect(p.numberRegistration).toEqual({ action, outcome, at: '2024-03-13T15:51:10.552Z' });
          if (outcome === 'failed') {
            expect(p.issues).toHaveLength(issues + 1);
            const verb = action === 'registration' ? 'register' : 'deregister';
            expect(p.issues.at(-1)).toMatchObject({
              step: 'phoneNumber',
              message: `Twilio could not ${verb} the number with the carriers: 30126: https://www.twilio.com/docs/api/errors/30126`,
            });
          } else {
            expect(p.issues).toHaveLength(issues);
          }
          expect(p.phase).toBe('campaign');
          expect(p.waitingFor?.what).toBe(CAMPAIGN_REVIEW);
        },
      );

    numberEvent('setup-guide/number-registration.pending.json', 'registration', 'pending');
    numberEvent('setup-guide/number-registration.successful.json', 'registration', 'successful');
    numberEvent('setup-guide/number-registration.failed.json', 'registration', 'failed');
    numberEvent('setup-guide/number-deregistration.pending.json', 'deregistration', 'pending');
    numberEvent('setup-guide/number-deregistration.successful.json', 'deregistration', 'successful');
    numberEvent('setup-guide/number-deregistration.failed.json', 'deregistration', 'failed');
  });

  eventTest(
    'setup-guide/campaign-registration.campaign-failure.json',
    "the campaign is FAILED and the registration needs correction, with the code Twilio's campaign carries",
    async () => {
      await stack.sandbox.control.decideCampaign(r.serviceSid, 'fail', [
        {
          error_code: 30909,
          description: 'Campaign Vetting Rejection - CTA (Call to Action) / Message Flow',
          fields: ['MESSAGE_FLOW'],
        },
      ]);
      expect(await r.deliver('setup-guide/campaign-registration.campaign-failure.json')).toBe(200);
      const p = await r.needsCorrection();
      expect(p.campaign.status).toBe('FAILED');
      expect(p.steps.campaign).toMatchObject({ status: 'needs-correction', twilioStatus: 'FAILED' });
      const issue = p.issues.filter((i) => i.step === 'campaign').at(-1);
      expect(issue?.message).toBe('The campaign failed review');
      expect(issue?.fields?.join('\n')).toContain('30909');
    },
  );

  eventTest(
    'setup-guide/campaign-registration.campaign-approved.json',
    'the corrected, recreated campaign counts as VERIFIED and the registration completes, each fee paid once',
    async () => {
      await stack.registrar.submitCorrection(
        r.customerId,
        {
          campaign: {
            messageFlow: `${SAMPLE_REGISTRATION_REQUEST.campaign.messageFlow} Consent is not required to buy.`,
          },
        },
        { acceptFee: true },
      );
      await r.awaitingCampaignVerdict(2);
      await stack.sandbox.control.decideCampaign(r.serviceSid, 'verify');
      expect(await r.deliver('setup-guide/campaign-registration.campaign-approved.json')).toBe(200);
      const p = await r.completed();
      expect(p.outcome).toBe('completed');
      expect(p.campaign).toMatchObject({ attempt: 2, status: 'VERIFIED' });
      expect(p.steps.phoneNumber).toMatchObject({ status: 'done', sid: r.request.phoneNumberSid });
      expect(await r.fees()).toEqual([
        'brand-registration',
        'brand-resubmission',
        'campaign-vetting',
        'campaign-vetting',
      ]);
    },
    180_000,
  );
});

describe('brand events that count as registered: the brand is APPROVED and the registration waits for the OTP', () => {
  const approvedBy = async (r: Registration, file: string) => {
    await r.underBrandReview();
    await r.approvedBy(file);
    return r.awaitingOtp();
  };

  eventTest(
    'brand-registration.email-2fa-clicked.json',
    'its brandstatus registered counts as APPROVED',
    async () => {
      const p = await approvedBy(registrations.twoFactorClicked, 'brand-registration.email-2fa-clicked.json');
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
    },
  );

  eventTest(
    'brand-registration.invalid-contact-email.json',
    'its brandstatus registered counts as APPROVED',
    async () => {
      const p = await approvedBy(
        registrations.invalidContactEmail,
        'brand-registration.invalid-contact-email.json',
      );
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
    },
  );

  eventTest(
    'setup-guide/brand-registration.brand-unverified.json',
    'the brand counts as APPROVED with identity UNVERIFIED',
    async () => {
      const p = await approvedBy(
        registrations.unverified,
        'setup-guide/brand-registration.brand-unverified.json',
      );
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
    },
  );

  eventTest(
    'schema-examples/A2P.BrandRegisteredUnverified.v3.example-data.json',
    'as the data of a brand-unverified event, the brand counts as APPROVED with identity UNVERIFIED',
    async () => {
      const p = await approvedBy(
        registrations.unverifiedSchema,
        'schema-examples/A2P.BrandRegisteredUnverified.v3.example-data.json',
      );
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
    },
  );
});

describe('identity events while the registration waits for the OTP', () => {
  /** Approved by the guide's brand-registered example, then waiting for the customer's answer. */
  const awaitingOtp = async (r: Registration) => {
    await r.underBrandReview();
    await r.approvedBy('setup-guide/brand-registration.brand-registered.json');
    return r.awaitingOtp();
  };

  eventTest(
    'setup-guide/brand-registration.brand-vetted-verified.json',
    'the identity is VETTED_VERIFIED and the registration goes on to the campaign',
    async () => {
      const r = registrations.vettedVerified;
      await awaitingOtp(r);
      await r.verifiedBy('setup-guide/brand-registration.brand-vetted-verified.json');
      const p = await r.awaitingCampaignVerdict();
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'VETTED_VERIFIED' });
      expect(p.steps.brand.status).toBe('done');
    },
  );

  eventTest(
    'schema-examples/A2P.BrandRegistrationSecondaryVettingFailure.v2.example-data.json',
    'as the data of a brand-secondary-vetting-failure event, its identity verified lets the registration go on to the campaign',
    async () => {
      const r = registrations.secondaryVettingSchema;
      await awaitingOtp(r);
      await r.verifiedBy('schema-examples/A2P.BrandRegistrationSecondaryVettingFailure.v2.example-data.json');
      const p = await r.awaitingCampaignVerdict();
      expect(p.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'VERIFIED' });
    },
  );

  eventTest(
    'setup-guide/brand-registration.brand-secondary-vetting-failure.json',
    'vetting_failed is no identity: the brand stays APPROVED and UNVERIFIED, and the registration keeps waiting for the OTP',
    async () => {
      const r = registrations.secondaryVetting;
      const before = await awaitingOtp(r);
      const signals = (await stack.signals(r.customerId)).length;
      expect(await r.deliver('setup-guide/brand-registration.brand-secondary-vetting-failure.json')).toBe(
        200,
      );
      // The event reached the registration, which has dealt with it by the time it rests again.
      expect(await stack.signals(r.customerId)).toHaveLength(signals + 1);
      const after = await r.awaitingOtp();
      expect(after.brand).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED' });
      expect(state(after)).toEqual(state(before));
    },
  );
});
