import {
  BRAND_REASONS,
  BRAND_UNVERIFIED_REGISTRATION_NUMBER,
  DEFAULT_VETTING_SCORE,
  FEEDBACK_ERRORS,
  LOW_SCORE_MARKER,
  LOW_VETTING_SCORE,
  RUSSELL_3000_TICKERS,
  TWO_FA_AUTO_LOCAL,
  TWO_FA_AUTO_MS,
  TWO_FA_VALIDITY_MS,
  UNVETTED_BRAND_SCORE,
  VETTING_FAIL_MARKER,
  MANUAL_REVIEW_MARKER,
  SILENT_MOBILE,
  SUSPEND_MARKER,
  TCR_REJECT_MARKER,
  addressKey,
  registrationError,
} from '../outcomes';
import {
  addBrand,
  brandsWithBundle,
  brandsWithFact,
  newSid,
  removeBrand,
  type ReuseFact,
  setBrandFacts,
  type Brand,
  type BrandFacts,
  type RegistrationError,
  type Review,
  type StandardFacts,
} from '../state';
import { addressSidsOf } from '../trust-policies';
import { TwilioApiError, isoDate } from '../wire';
import { tcrId, type EngineCore } from './core';
import { ConflictError } from './errors';
import {
  brandFailure,
  brandRegistered,
  brandSecondaryVettingFailure,
  brandUnverified,
  brandVerified,
  brandVettedVerified,
  email2fa,
  type TwoFaEvent,
} from './events';
import type { Engine } from './index';

/**
 * 001 / reference README: a FAILED brand can be resubmitted "a limited number of times"; Twilio's
 * error 21724 ("Maximum number of brand update requests reached") does not say how many.
 */
export const MAX_BRAND_RESUBMISSIONS = 3;
/** 000: a mobile number verifies at most 3 brands; an email or address is used at most 10 times. */
export const TCR_LIMITS = { mobile: 3, email: 10, address: 10 } as const;

export interface BrandRequest {
  customerProfileBundleSid: string;
  a2pProfileBundleSid: string;
  brandType: Brand['brandType'];
  mock: boolean;
  skipAutomaticSecVet: boolean;
}

/**
 * BrandRegistrations (001, 000 step 3): TCR's review of a new or resubmitted brand, the reuse
 * limits TCR counts, the Sole Proprietor OTP (000 3.1 / 3.2, the customer's side included), and
 * the fees each submission costs.
 */
export class Brands {
  private readonly autoReplies = new Map<string, NodeJS.Timeout>();
  private readonly twoFaTimers = new Map<string, NodeJS.Timeout>();
  otpAutoReplyMs: number | null;

  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
    otpAutoReplyMs: number | null,
  ) {
    this.otpAutoReplyMs = otpAutoReplyMs;
    core.reviews.register('brand', {
      step: (review) => this.step(review),
      status: (sid) => this.core.state.brands[sid]?.status ?? 'deleted',
    });
    // Authentication+: the 2FA email times out 7 days after it was sent (sandbox clock).
    core.reviews.register('brand-2fa', {
      step: (review) => this.twoFaTimeout(review.subject),
      status: (sid) => this.core.state.brands[sid]?.twoFa?.state ?? 'deleted',
    });
  }

  private get state() {
    return this.core.state;
  }

  // ---- the REST resource

  create(request: BrandRequest): Brand {
    const now = this.core.now();
    const brand: Brand = {
      sid: newSid('BN'),
      ...request,
      status: 'PENDING',
      identityStatus: null,
      tcrId: null,
      failureReason: null,
      errors: [],
      brandScore: null,
      facts: null,
      registered: false,
      otp: null,
      resubmissions: 0,
      dateCreated: now,
      dateUpdated: now,
    };
    addBrand(this.state, brand);
    // 001: each create is a paid TCR registration; Standard brands also pay for secondary vetting.
    this.core.charge(brand.sid, 'brand-registration', `${brand.brandType} brand registration`, brand.mock);
    if (brand.brandType === 'STANDARD' && !brand.skipAutomaticSecVet)
      this.core.charge(brand.sid, 'secondary-vetting', 'automatic secondary vetting', brand.mock);
    this.core.reviews.schedule('brand', brand.sid, 'submitted', this.core.timings.brandReviewMs);
    return brand;
  }

  /** Oldest first. */
  list(): Brand[] {
    return Object.values(this.state.brands).sort((a, b) => a.dateCreated - b.dateCreated);
  }

  get(sid: string): Brand | undefined {
    return this.state.brands[sid];
  }

  /** 001 update = resubmission, allowed only while FAILED, a limited number of times. */
  update(brand: Brand): void {
    // Twilio error 21725: "Brand can only be updated when in FAILED state."
    if (brand.status !== 'FAILED')
      throw new TwilioApiError(
        400,
        21725,
        `Brand can only be updated when in FAILED state (brand ${brand.sid} is ${brand.status})`,
      );
    // Twilio error 21724: "Maximum number of brand update requests reached on this brand."
    if (brand.resubmissions >= MAX_BRAND_RESUBMISSIONS)
      throw new TwilioApiError(
        400,
        21724,
        `Maximum number of brand update requests reached on this brand (${brand.resubmissions})`,
      );
    brand.status = 'PENDING';
    brand.failureReason = null;
    brand.errors = [];
    brand.feedback = undefined;
    brand.resubmissions += 1;
    brand.dateUpdated = this.core.now();
    this.core.charge(brand.sid, 'brand-resubmission', `resubmission ${brand.resubmissions}`, brand.mock);
    this.core.reviews.schedule('brand', brand.sid, 'submitted', this.core.timings.brandReviewMs);
  }

  /** 000 3.2: re-send the OTP; "a fresh OTP for verification", valid another 24 hours. */
  resendOtp(brand: Brand): void {
    if (brand.brandType !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(400, 21709, 'OTP verification applies to SOLE_PROPRIETOR brands only');
    if (brand.status !== 'APPROVED' || brand.identityStatus !== 'UNVERIFIED')
      throw new TwilioApiError(
        400,
        21709,
        `Brand ${brand.sid} is not awaiting OTP verification (${brand.status}/${String(brand.identityStatus)})`,
      );
    this.sendOtp(brand);
  }

  // ---- TCR's review

  /** The brand approved and OTP-verified that registered with this bundle, if any. */
  verifiedBrandFor(bundleSid: string): Brand | undefined {
    return brandsWithBundle(this.state, bundleSid).find(
      (b) => b.status === 'APPROVED' && b.identityStatus === 'VERIFIED',
    );
  }

  /** What TCR counts a brand's reuse by. */
  facts(brand: Brand): BrandFacts {
    const trustHub = this.engine.trustHub;
    const users = [
      ...trustHub.assignedObjects(brand.a2pProfileBundleSid).endUsers,
      ...trustHub.assignedObjects(brand.customerProfileBundleSid).endUsers,
    ];
    const attr = (name: string) => {
      for (const u of users) {
        const v = u.attributes[name];
        if (typeof v === 'string' && v.trim()) return v.trim();
      }
      return null;
    };
    const docs = trustHub.assignedObjects(brand.customerProfileBundleSid).documents;
    const addressSid = docs.flatMap((d) => addressSidsOf(d.attributes))[0];
    const address = addressSid ? this.state.addresses[addressSid] : undefined;
    const email =
      attr('email') ??
      attr('brand_contact_email') ??
      this.state.bundles[brand.customerProfileBundleSid]?.email ??
      null;
    return {
      brandName: attr('brand_name') ?? attr('business_name'),
      mobile: attr('mobile_phone_number'),
      email: email ? email.toLowerCase() : null,
      addressKey: address ? addressKey(address) : null,
    };
  }

  /** Registered brands (other than this one) sharing a fact, as TCR counts them. */
  private reuse(brand: Brand, facts: BrandFacts, key: ReuseFact): number {
    const value = facts[key];
    if (!value) return 0;
    return brandsWithFact(this.state, key, value).filter((b) => b.sid !== brand.sid && b.registered).length;
  }

  private step(review: Review): void {
    const brand = this.state.brands[review.subject];
    if (!brand) return this.core.reviews.finish('brand', review.subject);
    if (review.stage === 'deletion') return this.finishDeletion(brand);
    const trustHub = this.engine.trustHub;
    // 000 3.1's failure reasons. The customer profile is checked first: a rejected profile also
    // makes the trust bundle that carries it noncompliant, and the profile is the cause.
    if (!trustHub.usable(brand.customerProfileBundleSid, 'customer-profile'))
      return this.fail(brand, BRAND_REASONS.customerProfile, [
        registrationError(30792, BRAND_REASONS.customerProfile, ['customer_profile_bundle_sid']),
      ]);
    if (!trustHub.usable(brand.a2pProfileBundleSid, 'trust-product'))
      return this.fail(brand, BRAND_REASONS.a2pBundle, [
        registrationError(30791, BRAND_REASONS.a2pBundle, ['a2p_profile_bundle_sid']),
      ]);
    const facts = this.facts(brand);
    setBrandFacts(this.state, brand, facts);
    if (review.stage === 'submitted' && facts.brandName?.includes(MANUAL_REVIEW_MARKER))
      return this.review(brand);
    const tcrErrors: RegistrationError[] = [];
    if (facts.brandName?.includes(TCR_REJECT_MARKER))
      tcrErrors.push(
        registrationError(30793, 'The Campaign Registry rejected the brand information.', ['brand_name']),
      );
    // 000: "This mobile number can only be used a maximum of three times" (sole proprietor brands).
    if (brand.brandType === 'SOLE_PROPRIETOR' && this.reuse(brand, facts, 'mobile') >= TCR_LIMITS.mobile)
      tcrErrors.push(
        registrationError(30794, 'The mobile phone number has been used for the maximum of 3 brands.', [
          'mobile_phone_number',
        ]),
      );
    // 000: "This email address can only be used a maximum of 10 times"; the address likewise.
    if (this.reuse(brand, facts, 'email') >= TCR_LIMITS.email)
      tcrErrors.push(
        registrationError(30794, 'The email address has been used for the maximum of 10 brands.', ['email']),
      );
    if (this.reuse(brand, facts, 'addressKey') >= TCR_LIMITS.address)
      tcrErrors.push(
        registrationError(30794, 'The address has been used for the maximum of 10 brands.', ['address_sids']),
      );
    if (tcrErrors.length > 0) return this.fail(brand, BRAND_REASONS.tcr, tcrErrors);
    if (
      brand.brandType === 'STANDARD' &&
      this.registrationNumber(brand) === BRAND_UNVERIFIED_REGISTRATION_NUMBER
    )
      return this.unverified(brand, ['TAX_ID']);
    if (facts.brandName?.includes(SUSPEND_MARKER)) {
      brand.registered = true;
      brand.tcrId = tcrId('B');
      return this.suspend(brand);
    }
    this.approve(brand);
  }

  private fail(brand: Brand, reason: string, errors: RegistrationError[]): void {
    brand.status = 'FAILED';
    brand.failureReason = reason;
    brand.errors = errors;
    brand.dateUpdated = this.core.now();
    this.core.reviews.finish('brand', brand.sid);
    this.core.emit(brandFailure(this.core, brand, errors));
    this.engine.campaigns.brandDecided(brand.sid);
  }

  private suspend(brand: Brand): void {
    brand.status = 'SUSPENDED';
    brand.dateUpdated = this.core.now();
    this.core.reviews.finish('brand', brand.sid);
    // Event Streams documents no suspension event: a suspended brand is seen by fetching it.
    this.engine.campaigns.brandDecided(brand.sid);
  }

  private approve(brand: Brand): void {
    brand.status = 'APPROVED';
    brand.registered = true;
    brand.tcrId = brand.tcrId ?? tcrId('B');
    brand.dateUpdated = this.core.now();
    this.core.reviews.finish('brand', brand.sid);
    if (brand.brandType === 'SOLE_PROPRIETOR') {
      // 000 3.1: "When the Sole Proprietor Brand first enters the APPROVED state, the identity_status will
      // still be UNVERIFIED. The change to the APPROVED state triggers a new SMS OTP".
      brand.identityStatus = 'UNVERIFIED';
      brand.brandScore = null;
      this.sendOtp(brand);
      if (brand.identityStatus === 'UNVERIFIED') this.core.emit(brandRegistered(this.core, brand));
      return;
    }
    brand.standard = this.standardFacts(brand);
    this.core.emit(brandRegistered(this.core, brand));
    // Authentication+ support article: public companies' brand contact gets a 2FA email; "Once the
    // 2FA is complete, the brand will transition to a VERIFIED state and will be allowed to register
    // campaigns". Until then its identity is UNVERIFIED (campaign creates are refused, 30991).
    if (brand.standard.companyType === 'public' && !brand.mock && brand.twoFa?.state !== 'completed')
      return this.send2fa(brand);
    this.finishStandard(brand);
  }

  /**
   * A STANDARD brand's identity: without secondary vetting (Low-Volume Standard, 001's
   * skip_automatic_sec_vet, or mock) VERIFIED with TCR's own score; with it VETTED_VERIFIED and the
   * vetting score, or, when vetting fails, still VERIFIED with a low score and `brand_feedback`
   * (the v2 secondary-vetting-failure example: identity `verified`, outcome `failed`).
   */
  private finishStandard(brand: Brand): void {
    const vetted = !brand.skipAutomaticSecVet && !brand.mock;
    const name = brand.facts?.brandName ?? '';
    brand.dateUpdated = this.core.now();
    if (!vetted) {
      brand.identityStatus = 'VERIFIED';
      brand.brandScore = UNVETTED_BRAND_SCORE;
      this.core.emit(brandVerified(this.core, brand));
    } else if (name.includes(VETTING_FAIL_MARKER)) {
      const companyType = brand.standard?.companyType;
      brand.feedback =
        companyType === 'public'
          ? ['STOCK_SYMBOL', 'TAX_ID']
          : companyType === 'government'
            ? ['GOVERNMENT_ENTITY']
            : ['TAX_ID'];
      brand.identityStatus = 'VERIFIED';
      brand.brandScore = LOW_VETTING_SCORE;
      const errors = brand.feedback.flatMap((f) => (FEEDBACK_ERRORS[f] ? [FEEDBACK_ERRORS[f]] : []));
      this.core.emit(brandSecondaryVettingFailure(this.core, brand, errors));
    } else {
      brand.identityStatus = 'VETTED_VERIFIED';
      brand.brandScore = name.includes(LOW_SCORE_MARKER) ? LOW_VETTING_SCORE : DEFAULT_VETTING_SCORE;
      this.core.emit(brandVettedVerified(this.core, brand));
    }
    this.ready(brand);
  }

  /** TCR could not verify the identity (brand-unverified, 30795 TAX_ID): the brand is FAILED. */
  private unverified(brand: Brand, feedback: string[]): void {
    const errors = feedback.flatMap((f) => (FEEDBACK_ERRORS[f] ? [FEEDBACK_ERRORS[f]] : []));
    brand.status = 'FAILED';
    brand.identityStatus = 'UNVERIFIED';
    brand.registered = true;
    brand.tcrId = brand.tcrId ?? tcrId('B');
    brand.feedback = feedback;
    brand.failureReason = errors[0]?.description ?? BRAND_REASONS.tcr;
    brand.errors = errors;
    brand.dateUpdated = this.core.now();
    this.core.reviews.finish('brand', brand.sid);
    this.core.emit(brandUnverified(this.core, brand, errors));
    this.engine.campaigns.brandDecided(brand.sid);
  }

  private endUserAttributes(bundleSid: string, type: string): Record<string, unknown> {
    return (
      this.engine.trustHub.assignedObjects(bundleSid).endUsers.find((u) => u.type === type)?.attributes ?? {}
    );
  }

  private registrationNumber(brand: Brand): unknown {
    return this.endUserAttributes(brand.customerProfileBundleSid, 'customer_profile_business_information')
      .business_registration_number;
  }

  /** 001's russell_3000, government_entity and tax_exempt_status, from the A2P messaging profile. */
  private standardFacts(brand: Brand): StandardFacts {
    const a = this.endUserAttributes(brand.a2pProfileBundleSid, 'us_a2p_messaging_profile_information');
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const companyType = str(a.company_type);
    const stockTicker = str(a.stock_ticker);
    return {
      companyType,
      stockTicker,
      brandContactEmail: str(a.brand_contact_email),
      russell3000:
        companyType === 'public' && stockTicker !== null && RUSSELL_3000_TICKERS.includes(stockTicker),
      governmentEntity: companyType === 'government',
      // 001's example shows "501c3"; the sandbox gives it to every non-profit.
      taxExemptStatus: companyType === 'non_profit' ? '501c3' : null,
    };
  }

  // ---- Authentication+ (public companies)

  private send2fa(brand: Brand): void {
    const now = this.core.now();
    brand.identityStatus = 'UNVERIFIED';
    brand.twoFa = {
      sentAt: now,
      expiresAt: now + TWO_FA_VALIDITY_MS,
      state: 'sent',
      sends: (brand.twoFa?.sends ?? 0) + 1,
    };
    brand.dateUpdated = now;
    this.core.emit(email2fa(this.core, brand, 'sent'));
    this.core.reviews.schedule('brand-2fa', brand.sid, 'sent', TWO_FA_VALIDITY_MS);
    const local = (brand.standard?.brandContactEmail ?? '').split('@')[0]?.toLowerCase();
    if (local === TWO_FA_AUTO_LOCAL && !this.core.closed) {
      const timer = setTimeout(() => {
        this.twoFaTimers.delete(brand.sid);
        const current = this.state.brands[brand.sid];
        if (current?.twoFa?.state === 'sent')
          this.core.batched(() => this.answer2fa(current.sid, 'complete'));
      }, TWO_FA_AUTO_MS);
      timer.unref();
      this.twoFaTimers.set(brand.sid, timer);
    }
  }

  /**
   * Control API: the brand contact acts on the 2FA email. `open` and `click` move it on one step
   * (email-2fa-opened / -clicked); `complete` does whatever is left and finishes Authentication+
   * (email-2fa-completed, the Authentication+ fee, then the identity and vetting); `timeout` lets
   * the 7 days pass.
   */
  answer2fa(sid: string, action: 'open' | 'click' | 'complete' | 'timeout'): Brand {
    const brand = this.state.brands[sid];
    if (!brand) throw new ConflictError(`no brand ${sid}`);
    const twoFa = brand.twoFa;
    if (!twoFa || twoFa.state === 'completed' || twoFa.state === 'timeout')
      throw new ConflictError(`brand ${sid} has no 2FA email awaiting an answer`);
    if (action === 'timeout') {
      this.twoFaTimeout(sid);
      this.core.changed();
      return brand;
    }
    const steps: TwoFaEvent[] = ['opened', 'clicked', 'completed'];
    const target: TwoFaEvent = action === 'open' ? 'opened' : action === 'click' ? 'clicked' : 'completed';
    const from = twoFa.state === 'sent' ? 0 : steps.indexOf(twoFa.state) + 1;
    const to = steps.indexOf(target);
    if (to < from) throw new ConflictError(`the 2FA email of brand ${sid} is already ${twoFa.state}`);
    for (const step of steps.slice(from, to + 1)) {
      twoFa.state = step;
      brand.dateUpdated = this.core.now();
      this.core.emit(email2fa(this.core, brand, step));
    }
    if (twoFa.state === 'completed') {
      this.core.reviews.finish('brand-2fa', sid);
      this.core.charge(brand.sid, 'authentication-plus', 'Authentication+ 2FA completed');
      this.finishStandard(brand);
    }
    this.core.changed();
    return brand;
  }

  /** Twilio error 21739: "2FA Verification Failed or Timed Out": the registration FAILED. */
  private twoFaTimeout(sid: string): void {
    const brand = this.state.brands[sid];
    this.core.reviews.finish('brand-2fa', sid);
    if (!brand?.twoFa || brand.twoFa.state === 'completed') return;
    brand.twoFa.state = 'timeout';
    this.core.emit(email2fa(this.core, brand, 'timeout'));
    this.fail(brand, '2FA Verification Failed or Timed Out', [
      registrationError(21739, 'Brand Registration Failure: 2FA Verification Failed or Timed Out', [
        'brand_contact_email',
      ]),
    ]);
  }

  /**
   * Brand 2FA Verification resource (POST /v1/a2p/BrandRegistrations/{sid}/2fa): "retrigger a 2FA
   * email for Authentication+"; the brand waits for the new email again.
   */
  retrigger2fa(brand: Brand): void {
    if (!brand.twoFa || brand.twoFa.state === 'completed')
      throw new TwilioApiError(
        400,
        21709,
        `Brand ${brand.sid} has no Authentication+ verification to retrigger`,
      );
    if (brand.twoFa.state !== 'timeout')
      throw new TwilioApiError(409, 21709, `The 2FA email of brand ${brand.sid} is still awaiting an answer`);
    brand.status = 'APPROVED';
    brand.failureReason = null;
    brand.errors = [];
    this.send2fa(brand);
  }

  /** Control API: TCR's decision on a brand under review, or a suspension. */
  /** 001 IN_REVIEW: the brand needs a closer look before TCR's decision, which then follows. */
  private review(brand: Brand): void {
    brand.status = 'IN_REVIEW';
    brand.dateUpdated = this.core.now();
    this.core.reviews.schedule('brand', brand.sid, 'in-review', this.core.timings.brandReviewMs);
  }

  /**
   * 001 DELETION_PENDING: a brand is deleted (through Twilio's Console or support: the API has no
   * DELETE); when the deletion completes the brand is gone, unless it fails (DELETION_FAILED).
   */
  private startDeletion(brand: Brand): void {
    if (brand.status === 'DELETION_PENDING')
      throw new ConflictError(`brand ${brand.sid} is already being deleted`);
    this.core.reviews.finish('brand', brand.sid);
    brand.status = 'DELETION_PENDING';
    brand.dateUpdated = this.core.now();
    this.core.reviews.schedule('brand', brand.sid, 'deletion', this.core.timings.brandReviewMs);
  }

  private finishDeletion(brand: Brand): void {
    this.core.reviews.finish('brand', brand.sid);
    removeBrand(this.state, brand);
  }

  decide(
    sid: string,
    decision: 'approve' | 'fail' | 'suspend' | 'review' | 'delete' | 'fail-deletion',
    opts: { reason?: string; errors?: RegistrationError[] } = {},
  ): Brand {
    const brand = this.state.brands[sid];
    if (!brand) throw new ConflictError(`no brand ${sid}`);
    const reviewing = brand.status === 'PENDING' || brand.status === 'IN_REVIEW';
    if (decision === 'delete') this.startDeletion(brand);
    else if (decision === 'fail-deletion') {
      if (brand.status !== 'DELETION_PENDING')
        throw new ConflictError(`brand ${sid} is ${brand.status}, not DELETION_PENDING`);
      this.core.reviews.finish('brand', brand.sid);
      brand.status = 'DELETION_FAILED';
      brand.dateUpdated = this.core.now();
    } else if (decision === 'review') {
      if (brand.status !== 'PENDING') throw new ConflictError(`brand ${sid} is ${brand.status}, not PENDING`);
      this.review(brand);
    } else if (decision === 'suspend') {
      if (brand.status !== 'APPROVED' && !reviewing)
        throw new ConflictError(`brand ${sid} is ${brand.status}`);
      brand.registered = true;
      this.suspend(brand);
    } else {
      if (!reviewing) throw new ConflictError(`brand ${sid} is ${brand.status}, not under review`);
      if (decision === 'approve') {
        setBrandFacts(this.state, brand, this.facts(brand));
        this.approve(brand);
      } else {
        const reason = opts.reason ?? BRAND_REASONS.tcr;
        this.fail(brand, reason, opts.errors ?? [registrationError(30793, reason, [])]);
      }
    }
    this.core.changed();
    return brand;
  }

  /** A brand that can carry campaigns: approve its sole proprietor bundles, release waiting campaigns. */
  private ready(brand: Brand): void {
    if (brand.brandType === 'SOLE_PROPRIETOR') {
      for (const sid of [brand.customerProfileBundleSid, brand.a2pProfileBundleSid]) {
        const bundle = this.state.bundles[sid];
        if (bundle && bundle.status === 'in-review') this.engine.trustHub.approve(bundle);
      }
    }
    this.engine.campaigns.brandDecided(brand.sid);
  }

  // ---- OTP (the customer's side)

  otpOpen(brand: Brand): boolean {
    return brand.status === 'APPROVED' && brand.identityStatus === 'UNVERIFIED' && brand.otp !== null;
  }

  otpExpired(brand: Brand): boolean {
    return brand.otp !== null && this.core.now() >= brand.otp.expiresAt;
  }

  /** 000 3.1 / 3.2: an OTP is valid for 24 hours; a re-send starts a fresh 24 hours. */
  private sendOtp(brand: Brand): void {
    const now = this.core.now();
    brand.otp = {
      sentAt: now,
      expiresAt: now + this.core.timings.otpValidityMs,
      answeredAt: null,
      sends: (brand.otp?.sends ?? 0) + 1,
    };
    this.scheduleAutoReply(brand);
  }

  private scheduleAutoReply(brand: Brand): void {
    const t = this.autoReplies.get(brand.sid);
    if (t) clearTimeout(t);
    this.autoReplies.delete(brand.sid);
    if (this.otpAutoReplyMs === null || this.core.closed || brand.facts?.mobile === SILENT_MOBILE) return;
    const account = this.core.accountSid;
    const timer = setTimeout(() => {
      this.autoReplies.delete(brand.sid);
      this.core.inAccount(account, () => {
        const current = this.state.brands[brand.sid];
        if (current && this.otpOpen(current) && !this.otpExpired(current)) this.answerOtp(current.sid);
      });
    }, this.otpAutoReplyMs);
    timer.unref();
    this.autoReplies.set(brand.sid, timer);
  }

  setOtpAutoReply(ms: number | null): void {
    this.otpAutoReplyMs = ms;
    for (const b of Object.values(this.state.brands)) if (this.otpOpen(b)) this.scheduleAutoReply(b);
  }

  /** The customer replies YES: identity VERIFIED, and the sole proprietor bundles become approved. */
  answerOtp(sid: string): Brand {
    const brand = this.state.brands[sid];
    if (!brand) throw new ConflictError(`no brand ${sid}`);
    if (!this.otpOpen(brand)) throw new ConflictError(`brand ${sid} has no OTP awaiting an answer`);
    if (this.otpExpired(brand))
      throw new ConflictError(`the OTP for brand ${sid} expired; re-send it with SmsOtp`);
    const otp = brand.otp;
    if (otp) otp.answeredAt = this.core.now();
    brand.identityStatus = 'VERIFIED';
    brand.dateUpdated = this.core.now();
    this.core.emit(brandVerified(this.core, brand));
    this.ready(brand);
    this.core.changed();
    return brand;
  }

  /** OTPs awaiting the customer, as the control API lists them next to the reviews. */
  pendingOtps() {
    return Object.values(this.state.brands)
      .filter((b) => this.otpOpen(b))
      .map((b) => ({
        id: `otp-${b.sid}`,
        kind: 'otp' as const,
        subject: b.sid,
        stage: this.otpExpired(b) ? 'expired' : 'sent',
        status: b.identityStatus ?? 'UNVERIFIED',
        dueAt: b.otp ? isoDate(b.otp.expiresAt) : null,
        waitingFor: 'the customer to reply YES',
      }));
  }

  // ---- lifecycle

  /** After a restart: auto-replies for OTPs still open. */
  rearm(): void {
    for (const b of Object.values(this.state.brands)) if (this.otpOpen(b)) this.scheduleAutoReply(b);
  }

  clearTimers(): void {
    for (const t of this.autoReplies.values()) clearTimeout(t);
    this.autoReplies.clear();
    for (const t of this.twoFaTimers.values()) clearTimeout(t);
    this.twoFaTimers.clear();
  }
}
