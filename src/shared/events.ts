/**
 * Events the webhook handler turns into signals. Delivery from Twilio and TCR is at least once
 * and unordered, so every event carries the id and time the sender gave it: workflows ignore an
 * id they have seen and a status older than the one they already know.
 */
interface EventEnvelope {
  /** The sender's event id (CloudEvent `id`, TCR event id) or a digest of the callback body. */
  eventId: string;
  /** ISO-8601 time the sender says the event happened. */
  occurredAt: string;
}

/** Trust Hub `status_callback` for a customer profile or trust product (bundle). */
export interface TrustHubStatusEvent extends EventEnvelope {
  bundleSid: string;
  /** draft | pending-review | in-review | twilio-rejected | twilio-approved */
  status: string;
  failureReason?: string;
}

/**
 * One error Twilio attached to an event: a brand's `brandregistrationerrors` entry
 * (`registrationerrorcode`, `registrationerrordescription`, `registrationerrorurl`,
 * `registrationerrorfields`), a `brandvettingerrors` entry, or a campaign's or number's error code.
 */
export interface TwilioEventError {
  code?: number;
  description?: string;
  /** The error's page, e.g. https://www.twilio.com/docs/api/errors/21736 */
  url?: string;
  /** The fields Twilio names as failing, e.g. `brand_contact_email`. */
  fields?: string[];
}

/** Event Streams brand-registration event, in the REST API's words (001). */
export interface BrandStatusEvent extends EventEnvelope {
  brandSid: string;
  /** PENDING | APPROVED | FAILED | IN_REVIEW | DELETION_PENDING | DELETION_FAILED | SUSPENDED, when the event says it */
  brandStatus?: string;
  /** UNVERIFIED | VERIFIED | SELF_DECLARED | VETTED_VERIFIED, when the event says it */
  identityStatus?: string;
  /** The errors' descriptions joined, or the sender's `failurereason`. */
  failureReason?: string;
  /** The errors the event carries, in full. */
  errors?: TwilioEventError[];
  /** Secondary vetting outcome, when the event reports one: SUCCESS | FAILED */
  vettingOutcome?: string;
  /** The CloudEvent type, e.g. `com.twilio.messaging.compliance.brand-registration.brand-failure`. */
  eventType?: string;
}

/** Event Streams campaign-registration event, in the REST API's words (002). */
export interface CampaignStatusEvent extends EventEnvelope {
  messagingServiceSid: string;
  campaignSid?: string;
  /** PENDING | IN_PROGRESS | VERIFIED | FAILED | SUSPENDED | EXPIRED */
  campaignStatus: string;
  failureReason?: string;
  /** The error code the event carries (`errorcode`), when there is one. */
  errors?: TwilioEventError[];
  /** The CloudEvent type, e.g. `com.twilio.messaging.compliance.campaign-registration.campaign-approved`. */
  eventType?: string;
}

/**
 * Event Streams number-registration or number-deregistration event: after a number joins (or
 * leaves) a Messaging Service whose campaign is registered, Twilio registers it with the carriers
 * for that campaign, and only a registered number carries A2P traffic.
 */
export interface NumberRegistrationEvent extends EventEnvelope {
  phoneNumberSid: string;
  messagingServiceSid: string;
  campaignSid?: string;
  action: 'registration' | 'deregistration';
  /** From the event type: pending, successful or failed. */
  outcome: 'pending' | 'successful' | 'failed';
  /** As Twilio sends it: pending_registration | registered | failure | pending_deregistration | unregistered */
  externalStatus?: string;
  /** `failurereason`: the error's page. */
  failureReason?: string;
  errors?: TwilioEventError[];
  eventType: string;
}

/** TCR campaign-sharing event for an externally registered campaign. */
export interface CampaignShareEvent extends EventEnvelope {
  campaignId: string;
  type: 'CAMPAIGN_SHARE_ACCEPT' | 'CAMPAIGN_SHARE_DELETE';
  /** The rejection feedback TCR sends with CAMPAIGN_SHARE_DELETE. */
  feedback?: string;
}
