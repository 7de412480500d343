import type { CampaignFinding } from '../domain/campaign-review/types';
import type { ExternalCampaignRequest } from '../domain/external-campaign';
import type { RegistrationRequest } from '../domain/registration';
import type { StandardRegistrationRequest } from '../domain/standard-registration';

/** Plain types of a registration's visible state, shared by workflows, client, CLI and webhooks. */

export type RegistrationPhase =
  | 'customer-profile'
  | 'trust-bundle'
  | 'brand'
  | 'brand-verification'
  | 'messaging-service'
  | 'campaign'
  | 'phone-number'
  | 'completed'
  | 'needs-correction'
  | 'otp-expired'
  | 'brand-suspended'
  | 'campaign-suspended'
  | 'brand-resubmission-limit'
  | 'brand-authentication-expired'
  | 'subaccount'
  | 'failed'
  | 'cancelling'
  | 'cancelled';

export type StepName =
  'customerProfile' | 'trustBundle' | 'brand' | 'messagingService' | 'campaign' | 'phoneNumber';

export type StepStatus =
  'pending' | 'in-progress' | 'waiting' | 'done' | 'needs-correction' | 'failed' | 'removed';

export interface StepState {
  status: StepStatus;
  /** The Twilio resource's SID once it exists. */
  sid?: string;
  /** The status Twilio last reported for the resource. */
  twilioStatus?: string;
  updatedAt?: string;
}

/** An error or rejection reported by Twilio, kept so an operator can see what to fix. */
export interface TwilioIssue {
  step: StepName;
  message: string;
  code?: number;
  moreInfo?: string;
  /** Fields Twilio named as failing (evaluation results, brand errors). */
  fields?: string[];
  at: string;
  /** When a later attempt of the same step succeeded: the issue no longer stands. */
  resolvedAt?: string;
}

export type FeeKind =
  | 'brand-registration'
  | 'brand-resubmission'
  | 'secondary-vetting'
  | 'authentication-plus'
  | 'campaign-vetting';

export interface FeeRecord {
  kind: FeeKind;
  sid: string;
  at: string;
}

export interface WaitingFor {
  what: string;
  since: string;
  /** Why it waits: Twilio's reason for a correction, who reviews, what the customer was sent. */
  why?: string;
  /** What un-sticks it: the exact command, or that nothing is needed. */
  next?: string;
}

/**
 * How a registration ends. Every way is named: `completed`, four that no correction can fix
 * (the customer never answered the OTP, Twilio suspended the brand or the campaign, the brand's
 * resubmissions are used up), `cancelled` by an operator, and `failed` for anything unforeseen.
 */
export type RegistrationOutcome =
  | 'completed'
  | 'otp-expired'
  | 'brand-suspended'
  | 'campaign-suspended'
  | 'brand-resubmission-limit'
  | 'brand-authentication-expired'
  | 'cancelled'
  | 'failed';

export interface RegistrationProgress {
  customerId: string;
  phase: RegistrationPhase;
  /** When the registration entered its current phase. */
  phaseSince?: string;
  /** Set when the workflow has ended or is about to. */
  outcome?: RegistrationOutcome;
  /** Human guidance for the current state (what to correct, what to tell the customer). */
  guidance?: string;
  waitingFor?: WaitingFor;
  steps: Record<StepName, StepState>;
  brand: {
    status?: string;
    identityStatus?: string;
    otpSends: number;
    lastOtpSentAt?: string;
    resubmissions: number;
  };
  campaign: {
    attempt: number;
    status?: string;
    /**
     * The pre-vetting warnings of the campaign as last submitted (accepted by whoever started or
     * corrected the registration); see reviewRegistrationCampaign in src/domain/campaign-review.
     */
    warnings?: CampaignFinding[];
  };
  /** The phone number's registration with the carriers (Event Streams number-registration events). */
  numberRegistration?: {
    action: 'registration' | 'deregistration';
    outcome: 'pending' | 'successful' | 'failed';
    at: string;
  };
  /** A Standard or Low-Volume Standard registration's own state (absent for a Sole Proprietor). */
  standard?: StandardProgress;
  /** Twilio's latest errors and rejections, newest last. */
  issues: TwilioIssue[];
  fees: FeeRecord[];
  startedAt: string;
  updatedAt: string;
}

/** What a Standard registration shows beyond a Sole Proprietor's: vetting, 2FA email, campaigns. */
export interface StandardProgress {
  brandType: 'STANDARD' | 'LOW_VOLUME_STANDARD';
  /** The customer's own subaccount, when the registration runs in one. */
  subaccountSid?: string;
  /** The subaccount's Event Streams sink and subscription for the A2P events. */
  eventStream?: { sinkSid: string; subscriptionSid: string };
  /** 001: TCR's brand score (the secondary vetting score once vetted) and its feedback. */
  vetting?: { score?: number; feedback?: string[] };
  /**
   * A public company's Authentication+ email (TCR's 2FA to brand_contact_email): sent when the
   * brand is registered, answered when the brand's identity is verified.
   */
  authentication?: { email: string; since: string; clickedAt?: string; verifiedAt?: string };
  campaigns: StandardCampaignProgress[];
}

/** One of a Standard brand's campaigns (up to five), each on its own Messaging Service. */
export interface StandardCampaignProgress {
  index: number;
  usecase: string;
  /** The use case needs Twilio's approval after the campaign is verified (the Usecases resource). */
  postApprovalRequired?: boolean;
  messagingServiceSid?: string;
  createdMessagingService?: boolean;
  /** The current submission: its QE… SID, the CM… SID events name it by, and its status. */
  sid?: string;
  eventSid?: string;
  status?: string;
  errors: string[];
  /** Submissions so far (a FAILED campaign is fixed, deleted and submitted again). */
  attempt: number;
  submittedAt?: string;
  /** Events applied to the current submission: a fetch answered after one is older than it. */
  events?: number;
  previousSids: string[];
  warnings?: CampaignFinding[];
  /** Each number's state: added to the service, then registered with the carriers (or failed). */
  numbers: Record<
    string,
    { added: boolean; registration?: 'pending' | 'successful' | 'failed'; failure?: string }
  >;
  /** When the campaign began waiting for its numbers' carrier registrations. */
  numbersSince?: string;
  done?: boolean;
}

export type ExternalCampaignPhase =
  | 'messaging-service'
  | 'phone-numbers'
  | 'awaiting-share'
  | 'associating'
  | 'awaiting-verification'
  | 'share-deleted'
  | 'completed'
  | 'cancelled'
  | 'failed';

export interface ExternalCampaignProgress {
  campaignId: string;
  phase: ExternalCampaignPhase;
  messagingServiceSid?: string;
  phoneNumberSids: string[];
  campaignSid?: string;
  campaignStatus?: string;
  /** Feedback TCR sent with the last CAMPAIGN_SHARE_DELETE. */
  shareFeedback?: string;
  associations: number;
  waitingFor?: WaitingFor;
  issues: { message: string; at: string }[];
  outcome?: 'completed' | 'cancelled' | 'failed';
  startedAt: string;
  updatedAt: string;
}

/** Input of the `deregistration` workflow, built by the client from the registration's progress. */
export interface DeregistrationInput {
  /** The registration being undone (its workflow id). */
  registrationWorkflowId: string;
  messagingServiceSid?: string;
  phoneNumberSids: string[];
  /** Delete the Messaging Service too (deleting it also deletes its campaign). */
  deleteMessagingService: boolean;
  /** What the registration made that no API call can remove (brand, bundles, a TCR campaign). */
  remainsAtTwilio: string[];
}

export interface DeregistrationProgress {
  registrationWorkflowId: string;
  phase: 'campaign' | 'phone-numbers' | 'messaging-service' | 'settling' | 'done';
  removed: string[];
  /** What remains that only Twilio support (or TCR) can remove. */
  remaining: string[];
}

/** Durations a workflow is started with; fixed for its whole life, so replays stay deterministic. */
export interface RegistrationTimings {
  /** 000: wait 30 s after each submission to catch synchronous validation errors. */
  settleDelayMs: number;
  /** How often to fetch a status when no callback has arrived (the fallback to webhooks). */
  pollIntervalMs: number;
  /**
   * The poll backs off (doubling) from `pollIntervalMs` to this, so a callback lost early in a
   * review is noticed within minutes and a review of weeks costs a few fetches a day. Unset: no
   * back-off.
   */
  pollMaxIntervalMs?: number;
  /** 000 3.2: an OTP is valid 24 h; re-send after that while the brand is unverified. */
  otpResendIntervalMs: number;
  /** How long a brand may stay unverified before the registration ends as otp-expired. */
  otpDeadlineMs: number;
}

/** Input of the `soleProprietorRegistration` workflow (workflow id `a2p-registration-<customerId>`). */
export interface RegistrationWorkflowInput {
  request: RegistrationRequest;
  timings: RegistrationTimings;
  /**
   * Continue as new once a run's history holds this many events (default 2,000), well below the
   * 51,200 at which Temporal terminates a workflow; the server's own suggestion also triggers it.
   */
  continueAsNewAfterEvents?: number;
  /**
   * This run follows an earlier, closed run of the same registration (the client knows when it
   * starts one over another), so any step may already have created its resource on Twilio.
   */
  followsEarlierRun?: boolean;
}

/** Input of the `standardRegistration` workflow (the same workflow id, `a2p-registration-<customerId>`). */
export interface StandardRegistrationWorkflowInput extends Omit<RegistrationWorkflowInput, 'request'> {
  request: StandardRegistrationRequest;
}

/** Input of the `externalCampaignRegistration` workflow (id `a2p-external-campaign-<campaignId>`). */
export interface ExternalCampaignWorkflowInput {
  request: ExternalCampaignRequest;
  timings: RegistrationTimings;
}
