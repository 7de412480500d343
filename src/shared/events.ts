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

/** Event Streams brand-registration event. */
export interface BrandStatusEvent extends EventEnvelope {
  brandSid: string;
  /** PENDING | APPROVED | FAILED | IN_REVIEW | DELETED | SUSPENDED, when the event says it */
  brandStatus?: string;
  /** UNVERIFIED | VERIFIED | SELF_DECLARED | VETTED_VERIFIED, when the event says it */
  identityStatus?: string;
  failureReason?: string;
}

/** Event Streams campaign-registration event. */
export interface CampaignStatusEvent extends EventEnvelope {
  messagingServiceSid: string;
  campaignSid?: string;
  /** PENDING | IN_PROGRESS | VERIFIED | FAILED | SUSPENDED | EXPIRED (as the event spells it) */
  campaignStatus: string;
  failureReason?: string;
}

/** TCR campaign-sharing event for an externally registered campaign. */
export interface CampaignShareEvent extends EventEnvelope {
  campaignId: string;
  type: 'CAMPAIGN_SHARE_ACCEPT' | 'CAMPAIGN_SHARE_DELETE';
  /** The rejection feedback TCR sends with CAMPAIGN_SHARE_DELETE. */
  feedback?: string;
}
