import { ApplicationFailure } from '@temporalio/common';
import type { Activities, BrandState, CampaignState } from '../../src/activities';
import { TWILIO_PERMANENT_ERROR } from '../../src/twilio/errors';

export const SUBACCOUNT_SID = 'AC5ab00000000000000000000000000001';

/**
 * An in-memory stand-in for the activities, for workflow-logic tests: it keeps the resources a
 * registration creates, counts every call, and lets a test script Twilio's answers.
 */
export class FakeTwilio {
  calls: Record<string, number> = {};
  bundles: Record<string, { kind: string; status: string; email: string }> = {};
  brand?: { sid: string; status: string; identityStatus: string; brandScore?: number; feedback?: string[] };
  /** The brand creates' inputs (brand type, secondary vetting skipped or not). */
  brandCreates: { brandType?: string; skipAutomaticSecVet?: boolean }[] = [];
  campaign?: { sid: string; status: string; errors: string[] };
  services: string[] = [];
  numbers: string[] = [];
  otpResends: number[] = [];
  /** When each external-campaign association was made (activity time). */
  associations: { campaignId: string; at: number }[] = [];
  endUserUpdates: string[] = [];
  /** What listUsecases answers: the use cases the brand may register. */
  allowedUsecases: string[] = [
    '2FA',
    'ACCOUNT_NOTIFICATION',
    'CUSTOMER_CARE',
    'MARKETING',
    'MIXED',
    'LOW_VOLUME',
  ];
  /** Numbers moved into the customer's subaccount. */
  movedNumbers: string[] = [];
  addressUpdates = 0;
  /** replaceAddressDocument calls: a corrected country's new document on the customer profile. */
  readonly addressDocumentReplacements: { customerProfileSid: string; documentSid: string }[] = [];
  /** Evaluations answer noncompliant this many times before compliant. */
  noncompliantEvaluations = 0;
  /** Brand status right after create, and what a fetch answers. */
  brandStatusOnCreate = 'PENDING';
  /** The next campaign submissions end in these statuses, in order (then VERIFIED). */
  campaignVerdicts: ('VERIFIED' | 'FAILED')[] = [];
  /** Status a fresh campaign reports before its verdict arrives. */
  campaignStatusOnCreate = 'PENDING';
  ensureBrandFailsOnce?: { code: number; message: string };
  /** The next OTP re-sends are refused with this Twilio error (e.g. the brand is verified already). */
  otpResendRefusals: { code: number; message: string }[] = [];
  /** Activity time (ms) from which the brand's identity is VERIFIED (the customer answered). */
  identityVerifiedAt?: number;
  /** The registration's workflow id, for hooks that signal it. */
  workflowId?: string;
  /** The next brand resubmissions are refused with these Twilio errors. */
  resubmitBrandRefusals: { code: number; message: string }[] = [];
  /** The next campaign submissions are refused with these Twilio errors (a 4xx on create). */
  campaignCreateRefusals: { code: number; message: string }[] = [];
  /** The next Address creates are refused with these Twilio errors. */
  addressCreateRefusals: { code: number; message: string }[] = [];
  /** Each starter end-user create's `mayExist`, in order. */
  starterEndUserMayExist: (boolean | undefined)[] = [];
  /** Runs after a brand is created and before the create answers (an event can race the answer). */
  onBrandCreated?: (sid: string) => Promise<void>;
  /** Runs after a campaign is created and before the create answers. */
  onCampaignCreated?: (sid: string) => Promise<void>;
  /** Runs after the number joined the service and before the call answers. */
  onPhoneNumberAttached?: () => Promise<void>;
  /** How long after its creation a campaign's verdict becomes visible to a fetch (Twilio's review). */
  campaignReviewMs = 60 * 60_000;
  private campaignCreatedAt = 0;
  private seq = 0;

  constructor(private readonly clock: () => number) {}

  private sid(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(16).padStart(32, '0')}`;
  }

  private count(name: string) {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }

  activities(): Activities {
    const fake: Activities = {
      admitRegistration: () => {
        this.count('admitRegistration');
        return Promise.resolve();
      },
      ensureBundle: async (input) => {
        this.count('ensureBundle');
        const existing = Object.entries(this.bundles).find(([, b]) => b.kind === input.kind);
        if (existing) return { sid: existing[0], status: existing[1].status };
        const sid = this.sid('BU');
        this.bundles[sid] = { kind: input.kind, status: 'draft', email: input.email ?? 'isv@example.com' };
        return { sid, status: 'draft' };
      },
      fetchBundle: async (input) => {
        this.count('fetchBundle');
        return { sid: input.sid, status: this.bundles[input.sid]?.status ?? 'draft' };
      },
      updateBundleEmail: async (input) => {
        this.count('updateBundleEmail');
        const b = this.bundles[input.sid];
        if (b) b.email = input.email;
      },
      ensureStarterProfileEndUser: async (input: { mayExist?: boolean }) => {
        this.count('ensureStarterProfileEndUser');
        this.starterEndUserMayExist.push(input.mayExist);
        return { sid: 'IT00000000000000000000000000000001' };
      },
      ensureSoleProprietorEndUser: async () => {
        this.count('ensureSoleProprietorEndUser');
        return { sid: 'IT00000000000000000000000000000002' };
      },
      updateEndUser: async (input) => {
        this.count('updateEndUser');
        this.endUserUpdates.push(input.type);
      },
      ensureAddress: async (input: { country?: string }) => {
        this.count('ensureAddress');
        const refusal = this.addressCreateRefusals.shift();
        if (refusal) throw permanent(refusal.code, refusal.message);
        return {
          sid: input.country ? `AD${input.country}${'0'.repeat(30)}` : 'AD00000000000000000000000000000001',
        };
      },
      updateAddress: async () => {
        this.count('updateAddress');
        this.addressUpdates += 1;
      },
      ensureAddressDocument: async (input: { country?: string }) => {
        this.count('ensureAddressDocument');
        return {
          sid: input.country ? `RD${input.country}${'0'.repeat(30)}` : 'RD00000000000000000000000000000001',
        };
      },
      replaceAddressDocument: async (input: { customerProfileSid: string; documentSid: string }) => {
        this.count('replaceAddressDocument');
        this.addressDocumentReplacements.push(input);
      },
      ensureAssignments: async () => {
        this.count('ensureAssignments');
      },
      evaluateBundle: async () => {
        this.count('evaluateBundle');
        if (this.noncompliantEvaluations > 0) {
          this.noncompliantEvaluations -= 1;
          return {
            status: 'noncompliant',
            failures: ['starter_customer_profile_information.email: invalid'],
          };
        }
        return { status: 'compliant', failures: [] };
      },
      submitBundle: async (input) => {
        this.count('submitBundle');
        const b = this.bundles[input.bundleSid];
        if (b && (b.status === 'draft' || b.status === 'twilio-rejected')) b.status = 'pending-review';
        return { sid: input.bundleSid, status: b?.status ?? 'pending-review' };
      },
      deleteBundle: async () => {
        this.count('deleteBundle');
      },
      ensureBrand: async (input): Promise<BrandState> => {
        this.count('ensureBrand');
        if (this.ensureBrandFailsOnce) {
          const { code, message } = this.ensureBrandFailsOnce;
          this.ensureBrandFailsOnce = undefined;
          throw ApplicationFailure.create({
            type: TWILIO_PERMANENT_ERROR,
            nonRetryable: true,
            message,
            details: [{ status: 400, code, message }],
          });
        }
        if (this.brand) return { ...this.brandState(), created: false };
        this.brand = { sid: this.sid('BN'), status: this.brandStatusOnCreate, identityStatus: 'UNVERIFIED' };
        this.brandCreates.push({
          brandType: input.brandType,
          skipAutomaticSecVet: input.skipAutomaticSecVet,
        });
        const answer = { ...this.brandState(), created: true };
        await this.onBrandCreated?.(this.brand.sid);
        return answer;
      },
      fetchBrand: async () => {
        this.count('fetchBrand');
        return { ...this.brandState(), created: false };
      },
      resendBrandOtp: async () => {
        this.count('resendBrandOtp');
        const refusal = this.otpResendRefusals.shift();
        if (refusal) throw permanent(refusal.code, refusal.message);
        this.otpResends.push(this.clock());
      },
      resubmitBrand: async () => {
        this.count('resubmitBrand');
        const refusal = this.resubmitBrandRefusals.shift();
        if (refusal) throw permanent(refusal.code, refusal.message);
        const resubmitted = this.brand?.status === 'FAILED';
        if (this.brand && resubmitted) this.brand.status = 'PENDING';
        return { ...this.brandState(), created: false, resubmitted };
      },
      ensureMessagingService: async (input) => {
        this.count('ensureMessagingService');
        if (input.nameSuffix) {
          // A Standard registration's further campaigns each have a service of their own.
          const known = this.namedServices[input.nameSuffix];
          if (known) return { sid: known, created: false };
          const sid = this.sid('MG');
          this.namedServices[input.nameSuffix] = sid;
          this.services.push(sid);
          return { sid, created: true };
        }
        const created = this.defaultService === undefined;
        if (created) {
          this.defaultService = this.sid('MG');
          this.services.unshift(this.defaultService);
        }
        return { sid: this.defaultService as string, created };
      },
      deleteMessagingService: async () => {
        this.count('deleteMessagingService');
        this.services = [];
        this.defaultService = undefined;
      },
      ensureCampaign: async (input): Promise<CampaignState> => {
        this.count('ensureCampaign');
        if (input.campaign.usecase)
          return this.ensureStandardCampaign(input.messagingServiceSid, input.campaign.usecase);
        if (this.campaign) return { ...this.campaign, created: false };
        const refusal = this.campaignCreateRefusals.shift();
        if (refusal) throw permanent(refusal.code, refusal.message);
        this.campaign = { sid: this.sid('QE'), status: this.campaignStatusOnCreate, errors: [] };
        this.campaignCreatedAt = this.clock();
        const verdict = this.campaignVerdicts.shift() ?? 'VERIFIED';
        if (this.campaignStatusOnCreate === 'PENDING') this.pendingVerdict = verdict;
        const answer = { ...this.campaign, created: true };
        await this.onCampaignCreated?.(this.campaign.sid);
        return answer;
      },
      fetchCampaign: async (input) => {
        this.count('fetchCampaign');
        const standard = this.standardCampaigns[input.messagingServiceSid];
        if (standard) {
          if (this.clock() >= standard.createdAt + this.campaignReviewMs && standard.verdict) {
            standard.status = standard.verdict;
            if (standard.verdict === 'FAILED')
              standard.errors = ['30909: CTA (message flow) cannot be verified'];
            standard.verdict = undefined;
          }
          return { sid: standard.sid, status: standard.status, errors: standard.errors, created: false };
        }
        if (!this.campaign) return undefined;
        if (this.clock() >= this.campaignCreatedAt + this.campaignReviewMs) this.revealVerdict();
        return { ...this.campaign, created: false };
      },
      deleteCampaign: async (input) => {
        this.count('deleteCampaign');
        if (this.standardCampaigns[input.messagingServiceSid]) {
          delete this.standardCampaigns[input.messagingServiceSid];
          return;
        }
        this.campaign = undefined;
      },
      ensurePhoneNumberInService: async (input) => {
        this.count('ensurePhoneNumberInService');
        if (!this.numbers.includes(input.phoneNumberSid)) this.numbers.push(input.phoneNumberSid);
        await this.onPhoneNumberAttached?.();
      },
      removePhoneNumberFromService: async (input) => {
        this.count('removePhoneNumberFromService');
        this.numbers = this.numbers.filter((n) => n !== input.phoneNumberSid);
      },
      ensureBusinessEndUser: async () => {
        this.count('ensureBusinessEndUser');
        return { sid: 'IT00000000000000000000000000000011' };
      },
      ensureRepresentativeEndUser: async (input) => {
        this.count('ensureRepresentativeEndUser');
        return { sid: `IT0000000000000000000000000000002${input.index}` };
      },
      ensureMessagingProfileEndUser: async () => {
        this.count('ensureMessagingProfileEndUser');
        return { sid: 'IT00000000000000000000000000000031' };
      },
      updateStandardEndUser: async () => {
        this.count('updateStandardEndUser');
      },
      listUsecases: async () => {
        this.count('listUsecases');
        return this.allowedUsecases.map((code) => ({ code, name: code, postApprovalRequired: false }));
      },
      ensureSubaccount: async () => {
        this.count('ensureSubaccount');
        return { accountSid: SUBACCOUNT_SID, created: this.calls.ensureSubaccount === 1 };
      },
      ensureNumberInAccount: async (input) => {
        this.count('ensureNumberInAccount');
        this.movedNumbers.push(input.phoneNumberSid);
      },
      ensureEventStream: async () => {
        this.count('ensureEventStream');
        return {
          sinkSid: 'DG00000000000000000000000000000001',
          subscriptionSid: 'DF00000000000000000000000000000001',
        };
      },
      associateExternalCampaign: async (input) => {
        this.count('associateExternalCampaign');
        if (this.campaign) return { sid: this.campaign.sid, campaignId: input.campaignId, created: false };
        this.associations.push({ campaignId: input.campaignId, at: this.clock() });
        this.campaign = { sid: 'QE2c6890da8086d771620e9b13fadeba0b', status: 'PENDING', errors: [] };
        return { sid: this.campaign.sid, campaignId: input.campaignId, created: true };
      },
    };
    // Records in which account (a customer's subaccount) each activity was asked to run.
    for (const name of Object.keys(fake) as (keyof Activities)[]) {
      const run = fake[name] as (input: { accountSid?: string }) => Promise<unknown>;
      (fake as Record<string, unknown>)[name] = (input: { accountSid?: string }) => {
        if (input?.accountSid) (this.accounts[name] ??= []).push(input.accountSid);
        return run(input);
      };
    }
    return fake;
  }

  /** The accounts each activity ran in, when its input named one. */
  accounts: Partial<Record<keyof Activities, string[]>> = {};

  pendingVerdict?: 'VERIFIED' | 'FAILED';

  /** The registration's own service (the first campaign's, for a Standard registration). */
  defaultService?: string;
  /** A Standard registration's services by name suffix, and its campaigns by service. */
  namedServices: Record<string, string> = {};
  standardCampaigns: Record<
    string,
    {
      sid: string;
      usecase: string;
      status: string;
      errors: string[];
      createdAt: number;
      verdict?: 'VERIFIED' | 'FAILED';
    }
  > = {};
  /** Campaigns created (paid), in order, with their service and use case. */
  createdCampaigns: { service: string; usecase: string }[] = [];

  private async ensureStandardCampaign(service: string, usecase: string): Promise<CampaignState> {
    const existing = this.standardCampaigns[service];
    if (existing)
      return { sid: existing.sid, status: existing.status, errors: existing.errors, created: false };
    const refusal = this.campaignCreateRefusals.shift();
    if (refusal) throw permanent(refusal.code, refusal.message);
    const c = {
      sid: this.sid('QE'),
      usecase,
      status: 'PENDING',
      errors: [],
      createdAt: this.clock(),
      verdict: this.campaignVerdicts.shift() ?? ('VERIFIED' as const),
    };
    this.standardCampaigns[service] = c;
    this.createdCampaigns.push({ service, usecase });
    await this.onCampaignCreated?.(c.sid);
    return { sid: c.sid, status: c.status, errors: [], created: true };
  }

  /** Twilio's review of the campaign has ended: its status shows the scripted verdict. */
  private revealVerdict() {
    if (!this.campaign || !this.pendingVerdict) return;
    this.campaign.status = this.pendingVerdict;
    if (this.pendingVerdict === 'FAILED')
      this.campaign.errors = ['30909: CTA (message flow) cannot be verified'];
    this.pendingVerdict = undefined;
  }

  private brandState(): Omit<BrandState, 'created'> {
    if (!this.brand) throw new Error('no brand yet');
    if (this.identityVerifiedAt !== undefined && this.clock() >= this.identityVerifiedAt)
      this.brand.identityStatus = 'VERIFIED';
    return {
      sid: this.brand.sid,
      status: this.brand.status,
      identityStatus: this.brand.identityStatus,
      errors: [],
      ...(this.brand.brandScore !== undefined ? { brandScore: this.brand.brandScore } : {}),
      ...(this.brand.feedback ? { feedback: this.brand.feedback } : {}),
    };
  }
}

function permanent(code: number, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: TWILIO_PERMANENT_ERROR,
    nonRetryable: true,
    message,
    details: [{ status: 400, code, message }],
  });
}
