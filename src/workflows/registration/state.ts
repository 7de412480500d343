import type { BundleKind } from '../../activities';
import type { RegistrationCorrection, RegistrationRequest } from '../../domain/registration';
import type { AnyRegistrationRequest, StandardCorrection } from '../../domain/standard-registration';
import type {
  BrandStatusEvent,
  CampaignStatusEvent,
  RegistrationProgress,
  RegistrationTimings,
  TrustHubStatusEvent,
} from '../../shared';
import type { EventLogState } from '../event-log';

/**
 * Everything a registration knows, as one plain, serialisable object. The workflow function
 * receives it back on continue-as-new, and every step skips what it says is done, so a new run
 * resumes exactly where the old one stopped waiting.
 */
export interface RegistrationState<R extends AnyRegistrationRequest = RegistrationRequest> {
  request: R;
  timings: RegistrationTimings;
  continueAsNewAfterEvents: number;
  /** What operators see (the `progress` query, `a2p status`). */
  progress: RegistrationProgress;
  /** SIDs remediation and cancellation need but an operator does not. */
  sids: {
    starterEndUser?: string;
    soleProprietorEndUser?: string;
    /** Standard: the secondary profile's business-information, representatives' and messaging-profile end-users. */
    businessEndUser?: string;
    representativeEndUsers?: string[];
    messagingProfileEndUser?: string;
    address?: string;
    createdMessagingService?: boolean;
  };
  /** Each bundle's status as last fetched or answered by Twilio. */
  bundles: Partial<Record<BundleKind, { status: string; failureReason?: string }>>;
  /**
   * A Trust Hub callback arrived since the bundles were last fetched. Twilio documents no body
   * for these callbacks, so one is only a reason to fetch the bundles, never their status.
   */
  bundlesStale?: boolean;
  brand: {
    /** Workflow time (ms) Twilio sent the first OTP (the brand was approved); the OTP deadline counts from it. */
    otpWindowStartedAt?: number;
    /** Workflow time (ms) of the last OTP re-send attempt, refused or not. */
    lastOtpAttemptAt?: number;
    /** The 30 s wait after the last brand submission is over. */
    settled: boolean;
    /** Brand events applied so far: a fetch answered after an event is older than it. */
    events?: number;
    /** Reasons from the last FAILED brand event or fetch. */
    errors: string[];
    failureReason?: string;
  };
  /** The current campaign submission; the parent keeps its verdict, the child only submits. */
  campaign: {
    sid?: string;
    status?: string;
    errors: string[];
    /** Workflow time (ISO) the current submission started; older events belong to an earlier one. */
    submittedAt?: string;
    /** Campaign events applied so far: a fetch answered after an event is older than it. */
    events?: number;
    /** The CM… SID Event Streams name the current submission by (the REST API's is QE…). */
    eventSid?: string;
    /** SIDs (QE… and CM…) of earlier, deleted submissions, whose late events are ignored. */
    previousSids: string[];
  };
  /** Events that arrived before the SID they name was known here; applied once it is. */
  early: {
    trustHub: TrustHubStatusEvent[];
    brand: BrandStatusEvent[];
    campaign: CampaignStatusEvent[];
  };
  events: EventLogState;
  pendingCorrection?: RegistrationCorrection | StandardCorrection;
  otpResendRequested: boolean;
  /** What the registration is doing in its phase, for the Current Details (set by `enter`). */
  activity?: string;
  /** Search-attribute values last written, so an upsert happens only when a value changes. */
  attributes: Record<string, string>;
  /** An earlier, closed run of this registration may have created any of its resources. */
  followsEarlierRun?: boolean;
  /** The creates this registration has started (their keys), carried across continue-as-new. */
  started?: string[];
}

/** Continue as new well before Temporal's 10,240-event warning and 51,200-event limit. */
export const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;
/** How many early events of each kind are kept; more means they are not ours. */
export const MAX_EARLY_EVENTS = 20;

export function initialState<R extends AnyRegistrationRequest>(input: {
  request: R;
  timings: RegistrationTimings;
  continueAsNewAfterEvents?: number;
  followsEarlierRun?: boolean;
  at: string;
}): RegistrationState<R> {
  const pending = () => ({ status: 'pending' as const });
  return {
    request: input.request,
    timings: input.timings,
    continueAsNewAfterEvents: input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS,
    progress: {
      customerId: input.request.customerId,
      phase: 'customer-profile',
      steps: {
        customerProfile: pending(),
        trustBundle: pending(),
        brand: pending(),
        messagingService: pending(),
        campaign: pending(),
        phoneNumber: pending(),
      },
      brand: { otpSends: 0, resubmissions: 0 },
      campaign: { attempt: 0 },
      issues: [],
      fees: [],
      startedAt: input.at,
      updatedAt: input.at,
    },
    sids: {},
    bundles: {},
    brand: { settled: false, errors: [] },
    campaign: { errors: [], previousSids: [] },
    early: { trustHub: [], brand: [], campaign: [] },
    events: { seen: {}, latest: {} },
    otpResendRequested: false,
    attributes: {},
    ...(input.followsEarlierRun ? { followsEarlierRun: true } : {}),
    started: [],
  };
}
