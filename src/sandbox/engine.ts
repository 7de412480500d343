import { randomBytes } from 'node:crypto';
import { Deliverer, cloudEvent, type CloudEvent } from './callbacks';
import {
  ADDRESS_REASONS,
  BRAND_REASONS,
  DCA_REJECT_CAMPAIGN_ID,
  DCA_REJECT_FEEDBACK,
  SHARE_REJECT_CAMPAIGN_ID,
  SHARE_REJECT_FEEDBACK,
  SILENT_MOBILE,
  SUSPEND_MARKER,
  TCR_REJECT_MARKER,
  addressKey,
  addressRejection,
  campaignErrors,
  emailRejection,
  registrationError,
} from './outcomes';
import {
  POLICIES,
  SOLE_PROPRIETOR_POLICY,
  STARTER_PROFILE_POLICY,
  addressSidsOf,
  assignedObjects,
  evaluate,
  evaluationSummary,
} from './trust-policies';
import {
  initialState,
  loadState,
  saveState,
  type Brand,
  type BrandFacts,
  type Bundle,
  type BundleStatus,
  type Campaign,
  type FeeKind,
  type RegistrationError,
  type Review,
  type ReviewKind,
  type StateData,
} from './state';
import { isoDate } from './wire';

/** How long each automatic review takes (real time). Quick by default, for demos and tests. */
export interface SandboxTimings {
  /** pending-review → in-review (or twilio-rejected) for profiles and trust bundles. */
  bundleReviewMs: number;
  /** in-review → twilio-approved for Standard-path bundles (sole proprietor ones wait for the brand). */
  bundleApprovalMs: number;
  /** Brand PENDING → APPROVED / FAILED / SUSPENDED. */
  brandReviewMs: number;
  /** Each campaign step: PENDING → IN_PROGRESS, IN_PROGRESS → VERIFIED / FAILED. */
  campaignReviewMs: number;
  /** External campaign association PENDING → VERIFIED / FAILED (secondary DCA review). */
  externalReviewMs: number;
  /** Twilio's review of a campaign shared on TCR → CAMPAIGN_SHARE_ACCEPT / DELETE. */
  shareReviewMs: number;
  /** 000 3.1: "The OTP is valid for 24 hours." (sandbox clock) */
  otpValidityMs: number;
}

export const DEFAULT_TIMINGS: SandboxTimings = {
  bundleReviewMs: 300,
  bundleApprovalMs: 600,
  brandReviewMs: 500,
  campaignReviewMs: 400,
  externalReviewMs: 500,
  shareReviewMs: 300,
  otpValidityMs: 24 * 60 * 60_000,
};

/** Fees (reference README): brand registration ~$4, secondary vetting $40, campaign vetting $15. */
export const FEES: Record<FeeKind, number> = {
  'brand-registration': 4,
  'brand-resubmission': 4,
  'secondary-vetting': 40,
  'campaign-vetting': 15,
};

/** 001 / reference README: a FAILED brand can be resubmitted "a limited number of times". */
export const MAX_BRAND_RESUBMISSIONS = 3;
/** 000: a mobile number verifies at most 3 brands; an email or address is used at most 10 times. */
export const TCR_LIMITS = { mobile: 3, email: 10, address: 10 } as const;
/** 003: "Rate limit: One request per five seconds." */
export const EXTERNAL_ASSOCIATION_INTERVAL_MS = 5_000;

export const BRAND_EVENT = 'com.twilio.messaging.compliance.brand-registration.';
export const CAMPAIGN_EVENT = 'com.twilio.messaging.compliance.campaign-registration.';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  endpoint: string;
  status: number;
  durationMs: number;
  fault: string | null;
}

export interface EngineOptions {
  accountSid: string;
  authToken: string;
  stateFile?: string;
  eventSinkUrl?: string | null;
  tcrWebhookUrl?: string | null;
  tcrWebhookSecret?: string | null;
  timings?: Partial<SandboxTimings>;
  otpAutoReplyMs?: number | null;
  warn?: (message: string) => void;
}

export class ConflictError extends Error {}

function tcrId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return prefix + Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The sandbox's state and everything that changes it on its own: reviews that run after a delay
 * (real timers, unref'd) or when the control API advances or decides them, the customer's OTP
 * reply, callbacks and Event Streams events, and the fee ledger.
 */
export class Engine {
  state: StateData;
  timings: SandboxTimings;
  readonly accountSid: string;
  readonly authToken: string;
  eventSinkUrl: string | null;
  tcrWebhookUrl: string | null;
  tcrWebhookSecret: string | null;
  otpAutoReplyMs: number | null;
  readonly deliverer: Deliverer;
  requestLog: RequestLogEntry[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly autoReplies = new Map<string, NodeJS.Timeout>();
  private saveScheduled = false;
  private closed = false;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: EngineOptions) {
    this.accountSid = options.accountSid;
    this.authToken = options.authToken;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.eventSinkUrl = options.eventSinkUrl ?? null;
    this.tcrWebhookUrl = options.tcrWebhookUrl ?? null;
    this.tcrWebhookSecret = options.tcrWebhookSecret ?? null;
    this.otpAutoReplyMs = options.otpAutoReplyMs ?? null;
    this.warn = options.warn ?? (() => undefined);
    this.deliverer = new Deliverer(() => this.authToken, this.warn);
    this.state = options.stateFile ? loadState(options.stateFile, Date.now()) : initialState(Date.now());
    this.rearm();
  }

  // ---- clock, persistence, ledger

  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.state.clockOffsetMs += ms;
    // Reviews whose time has come on the sandbox clock run now.
    const due = Object.values(this.state.reviews)
      .filter((r) => r.dueAt !== null && r.dueAt <= this.now())
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
    for (const r of due) this.advance(r.id);
    this.changed();
  }

  changed(): void {
    if (!this.options.stateFile || this.saveScheduled || this.closed) return;
    this.saveScheduled = true;
    setImmediate(() => {
      this.saveScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (this.options.stateFile) saveState(this.options.stateFile, this.state);
  }

  charge(sid: string, kind: FeeKind, note: string, free = false): void {
    this.state.ledger.push({
      sid,
      kind,
      amountUsd: free ? 0 : FEES[kind],
      time: isoDate(this.now()),
      note: free ? `${note} (mock: not billed)` : note,
    });
  }

  reset(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.autoReplies.values()) clearTimeout(t);
    this.timers.clear();
    this.autoReplies.clear();
    this.state = initialState(Date.now());
    this.requestLog = [];
    this.deliverer.log.length = 0;
    this.changed();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.autoReplies.values()) clearTimeout(t);
    this.deliverer.close();
    this.flush();
  }

  // ---- reviews

  reviewId(kind: ReviewKind, subject: string): string {
    return `${kind}-${subject}`;
  }

  private schedule(kind: ReviewKind, subject: string, stage: string, delayMs: number): void {
    const id = this.reviewId(kind, subject);
    const existing = this.state.reviews[id];
    this.state.reviews[id] = {
      id,
      kind,
      subject,
      stage,
      dueAt: this.now() + delayMs,
      waitingFor: null,
      createdAt: existing?.createdAt ?? this.now(),
    };
    this.arm(id, delayMs);
  }

  private wait(kind: ReviewKind, subject: string, stage: string, waitingFor: string): void {
    const id = this.reviewId(kind, subject);
    this.disarm(id);
    const existing = this.state.reviews[id];
    this.state.reviews[id] = {
      id,
      kind,
      subject,
      stage,
      dueAt: null,
      waitingFor,
      createdAt: existing?.createdAt ?? this.now(),
    };
  }

  private finish(kind: ReviewKind, subject: string): void {
    const id = this.reviewId(kind, subject);
    this.disarm(id);
    delete this.state.reviews[id];
  }

  private arm(id: string, delayMs: number): void {
    this.disarm(id);
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        try {
          this.advance(id);
        } catch (err) {
          this.warn(`review ${id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  private disarm(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  /** After a restart: timers for the reviews still due, auto-replies for OTPs still open. */
  private rearm(): void {
    for (const r of Object.values(this.state.reviews))
      if (r.dueAt !== null) this.arm(r.id, r.dueAt - this.now());
    for (const b of Object.values(this.state.brands)) if (this.otpOpen(b)) this.scheduleAutoReply(b);
  }

  /** Moves a review on by one step, with the outcome its data selects. */
  advance(id: string): Review | undefined {
    const review = this.state.reviews[id];
    if (!review) throw new ConflictError(`no pending review ${id}`);
    if (review.dueAt === null)
      throw new ConflictError(
        `${id} is waiting for ${review.waitingFor ?? 'something else'}; decide it instead`,
      );
    switch (review.kind) {
      case 'bundle':
        this.stepBundle(review);
        break;
      case 'brand':
        this.stepBrand(review);
        break;
      case 'campaign':
        this.stepCampaign(review);
        break;
      case 'external-campaign':
        this.stepExternal(review);
        break;
      case 'campaign-share':
        this.stepShare(review);
        break;
    }
    this.changed();
    return this.state.reviews[id];
  }

  /** Runs every scheduled review until none is left to run (reviews waiting on others stay). */
  advanceAll(maxSteps = 1000): number {
    let steps = 0;
    for (;;) {
      const next = Object.values(this.state.reviews)
        .filter((r) => r.dueAt !== null)
        .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))[0];
      if (!next || steps >= maxSteps) return steps;
      this.advance(next.id);
      steps += 1;
    }
  }

  pendingReviews() {
    const reviews = Object.values(this.state.reviews).map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      stage: r.stage,
      status: this.subjectStatus(r),
      dueAt: r.dueAt === null ? null : isoDate(r.dueAt),
      waitingFor: r.waitingFor,
    }));
    const otps = Object.values(this.state.brands)
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
    return [...reviews, ...otps];
  }

  private subjectStatus(r: Review): string {
    switch (r.kind) {
      case 'bundle':
        return this.state.bundles[r.subject]?.status ?? 'deleted';
      case 'brand':
        return this.state.brands[r.subject]?.status ?? 'deleted';
      case 'campaign':
      case 'external-campaign':
        return this.state.campaigns[r.subject]?.status ?? 'deleted';
      case 'campaign-share':
        return this.state.shares[r.subject]?.status ?? 'deleted';
    }
  }

  // ---- bundles (customer profiles and trust products)

  setBundleStatus(bundle: Bundle, status: BundleStatus, failureReason: string | null = null): void {
    bundle.status = status;
    bundle.failureReason = failureReason;
    bundle.dateUpdated = this.now();
    if (!bundle.statusCallback) return;
    // Trust Hub status_callback: a form-encoded POST, signed like every Twilio webhook.
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      BundleSid: bundle.sid,
      Status: status,
      DateUpdated: isoDate(bundle.dateUpdated),
    };
    if (failureReason) params.FailureReason = failureReason;
    this.deliverer.statusCallback(bundle.statusCallback, params);
  }

  /** 000 1.8 / 2.6: the update to pending-review submits the bundle for review. */
  submitBundle(bundle: Bundle): void {
    this.setBundleStatus(bundle, 'pending-review');
    this.schedule('bundle', bundle.sid, 'submitted', this.timings.bundleReviewMs);
  }

  /** Why a submitted bundle is rejected, or null. */
  bundleRejection(bundle: Bundle): string | null {
    const objects = assignedObjects(this.state, bundle.sid);
    // 000 1.4: "If given address is not present: Address not found with sid AD…"
    for (const doc of objects.documents)
      for (const sid of addressSidsOf(doc.attributes))
        if (!this.state.addresses[sid]) return ADDRESS_REASONS.notFound(sid);
    const policy = POLICIES[bundle.policySid];
    if (policy) {
      const evaluation = evaluate(this.state, bundle, policy);
      // 004: "If it's non-compliant, it will automatically be rejected with a TWILIO_REJECTED status."
      if (evaluation.status === 'noncompliant') return evaluationSummary(evaluation.results);
    }
    if (bundle.kind === 'customer-profile') {
      // 000 1.2: the email is validated when the complete profile is submitted.
      const emails = [bundle.email, ...objects.endUsers.map((u) => u.attributes.email)].filter(
        (e): e is string => typeof e === 'string' && e.length > 0,
      );
      for (const e of emails) {
        const reason = emailRejection(e);
        if (reason) return reason;
      }
      // 000 1.4: the address is validated at the same time.
      for (const doc of objects.documents) {
        for (const sid of addressSidsOf(doc.attributes)) {
          const reason = addressRejection(sid, this.state.addresses[sid]);
          if (reason) return reason;
        }
      }
    }
    return null;
  }

  private isSoleProprietorBundle(bundle: Bundle): boolean {
    return bundle.policySid === STARTER_PROFILE_POLICY || bundle.policySid === SOLE_PROPRIETOR_POLICY;
  }

  private stepBundle(review: Review): void {
    const bundle = this.state.bundles[review.subject];
    if (!bundle) return this.finish('bundle', review.subject);
    if (review.stage === 'submitted') {
      const reason = this.bundleRejection(bundle);
      if (reason) {
        this.setBundleStatus(bundle, 'twilio-rejected', reason);
        return this.finish('bundle', bundle.sid);
      }
      this.setBundleStatus(bundle, 'in-review');
      if (this.isSoleProprietorBundle(bundle)) {
        // 000 1.8: "will only reach the twilio-approved status when a Brand is successfully created and OTP-verified"
        if (this.verifiedBrandFor(bundle.sid)) return this.approveBundle(bundle);
        return this.wait('bundle', bundle.sid, 'in-review', 'an OTP-verified sole proprietor brand');
      }
      return this.schedule('bundle', bundle.sid, 'in-review', this.timings.bundleApprovalMs);
    }
    this.approveBundle(bundle);
  }

  approveBundle(bundle: Bundle): void {
    this.setBundleStatus(bundle, 'twilio-approved');
    this.finish('bundle', bundle.sid);
  }

  decideBundle(sid: string, decision: 'approve' | 'reject', reason?: string): Bundle {
    const bundle = this.state.bundles[sid];
    if (!bundle) throw new ConflictError(`no bundle ${sid}`);
    if (bundle.status !== 'pending-review' && bundle.status !== 'in-review')
      throw new ConflictError(`bundle ${sid} is ${bundle.status}, not under review`);
    if (decision === 'approve') this.approveBundle(bundle);
    else {
      this.setBundleStatus(bundle, 'twilio-rejected', reason ?? 'Rejected by the sandbox control API.');
      this.finish('bundle', sid);
    }
    this.changed();
    return bundle;
  }

  private verifiedBrandFor(bundleSid: string): Brand | undefined {
    return Object.values(this.state.brands).find(
      (b) =>
        (b.customerProfileBundleSid === bundleSid || b.a2pProfileBundleSid === bundleSid) &&
        b.status === 'APPROVED' &&
        b.identityStatus === 'VERIFIED',
    );
  }

  // ---- brands

  registerBrand(brand: Brand): void {
    this.state.brands[brand.sid] = brand;
    // 001: each create is a paid TCR registration; Standard brands also pay for secondary vetting.
    this.charge(brand.sid, 'brand-registration', `${brand.brandType} brand registration`, brand.mock);
    if (brand.brandType === 'STANDARD' && !brand.skipAutomaticSecVet)
      this.charge(brand.sid, 'secondary-vetting', 'automatic secondary vetting', brand.mock);
    this.schedule('brand', brand.sid, 'submitted', this.timings.brandReviewMs);
  }

  resubmitBrand(brand: Brand): void {
    brand.status = 'PENDING';
    brand.failureReason = null;
    brand.errors = [];
    brand.resubmissions += 1;
    brand.dateUpdated = this.now();
    this.charge(brand.sid, 'brand-resubmission', `resubmission ${brand.resubmissions}`, brand.mock);
    this.schedule('brand', brand.sid, 'submitted', this.timings.brandReviewMs);
  }

  private bundleUsable(sid: string, kind: Bundle['kind']): boolean {
    const bundle = this.state.bundles[sid];
    if (!bundle || bundle.kind !== kind) return false;
    if (bundle.status === 'draft' || bundle.status === 'twilio-rejected') return false;
    const policy = POLICIES[bundle.policySid];
    return !policy || evaluate(this.state, bundle, policy).status === 'compliant';
  }

  brandFacts(brand: Brand): BrandFacts {
    const users = [
      ...assignedObjects(this.state, brand.a2pProfileBundleSid).endUsers,
      ...assignedObjects(this.state, brand.customerProfileBundleSid).endUsers,
    ];
    const attr = (name: string) => {
      for (const u of users) {
        const v = u.attributes[name];
        if (typeof v === 'string' && v.trim()) return v.trim();
      }
      return null;
    };
    const docs = assignedObjects(this.state, brand.customerProfileBundleSid).documents;
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
  private reuse(brand: Brand, facts: BrandFacts, key: keyof BrandFacts): number {
    const value = facts[key];
    if (!value) return 0;
    return Object.values(this.state.brands).filter(
      (b) => b.sid !== brand.sid && b.registered && b.facts?.[key] === value,
    ).length;
  }

  private stepBrand(review: Review): void {
    const brand = this.state.brands[review.subject];
    if (!brand) return this.finish('brand', review.subject);
    // 000 3.1's failure reasons. The customer profile is checked first: a rejected profile also
    // makes the trust bundle that carries it noncompliant, and the profile is the cause.
    if (!this.bundleUsable(brand.customerProfileBundleSid, 'customer-profile'))
      return this.failBrand(brand, BRAND_REASONS.customerProfile, [
        registrationError(30792, BRAND_REASONS.customerProfile, ['customer_profile_bundle_sid']),
      ]);
    if (!this.bundleUsable(brand.a2pProfileBundleSid, 'trust-product'))
      return this.failBrand(brand, BRAND_REASONS.a2pBundle, [
        registrationError(30791, BRAND_REASONS.a2pBundle, ['a2p_profile_bundle_sid']),
      ]);
    const facts = this.brandFacts(brand);
    brand.facts = facts;
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
    if (tcrErrors.length > 0) return this.failBrand(brand, BRAND_REASONS.tcr, tcrErrors);
    if (facts.brandName?.includes(SUSPEND_MARKER)) {
      brand.registered = true;
      brand.tcrId = tcrId('B');
      return this.suspendBrand(brand);
    }
    this.approveBrand(brand);
  }

  failBrand(brand: Brand, reason: string, errors: RegistrationError[]): void {
    brand.status = 'FAILED';
    brand.failureReason = reason;
    brand.errors = errors;
    brand.dateUpdated = this.now();
    this.finish('brand', brand.sid);
    this.brandEvent('brand-failure', brand, {
      failurereason: reason,
      brandregistrationerrors: errors.map((e) => ({
        registrationerrorcode: e.error_code,
        registrationerrordescription: e.description,
        registrationerrorurl: e.url,
        registrationerrorfields: e.fields,
      })),
    });
    this.campaignsOfBrand(brand.sid).forEach((c) => this.reviewCampaignIfWaiting(c));
  }

  suspendBrand(brand: Brand): void {
    brand.status = 'SUSPENDED';
    brand.dateUpdated = this.now();
    this.finish('brand', brand.sid);
    this.brandEvent('brand-suspended', brand, {});
    this.campaignsOfBrand(brand.sid).forEach((c) => this.reviewCampaignIfWaiting(c));
  }

  approveBrand(brand: Brand): void {
    brand.status = 'APPROVED';
    brand.registered = true;
    brand.tcrId = brand.tcrId ?? tcrId('B');
    brand.dateUpdated = this.now();
    this.finish('brand', brand.sid);
    if (brand.brandType === 'SOLE_PROPRIETOR') {
      // 000 3.1: "When the Sole Proprietor Brand first enters the APPROVED state, the identity_status will
      // still be UNVERIFIED. The change to the APPROVED state triggers a new SMS OTP".
      brand.identityStatus = 'UNVERIFIED';
      brand.brandScore = null;
      this.sendOtp(brand);
    } else {
      const vetted = !brand.skipAutomaticSecVet && !brand.mock;
      brand.identityStatus = vetted ? 'VETTED_VERIFIED' : 'VERIFIED';
      brand.brandScore = vetted ? 75 : 42;
    }
    this.brandEvent('brand-registered', brand, {});
    if (brand.identityStatus !== 'UNVERIFIED') this.brandReady(brand);
  }

  decideBrand(
    sid: string,
    decision: 'approve' | 'fail' | 'suspend',
    opts: { reason?: string; errors?: RegistrationError[] } = {},
  ): Brand {
    const brand = this.state.brands[sid];
    if (!brand) throw new ConflictError(`no brand ${sid}`);
    if (decision === 'suspend') {
      if (brand.status !== 'APPROVED' && brand.status !== 'PENDING')
        throw new ConflictError(`brand ${sid} is ${brand.status}`);
      brand.registered = true;
      this.suspendBrand(brand);
    } else {
      if (brand.status !== 'PENDING') throw new ConflictError(`brand ${sid} is ${brand.status}, not PENDING`);
      if (decision === 'approve') {
        brand.facts = this.brandFacts(brand);
        this.approveBrand(brand);
      } else {
        const reason = opts.reason ?? BRAND_REASONS.tcr;
        this.failBrand(brand, reason, opts.errors ?? [registrationError(30793, reason, [])]);
      }
    }
    this.changed();
    return brand;
  }

  private brandEvent(name: string, brand: Brand, extra: Record<string, unknown>): void {
    this.emit(
      cloudEvent(
        BRAND_EVENT + name,
        `/v1/a2p/BrandRegistrations/${brand.sid}`,
        {
          accountsid: this.accountSid,
          brandsid: brand.sid,
          brandstatus: brand.status,
          identitystatus: brand.identityStatus ?? undefined,
          brandtype: brand.brandType,
          externalbrandid: brand.tcrId ?? undefined,
          createddate: brand.dateCreated,
          updateddate: brand.dateUpdated,
          timestamp: isoDate(this.now()),
          ...extra,
        },
        new Date(this.now()),
      ),
    );
  }

  // ---- OTP (the customer's side)

  otpOpen(brand: Brand): boolean {
    return brand.status === 'APPROVED' && brand.identityStatus === 'UNVERIFIED' && brand.otp !== null;
  }

  otpExpired(brand: Brand): boolean {
    return brand.otp !== null && this.now() >= brand.otp.expiresAt;
  }

  /** 000 3.1 / 3.2: an OTP is valid for 24 hours; a re-send starts a fresh 24 hours. */
  sendOtp(brand: Brand): void {
    const now = this.now();
    brand.otp = {
      sentAt: now,
      expiresAt: now + this.timings.otpValidityMs,
      answeredAt: null,
      sends: (brand.otp?.sends ?? 0) + 1,
    };
    this.scheduleAutoReply(brand);
  }

  private scheduleAutoReply(brand: Brand): void {
    const t = this.autoReplies.get(brand.sid);
    if (t) clearTimeout(t);
    this.autoReplies.delete(brand.sid);
    if (this.otpAutoReplyMs === null || this.closed || brand.facts?.mobile === SILENT_MOBILE) return;
    const timer = setTimeout(() => {
      this.autoReplies.delete(brand.sid);
      const current = this.state.brands[brand.sid];
      if (current && this.otpOpen(current) && !this.otpExpired(current)) {
        this.answerOtp(current.sid);
      }
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
    if (otp) otp.answeredAt = this.now();
    brand.identityStatus = 'VERIFIED';
    brand.dateUpdated = this.now();
    this.brandEvent('brand-verified', brand, {});
    this.brandReady(brand);
    this.changed();
    return brand;
  }

  /** A brand that can carry campaigns: approve its sole proprietor bundles, release waiting campaigns. */
  private brandReady(brand: Brand): void {
    if (brand.brandType === 'SOLE_PROPRIETOR') {
      for (const sid of [brand.customerProfileBundleSid, brand.a2pProfileBundleSid]) {
        const bundle = this.state.bundles[sid];
        if (bundle && bundle.status === 'in-review') this.approveBundle(bundle);
      }
    }
    this.campaignsOfBrand(brand.sid).forEach((c) => this.reviewCampaignIfWaiting(c));
  }

  // ---- campaigns

  campaignsOfBrand(brandSid: string): Campaign[] {
    return Object.values(this.state.campaigns).filter((c) => c.brandRegistrationSid === brandSid);
  }

  submitCampaign(campaign: Campaign, free: boolean): void {
    this.state.campaigns[campaign.sid] = campaign;
    // 002: "Creating this resource submits the Campaign for review and incurs fees."
    this.charge(campaign.sid, 'campaign-vetting', 'campaign vetting', free);
    this.schedule('campaign', campaign.sid, 'submitted', this.timings.campaignReviewMs);
  }

  private reviewCampaignIfWaiting(c: Campaign): void {
    const review = this.state.reviews[this.reviewId('campaign', c.sid)];
    if (review && review.dueAt === null)
      this.schedule('campaign', c.sid, 'in-progress', this.timings.campaignReviewMs);
  }

  private stepCampaign(review: Review): void {
    const c = this.state.campaigns[review.subject];
    if (!c) return this.finish('campaign', review.subject);
    if (review.stage === 'submitted') {
      // 000 5.1: "Once TCR has begun its own review process ... the Campaign will be IN_PROGRESS"
      this.setCampaignStatus(c, 'IN_PROGRESS');
      return this.schedule('campaign', c.sid, 'in-progress', this.timings.campaignReviewMs);
    }
    const brand = c.brandRegistrationSid ? this.state.brands[c.brandRegistrationSid] : undefined;
    if (!brand || brand.status === 'FAILED' || brand.status === 'SUSPENDED') {
      return this.failCampaign(c, [
        registrationError(30795, 'The brand of this campaign is not registered (FAILED or SUSPENDED).', [
          'BRAND_REGISTRATION_SID',
        ]),
      ]);
    }
    if (brand.status !== 'APPROVED' || brand.identityStatus === 'UNVERIFIED')
      return this.wait('campaign', c.sid, 'in-progress', `brand ${brand.sid} to be approved and verified`);
    const errors = campaignErrors(c);
    if (errors.length > 0) return this.failCampaign(c, errors);
    this.verifyCampaign(c);
  }

  private setCampaignStatus(c: Campaign, status: Campaign['status']): void {
    c.status = status;
    c.dateUpdated = this.now();
  }

  verifyCampaign(c: Campaign): void {
    this.setCampaignStatus(c, 'VERIFIED');
    c.errors = [];
    this.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    this.campaignEvent('campaign-approved', c, {});
  }

  failCampaign(c: Campaign, errors: RegistrationError[]): void {
    this.setCampaignStatus(c, 'FAILED');
    c.errors = errors;
    this.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    this.campaignEvent('campaign-failure', c, {
      failurereason: errors.map((e) => e.description).join('; '),
    });
  }

  decideCampaign(sidOrService: string, decision: 'verify' | 'fail', errors?: RegistrationError[]): Campaign {
    const c =
      this.state.campaigns[sidOrService] ??
      Object.values(this.state.campaigns).find((x) => x.messagingServiceSid === sidOrService);
    if (!c) throw new ConflictError(`no campaign ${sidOrService}`);
    if (c.status !== 'PENDING' && c.status !== 'IN_PROGRESS')
      throw new ConflictError(`campaign ${c.sid} is ${c.status}, not under review`);
    if (decision === 'verify') {
      if (c.external) this.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
      this.verifyCampaign(c);
    } else {
      if (c.external) {
        this.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
        this.tcrEvent('CAMPAIGN_SHARE_DELETE', c.campaignId, DCA_REJECT_FEEDBACK);
      }
      this.failCampaign(
        c,
        errors ?? [
          registrationError(30896, 'Campaign rejected by the sandbox control API.', ['MESSAGE_FLOW']),
        ],
      );
    }
    this.changed();
    return c;
  }

  removeCampaign(c: Campaign): void {
    delete this.state.campaigns[c.sid];
    this.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
  }

  private campaignEvent(name: string, c: Campaign, extra: Record<string, unknown>): void {
    this.emit(
      cloudEvent(
        CAMPAIGN_EVENT + name,
        `/v1/Services/${c.messagingServiceSid}/Compliance/Usa2p/${c.sid}`,
        {
          accountsid: this.accountSid,
          campaignsid: c.sid,
          externalcampaignid: c.campaignId,
          messagingservicesid: c.messagingServiceSid,
          brandsid: c.brandRegistrationSid ?? undefined,
          campaignregistrationstatus: c.status,
          createddate: c.dateCreated,
          updateddate: c.dateUpdated,
          timestamp: isoDate(this.now()),
          ...extra,
        },
        new Date(this.now()),
      ),
    );
  }

  // ---- external campaigns (003)

  associateExternal(c: Campaign): void {
    const last = this.state.lastExternalAssociationAt;
    // 003: "One request per five seconds. Failures resulting from exceeding this limit are asynchronous"
    c.rateLimited = last !== null && this.now() - last < EXTERNAL_ASSOCIATION_INTERVAL_MS;
    this.state.lastExternalAssociationAt = this.now();
    this.state.campaigns[c.sid] = c;
    this.schedule('external-campaign', c.sid, 'submitted', this.timings.externalReviewMs);
  }

  private stepExternal(review: Review): void {
    const c = this.state.campaigns[review.subject];
    if (!c) return this.finish('external-campaign', review.subject);
    if (c.rateLimited)
      return this.failCampaign(c, [
        registrationError(
          30897,
          'The association request exceeded the rate limit of one request per five seconds; delete the association and reshare the campaign.',
          [],
        ),
      ]);
    // 003: "Twilio will bill the $15 vetting fee for each review conducted by the secondary DCA."
    this.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
    if (c.campaignId === DCA_REJECT_CAMPAIGN_ID) {
      this.tcrEvent('CAMPAIGN_SHARE_DELETE', c.campaignId, DCA_REJECT_FEEDBACK);
      return this.failCampaign(c, [registrationError(30902, DCA_REJECT_FEEDBACK, [])]);
    }
    this.verifyCampaign(c);
  }

  /** The ISV shares a TCR campaign with Twilio as DCA; Twilio reviews it (003 step 3–4). */
  shareCampaign(campaignId: string): void {
    const now = this.now();
    const existing = this.state.shares[campaignId];
    this.state.shares[campaignId] = {
      campaignId,
      status: 'PENDING',
      feedback: null,
      dateCreated: existing?.dateCreated ?? now,
      dateUpdated: now,
    };
    this.schedule('campaign-share', campaignId, 'shared', this.timings.shareReviewMs);
    this.changed();
  }

  private stepShare(review: Review): void {
    if (review.subject === SHARE_REJECT_CAMPAIGN_ID)
      this.decideShare(review.subject, 'delete', SHARE_REJECT_FEEDBACK);
    else this.decideShare(review.subject, 'accept');
  }

  decideShare(campaignId: string, decision: 'accept' | 'delete', feedback?: string): void {
    const share = this.state.shares[campaignId];
    if (!share) throw new ConflictError(`campaign ${campaignId} was not shared`);
    share.status = decision === 'accept' ? 'ACCEPTED' : 'DELETED';
    share.feedback = decision === 'delete' ? (feedback ?? 'Rejected by Twilio review.') : null;
    share.dateUpdated = this.now();
    this.finish('campaign-share', campaignId);
    this.tcrEvent(
      decision === 'accept' ? 'CAMPAIGN_SHARE_ACCEPT' : 'CAMPAIGN_SHARE_DELETE',
      campaignId,
      share.feedback,
    );
    this.changed();
  }

  private tcrEvent(
    type: 'CAMPAIGN_SHARE_ACCEPT' | 'CAMPAIGN_SHARE_DELETE',
    campaignId: string,
    feedback: string | null,
  ): void {
    if (!this.tcrWebhookUrl) return;
    this.deliverer.tcr(this.tcrWebhookUrl, this.tcrWebhookSecret, {
      eventType: type,
      id: `TCR${randomBytes(8).toString('hex')}`,
      campaignId,
      cspId: 'SSANDBX',
      dcaId: 'TWILIO',
      timestamp: isoDate(this.now()),
      ...(feedback ? { description: feedback } : {}),
    });
  }

  // ---- Event Streams

  private emit(event: CloudEvent): void {
    // Event Streams sends `null` fields as absent; drop undefined ones from the data.
    event.data = Object.fromEntries(Object.entries(event.data).filter(([, v]) => v !== undefined));
    if (this.eventSinkUrl) this.deliverer.events(this.eventSinkUrl, [event]);
  }
}
