import { ApplicationFailure } from '@temporalio/common';
import type { Activities, BrandState, CampaignState } from '../../src/activities';
import { TWILIO_PERMANENT_ERROR } from '../../src/twilio/errors';

/**
 * An in-memory stand-in for the activities, for workflow-logic tests: it keeps the resources a
 * registration creates, counts every call, and lets a test script Twilio's answers.
 */
export class FakeTwilio {
  calls: Record<string, number> = {};
  bundles: Record<string, { kind: string; status: string; email: string }> = {};
  brand?: { sid: string; status: string; identityStatus: string };
  campaign?: { sid: string; status: string; errors: string[] };
  services: string[] = [];
  numbers: string[] = [];
  otpResends: number[] = [];
  /** When each external-campaign association was made (activity time). */
  associations: { campaignId: string; at: number }[] = [];
  endUserUpdates: string[] = [];
  addressUpdates = 0;
  /** Evaluations answer noncompliant this many times before compliant. */
  noncompliantEvaluations = 0;
  /** Brand status right after create, and what a fetch answers. */
  brandStatusOnCreate = 'PENDING';
  /** The next campaign submissions end in these statuses, in order (then VERIFIED). */
  campaignVerdicts: ('VERIFIED' | 'FAILED')[] = [];
  /** Status a fresh campaign reports before its verdict arrives. */
  campaignStatusOnCreate = 'PENDING';
  ensureBrandFailsOnce?: { code: number; message: string };
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
    const self = this;
    const fake: Activities = {
      async ensureBundle(input) {
        self.count('ensureBundle');
        const existing = Object.entries(self.bundles).find(([, b]) => b.kind === input.kind);
        if (existing) return { sid: existing[0], status: existing[1].status };
        const sid = self.sid('BU');
        self.bundles[sid] = { kind: input.kind, status: 'draft', email: input.email };
        return { sid, status: 'draft' };
      },
      async fetchBundle(input) {
        self.count('fetchBundle');
        return { sid: input.sid, status: self.bundles[input.sid]?.status ?? 'draft' };
      },
      async updateBundleEmail(input) {
        self.count('updateBundleEmail');
        const b = self.bundles[input.sid];
        if (b) b.email = input.email;
      },
      async ensureStarterProfileEndUser() {
        self.count('ensureStarterProfileEndUser');
        return { sid: 'IT00000000000000000000000000000001' };
      },
      async ensureSoleProprietorEndUser() {
        self.count('ensureSoleProprietorEndUser');
        return { sid: 'IT00000000000000000000000000000002' };
      },
      async updateEndUser(input) {
        self.count('updateEndUser');
        self.endUserUpdates.push(input.type);
      },
      async ensureAddress() {
        self.count('ensureAddress');
        return { sid: 'AD00000000000000000000000000000001' };
      },
      async updateAddress() {
        self.count('updateAddress');
        self.addressUpdates += 1;
      },
      async ensureAddressDocument() {
        self.count('ensureAddressDocument');
        return { sid: 'RD00000000000000000000000000000001' };
      },
      async ensureAssignments() {
        self.count('ensureAssignments');
      },
      async evaluateBundle() {
        self.count('evaluateBundle');
        if (self.noncompliantEvaluations > 0) {
          self.noncompliantEvaluations -= 1;
          return { status: 'noncompliant', failures: ['starter_customer_profile_information.email: invalid'] };
        }
        return { status: 'compliant', failures: [] };
      },
      async submitBundle(input) {
        self.count('submitBundle');
        const b = self.bundles[input.bundleSid];
        if (b && (b.status === 'draft' || b.status === 'twilio-rejected')) b.status = 'pending-review';
        return { sid: input.bundleSid, status: b?.status ?? 'pending-review' };
      },
      async deleteBundle() {
        self.count('deleteBundle');
      },
      async ensureBrand(): Promise<BrandState> {
        self.count('ensureBrand');
        if (self.ensureBrandFailsOnce) {
          const { code, message } = self.ensureBrandFailsOnce;
          self.ensureBrandFailsOnce = undefined;
          throw ApplicationFailure.create({
            type: TWILIO_PERMANENT_ERROR,
            nonRetryable: true,
            message,
            details: [{ status: 400, code, message }],
          });
        }
        if (self.brand) return { ...self.brandState(), created: false };
        self.brand = { sid: self.sid('BN'), status: self.brandStatusOnCreate, identityStatus: 'UNVERIFIED' };
        return { ...self.brandState(), created: true };
      },
      async fetchBrand() {
        self.count('fetchBrand');
        return { ...self.brandState(), created: false };
      },
      async resendBrandOtp() {
        self.count('resendBrandOtp');
        self.otpResends.push(self.clock());
      },
      async resubmitBrand() {
        self.count('resubmitBrand');
        const resubmitted = self.brand?.status === 'FAILED';
        if (self.brand && resubmitted) self.brand.status = 'PENDING';
        return { ...self.brandState(), created: false, resubmitted };
      },
      async ensureMessagingService() {
        self.count('ensureMessagingService');
        if (self.services.length === 0) self.services.push(self.sid('MG'));
        return { sid: self.services[0] as string, created: self.calls.ensureMessagingService === 1 };
      },
      async deleteMessagingService() {
        self.count('deleteMessagingService');
        self.services = [];
      },
      async ensureCampaign(): Promise<CampaignState> {
        self.count('ensureCampaign');
        if (self.campaign) return { ...self.campaign, created: false };
        self.campaign = { sid: self.sid('QE'), status: self.campaignStatusOnCreate, errors: [] };
        const verdict = self.campaignVerdicts.shift() ?? 'VERIFIED';
        if (self.campaignStatusOnCreate === 'PENDING') self.pendingVerdict = verdict;
        return { ...self.campaign, created: true };
      },
      async fetchCampaign() {
        self.count('fetchCampaign');
        if (!self.campaign) return undefined;
        if (self.pendingVerdict) {
          self.campaign.status = self.pendingVerdict;
          if (self.pendingVerdict === 'FAILED') self.campaign.errors = ['30909: CTA (message flow) cannot be verified'];
          self.pendingVerdict = undefined;
        }
        return { ...self.campaign, created: false };
      },
      async deleteCampaign() {
        self.count('deleteCampaign');
        self.campaign = undefined;
      },
      async ensurePhoneNumberInService(input) {
        self.count('ensurePhoneNumberInService');
        if (!self.numbers.includes(input.phoneNumberSid)) self.numbers.push(input.phoneNumberSid);
      },
      async removePhoneNumberFromService(input) {
        self.count('removePhoneNumberFromService');
        self.numbers = self.numbers.filter((n) => n !== input.phoneNumberSid);
      },
      async associateExternalCampaign(input) {
        self.count('associateExternalCampaign');
        if (self.campaign) return { sid: self.campaign.sid, campaignId: input.campaignId, created: false };
        self.associations.push({ campaignId: input.campaignId, at: self.clock() });
        self.campaign = { sid: 'QE2c6890da8086d771620e9b13fadeba0b', status: 'PENDING', errors: [] };
        return { sid: self.campaign.sid, campaignId: input.campaignId, created: true };
      },
    };
    return fake;
  }

  pendingVerdict?: 'VERIFIED' | 'FAILED';

  private brandState(): Omit<BrandState, 'created'> {
    if (!this.brand) throw new Error('no brand yet');
    return { sid: this.brand.sid, status: this.brand.status, identityStatus: this.brand.identityStatus, errors: [] };
  }
}
