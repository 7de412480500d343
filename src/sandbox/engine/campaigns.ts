import { DCA_REJECT_FEEDBACK, LOW_SCORE_THRESHOLD, campaignErrors, registrationError } from '../outcomes';
import { newSid, type Brand, type Campaign, type RegistrationError, type Review } from '../state';
import { TwilioApiError, invalidParam } from '../wire';
import { tcrId, type EngineCore } from './core';
import { ConflictError } from './errors';
import { campaignEvent } from './events';
import type { Engine } from './index';

export interface Usecase {
  code: string;
  name: string;
  description: string;
  /** Usecases resource: "post_approval_required (indicates whether or not post approval is required for this Use Case)". */
  postApprovalRequired?: boolean;
}

/**
 * Special use cases, offered only to the brands they are meant for and marked as needing post
 * approval. Which brand gets which is the sandbox's choice (the Usecases page documents the field,
 * not the rule): CHARITY for non-profits, EMERGENCY for government entities.
 */
export const SPECIAL_USECASES: { usecase: Usecase; for: 'non_profit' | 'government' }[] = [
  {
    for: 'non_profit',
    usecase: {
      code: 'CHARITY',
      name: 'Charity',
      description: 'Includes: 5013C Charity. Does not include: Religious organizations',
      postApprovalRequired: true,
    },
  },
  {
    for: 'government',
    usecase: {
      code: 'EMERGENCY',
      name: 'Emergency',
      description: 'Notification services designed to support public safety',
      postApprovalRequired: true,
    },
  },
];

/**
 * Twilio error 30930: "Campaign rejected: Brand campaign limit of 100 reached ... The Campaign
 * Registry enforces this limit per brand."
 */
export const MAX_CAMPAIGNS_PER_BRAND = 100;

/** 002: "Examples: [ 2FA, EMERGENCY, MARKETING, SOLE_PROPRIETOR...]" — the Standard use cases. */
export const STANDARD_USECASES: Usecase[] = [
  {
    code: '2FA',
    name: 'Two-Factor authentication (2FA)',
    description: 'Two-Factor authentication, one-time use password, password reset',
  },
  {
    code: 'ACCOUNT_NOTIFICATION',
    name: 'Account Notification',
    description: 'All reminders, alerts, and notifications',
  },
  {
    code: 'CUSTOMER_CARE',
    name: 'Customer Care',
    description: 'All customer care messaging, including account management and support',
  },
  {
    code: 'DELIVERY_NOTIFICATION',
    name: 'Delivery Notification',
    description: 'Information about the status of the delivery of a product or service',
  },
  {
    code: 'FRAUD_ALERT',
    name: 'Fraud Alert Messaging',
    description: 'Messaging about potential fraudulent activity',
  },
  {
    code: 'HIGHER_EDUCATION',
    name: 'Higher Education',
    description: 'Messaging created on behalf of colleges, universities and school districts',
  },
  {
    code: 'LOW_VOLUME',
    name: 'Low Volume Mixed',
    description: 'Low throughput, any combination of use-cases',
  },
  {
    code: 'MARKETING',
    name: 'Marketing',
    description: 'Any communication with marketing and/or promotional content',
  },
  {
    code: 'MIXED',
    name: 'Mixed',
    description: 'Mixed messaging reserved for specific consumer service industry',
  },
  {
    code: 'POLLING_VOTING',
    name: 'Polling and voting',
    description: 'Requesting or collecting end user feedback',
  },
  {
    code: 'PUBLIC_SERVICE_ANNOUNCEMENT',
    name: 'Public Service Announcement',
    description: 'Public service announcements',
  },
  {
    code: 'SECURITY_ALERT',
    name: 'Security Alert',
    description: 'A notification that the security of a system has been compromised',
  },
];
export const SOLE_PROPRIETOR_USECASE: Usecase = {
  code: 'SOLE_PROPRIETOR',
  name: 'Sole Proprietor',
  description: 'Limited to individuals or small businesses without a Tax ID',
};

// 002 / 000 5: Twilio's default opt-out values when the caller does not manage opt-out.
const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const DEFAULT_HELP_KEYWORDS = ['HELP', 'INFO'];
const DEFAULT_OPT_IN_KEYWORDS = ['START'];
const DEFAULT_OPT_OUT_MESSAGE =
  'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.';
const DEFAULT_HELP_MESSAGE = 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.';
const DEFAULT_OPT_IN_MESSAGE = 'You are now opted-in. For help, reply HELP. To opt-out, reply STOP';

/** A campaign create request whose parameters are well-formed (002's field rules hold). */
export interface CampaignRequest {
  brandRegistrationSid: string;
  usecase: string;
  description: string | null;
  messageFlow: string | null;
  messageSamples: string[];
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  subscriberOptIn: boolean | undefined;
  ageGated: boolean | undefined;
  directLending: boolean | undefined;
  optInMessage: string | null;
  optOutMessage: string | null;
  helpMessage: string | null;
  optInKeywords: string[] | null;
  optOutKeywords: string[] | null;
  helpKeywords: string[] | null;
  privacyPolicyUrl?: string | null;
  termsAndConditionsUrl?: string | null;
}

/** A brand that is registered, or may still become so (000: campaigns need not wait for approval). */
function registrable(b: Brand): boolean {
  return b.status === 'APPROVED' || b.status === 'PENDING' || b.status === 'IN_REVIEW';
}

/**
 * UsAppToPerson campaigns (002, 000 step 5): what may be registered for which brand, TCR's review
 * (PENDING → IN_PROGRESS → VERIFIED / FAILED), the verdict for external associations too, and
 * deletion.
 */
export class Campaigns {
  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
  ) {
    core.reviews.register('campaign', {
      step: (review) => this.step(review),
      status: (sid) => this.core.state.campaigns[sid]?.status ?? 'deleted',
    });
    core.reviews.register('campaign-deletion', {
      step: (review) => {
        const c = this.state.campaigns[review.subject];
        if (c) this.remove(c);
        else this.core.reviews.finish('campaign-deletion', review.subject);
      },
      status: (sid) => this.core.state.campaigns[sid]?.status ?? 'deleted',
    });
  }

  private get state() {
    return this.core.state;
  }

  ofBrand(brandSid: string): Campaign[] {
    return Object.values(this.state.campaigns).filter((c) => c.brandRegistrationSid === brandSid);
  }

  /** A service holds at most one campaign. */
  ofService(serviceSid: string): Campaign | undefined {
    return Object.values(this.state.campaigns).find((c) => c.messagingServiceSid === serviceSid);
  }

  /** 000 5.1 / 002: fetched at its own SID or at the fixed compliance SID `fixedSid`. */
  find(serviceSid: string, sid: string, fixedSid: string): Campaign | undefined {
    return Object.values(this.state.campaigns).find(
      (c) => c.messagingServiceSid === serviceSid && (sid === fixedSid || c.sid === sid),
    );
  }

  byTcrId(campaignId: string): Campaign | undefined {
    return Object.values(this.state.campaigns).find((c) => c.campaignId === campaignId);
  }

  /**
   * The use cases a brand may register (all Standard ones without a brand). Usecases resource:
   * "The Use Cases API returns an empty list if there is an issue with the customer's A2P brand
   * registration": a FAILED, suspended or not-yet-verified brand gets none. A brand whose score is
   * below {@link LOW_SCORE_THRESHOLD} is offered only LOW_VOLUME (sandbox's choice); non-profits
   * and government entities get their special use case too.
   */
  usecasesFor(brand: Brand | undefined): Usecase[] {
    if (!brand) return STANDARD_USECASES;
    if (brand.brandType === 'SOLE_PROPRIETOR') return [SOLE_PROPRIETOR_USECASE];
    if (brand.status === 'PENDING' || brand.status === 'IN_REVIEW') return STANDARD_USECASES;
    if (brand.status !== 'APPROVED' || brand.identityStatus === 'UNVERIFIED') return [];
    if (brand.brandScore !== null && brand.brandScore < LOW_SCORE_THRESHOLD)
      return STANDARD_USECASES.filter((u) => u.code === 'LOW_VOLUME');
    const companyType = brand.standard?.companyType;
    const special = SPECIAL_USECASES.filter((s) => s.for === companyType).map((s) => s.usecase);
    return [...STANDARD_USECASES, ...special];
  }

  create(serviceSid: string, r: CampaignRequest): Campaign {
    const b = this.engine.brands.get(r.brandRegistrationSid);
    if (!b) throw new TwilioApiError(400, 21706, `Brand Registration ${r.brandRegistrationSid} not found`);
    // 002: "SOLE_PROPRIETOR campaign use cases can only be created by SOLE_PROPRIETOR Brands, and there can
    // only be one SOLE_PROPRIETOR campaign created per SOLE_PROPRIETOR Brand." 000 5: it is the only
    // valid use case for a Sole Proprietor brand.
    if (r.usecase === 'SOLE_PROPRIETOR' && b.brandType !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(
        400,
        21703,
        'The SOLE_PROPRIETOR use case is only available to SOLE_PROPRIETOR brands',
      );
    if (b.brandType === 'SOLE_PROPRIETOR' && r.usecase !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(
        400,
        21703,
        `A SOLE_PROPRIETOR brand can only register the SOLE_PROPRIETOR use case, not ${r.usecase}`,
      );
    const known = [...STANDARD_USECASES, ...SPECIAL_USECASES.map((s) => s.usecase)];
    if (r.usecase !== 'SOLE_PROPRIETOR' && !known.some((u) => u.code === r.usecase))
      throw invalidParam('UsAppToPersonUsecase', `unknown use case ${r.usecase}`);
    // Twilio error 21717: the Brand Registration SID "is not registered or ... is not valid".
    if (!registrable(b))
      throw new TwilioApiError(
        400,
        21717,
        `Brand Registration ${b.sid} is not registered (${b.status}); campaigns cannot be registered for it`,
      );
    // 000 3.1: "You will need to wait until the Sole Proprietor Brand is approved and verified before
    // moving on to Step 4." Twilio error 30991: "The Brand of this Campaign is in an unverified status.
    // Campaign registrations under unverified brands is not allowed."
    if (b.identityStatus === 'UNVERIFIED')
      throw new TwilioApiError(
        400,
        30991,
        `The Brand of this Campaign is in an unverified status. Campaign registrations under unverified brands is not allowed. (${b.sid})`,
      );
    // Twilio error 21717: "The Brand Registration SID is not valid for the given use case"; the
    // brand's use cases are the Usecases resource's list for it.
    if (b.brandType === 'STANDARD' && !this.usecasesFor(b).some((u) => u.code === r.usecase))
      throw new TwilioApiError(
        400,
        21717,
        `Brand Registration ${b.sid} is not valid for the use case ${r.usecase}; GET Compliance/Usa2p/Usecases?BrandRegistrationSid=${b.sid} lists the ones it may use`,
      );
    if (r.usecase === 'SOLE_PROPRIETOR' && this.ofBrand(b.sid).length > 0)
      throw new TwilioApiError(409, 21704, `Sole Proprietor brand ${b.sid} already has its one campaign`);
    if (this.ofBrand(b.sid).length >= MAX_CAMPAIGNS_PER_BRAND)
      throw new TwilioApiError(
        400,
        30930,
        `Campaign rejected: Brand campaign limit of ${MAX_CAMPAIGNS_PER_BRAND} reached (${b.sid})`,
      );
    this.refuseIfOccupied(serviceSid);

    const selfManaged =
      r.optOutKeywords !== null ||
      r.optOutMessage !== null ||
      r.helpKeywords !== null ||
      r.helpMessage !== null;
    const now = this.core.now();
    const c: Campaign = {
      sid: newSid('QE'),
      eventSid: newSid('CM'),
      messagingServiceSid: serviceSid,
      brandRegistrationSid: b.sid,
      campaignId: tcrId('C'),
      external: false,
      description: r.description,
      messageFlow: r.messageFlow,
      messageSamples: r.messageSamples,
      usecase: r.usecase,
      hasEmbeddedLinks: r.hasEmbeddedLinks,
      hasEmbeddedPhone: r.hasEmbeddedPhone,
      subscriberOptIn: r.subscriberOptIn ?? true,
      ageGated: r.ageGated ?? false,
      directLending: r.directLending ?? false,
      optInMessage: r.optInMessage ?? DEFAULT_OPT_IN_MESSAGE,
      optOutMessage: r.optOutMessage ?? (selfManaged ? null : DEFAULT_OPT_OUT_MESSAGE),
      helpMessage: r.helpMessage ?? (selfManaged ? null : DEFAULT_HELP_MESSAGE),
      optInKeywords: r.optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS,
      optOutKeywords: r.optOutKeywords ?? (selfManaged ? [] : DEFAULT_OPT_OUT_KEYWORDS),
      helpKeywords: r.helpKeywords ?? (selfManaged ? [] : DEFAULT_HELP_KEYWORDS),
      privacyPolicyUrl: r.privacyPolicyUrl ?? null,
      termsAndConditionsUrl: r.termsAndConditionsUrl ?? null,
      // 002: "Mock campaigns will be automatically created if using a mock brand."
      mock: b.mock,
      status: 'PENDING',
      errors: [],
      rateLimited: false,
      dateCreated: now,
      dateUpdated: now,
    };
    this.state.campaigns[c.sid] = c;
    // 002: "Creating this resource submits the Campaign for review and incurs fees."
    this.core.charge(c.sid, 'campaign-vetting', 'campaign vetting', b.mock);
    this.core.reviews.schedule('campaign', c.sid, 'submitted', this.core.timings.campaignReviewMs);
    this.core.emit(campaignEvent(this.core, 'campaign-registration.campaign-submitted', c));
    return c;
  }

  /** 000 5.2: delete a service's campaign (an external association included); its numbers are deregistered. */
  remove(c: Campaign): void {
    delete this.state.campaigns[c.sid];
    this.core.reviews.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    this.core.reviews.finish('campaign-deletion', c.sid);
    this.engine.services.campaignGone(c.messagingServiceSid);
  }

  /**
   * A service holds one campaign; one being deleted still holds it until the deletion is finalized
   * (000 5.2: "at least a 5-second delay between removing the existing Campaign and creating a new
   * one on the same Messaging Service"; 003 says the same of associations).
   */
  refuseIfOccupied(serviceSid: string): void {
    const existing = this.ofService(serviceSid);
    if (existing?.status === 'DELETION_PENDING')
      throw new TwilioApiError(
        409,
        21710,
        `The campaign of Messaging Service ${serviceSid} is still being deleted; create the new one once the deletion is finalized (000 5.2: wait 5 seconds)`,
      );
    if (existing)
      throw new TwilioApiError(409, 21710, `Messaging Service ${serviceSid} already has a campaign`);
  }

  /**
   * 000 5.2: DELETE is accepted at once, but "please allow a few seconds for deletion to be
   * finalized": the campaign shows DELETION_PENDING and still holds its service and TCR id, then
   * it is gone. Its numbers are deregistered at once.
   */
  delete(c: Campaign): void {
    if (c.status === 'DELETION_PENDING') return;
    this.core.reviews.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    this.setStatus(c, 'DELETION_PENDING');
    this.engine.services.campaignGone(c.messagingServiceSid);
    this.core.reviews.schedule('campaign-deletion', c.sid, 'deleting', this.core.timings.campaignDeletionMs);
  }

  /** A brand's review ended (or its identity was verified): campaigns waiting on it move on. */
  brandDecided(brandSid: string): void {
    for (const c of this.ofBrand(brandSid))
      if (this.core.reviews.waiting('campaign', c.sid))
        this.core.reviews.schedule('campaign', c.sid, 'in-progress', this.core.timings.campaignReviewMs);
  }

  private setStatus(c: Campaign, status: Campaign['status']): void {
    c.status = status;
    c.dateUpdated = this.core.now();
  }

  private step(review: Review): void {
    const c = this.state.campaigns[review.subject];
    if (!c) return this.core.reviews.finish('campaign', review.subject);
    if (review.stage === 'submitted') {
      // 000 5.1: "Once TCR has begun its own review process ... the Campaign will be IN_PROGRESS"
      this.setStatus(c, 'IN_PROGRESS');
      return this.core.reviews.schedule('campaign', c.sid, 'in-progress', this.core.timings.campaignReviewMs);
    }
    const brand = c.brandRegistrationSid ? this.engine.brands.get(c.brandRegistrationSid) : undefined;
    if (!brand || !registrable(brand)) {
      return this.fail(c, [
        // Twilio error 21717: the campaign's Brand Registration SID "is not registered".
        registrationError(21717, 'The Brand Registration SID of this campaign is not registered.', [
          'BRAND_REGISTRATION_SID',
        ]),
      ]);
    }
    if (brand.status !== 'APPROVED' || brand.identityStatus === 'UNVERIFIED')
      return this.core.reviews.wait(
        'campaign',
        c.sid,
        'in-progress',
        `brand ${brand.sid} to be approved and verified`,
      );
    const errors = campaignErrors(c);
    if (errors.length > 0) return this.fail(c, errors);
    this.verify(c);
  }

  verify(c: Campaign): void {
    this.setStatus(c, 'VERIFIED');
    c.errors = [];
    this.core.reviews.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    this.core.emit(campaignEvent(this.core, 'campaign-registration.campaign-approved', c));
    this.engine.services.campaignVerified(c);
  }

  fail(c: Campaign, errors: RegistrationError[]): void {
    this.setStatus(c, 'FAILED');
    c.errors = errors;
    this.core.reviews.finish(c.external ? 'external-campaign' : 'campaign', c.sid);
    // The failure example carries no reasons: they are on the resource (`errors`, 002).
    this.core.emit(campaignEvent(this.core, 'campaign-registration.campaign-failure', c));
  }

  /** Control API: TCR's (or the secondary DCA's) verdict on a campaign under review. */
  decide(sidOrService: string, decision: 'verify' | 'fail', errors?: RegistrationError[]): Campaign {
    const c = this.state.campaigns[sidOrService] ?? this.ofService(sidOrService);
    if (!c) throw new ConflictError(`no campaign ${sidOrService}`);
    if (c.status !== 'PENDING' && c.status !== 'IN_PROGRESS')
      throw new ConflictError(`campaign ${c.sid} is ${c.status}, not under review`);
    if (decision === 'verify') {
      if (c.external) this.core.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
      this.verify(c);
    } else {
      if (c.external) {
        this.core.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
        this.core.tcrEvent('CAMPAIGN_SHARE_DELETE', c.campaignId, DCA_REJECT_FEEDBACK);
      }
      this.fail(
        c,
        errors ?? [
          registrationError(30896, 'Campaign rejected by the sandbox control API.', ['MESSAGE_FLOW']),
        ],
      );
    }
    this.core.changed();
    return c;
  }
}
