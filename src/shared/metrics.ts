/**
 * The service's own Prometheus series: their names, the values their labels take, and the
 * histogram buckets. The worker emits the registration, Twilio and fee series through the
 * Temporal SDK's metric meter (they share the runtime's Prometheus endpoint with the SDK's own
 * `temporal_*` series); the webhook server serves the `a2p_webhook_*` series itself.
 * docs/operations.md ("Metrics") describes each, and the Grafana dashboard uses only these names.
 */

export const REGISTRATION_METRICS = {
  /** Counter: registrations started (a continued run is the same registration, not counted again). */
  started: 'a2p_registrations_started_total',
  /** Counter, label `outcome`: registrations that ended. */
  ended: 'a2p_registrations_ended_total',
  /** Counter, label `phase`: registrations entering each phase. */
  phaseEntered: 'a2p_registration_phase_entered_total',
  /** Histogram (seconds), label `step`: how long a registration waited at each step. */
  waitSeconds: 'a2p_registration_wait_seconds',
} as const;

export const TWILIO_METRICS = {
  /** Counter, labels `endpoint` (method + path, SIDs as `{sid}`) and `status` (HTTP status or `error`). */
  requests: 'a2p_twilio_requests_total',
} as const;

export const FEE_METRICS = {
  /** Counter, label `kind`: paid Twilio calls that succeeded. */
  fees: 'a2p_fees_total',
} as const;

export const WEBHOOK_METRICS = {
  /** Counter, labels `method`, `route`, `status`. */
  requests: 'a2p_webhook_requests_total',
  /** Counter, label `route`: requests refused for a missing or wrong signature (or TCR secret). */
  signatureFailures: 'a2p_webhook_signature_failures_total',
  /** Counter, label `outcome`: what became of the events taken (delivered, given-up, duplicate). */
  deliveries: 'a2p_webhook_deliveries_total',
  /** Counter: delivered events that needed more than one attempt. */
  redeliveries: 'a2p_webhook_redeliveries_total',
  /** Gauge: events waiting now for their next delivery attempt. */
  kept: 'a2p_webhook_events_kept',
} as const;

/** Every name the service itself exposes. */
export const SERVICE_METRIC_NAMES: readonly string[] = [
  ...Object.values(REGISTRATION_METRICS),
  ...Object.values(TWILIO_METRICS),
  ...Object.values(FEE_METRICS),
  ...Object.values(WEBHOOK_METRICS),
];

/**
 * The `step` label of the wait histogram. Settles are the pauses after a submission (000: 30 s),
 * reviews are Twilio's, `otp` the customer's answer, `brand-authentication` a public company's
 * answer to TCR's Authentication+ email, `number-registration` the carriers' registration of a
 * Standard campaign's numbers, `correction` the ISV's corrected data, `admission` a start slot.
 */
export type WaitStep =
  | 'admission'
  | 'customer-profile-settle'
  | 'trust-bundle-settle'
  | 'brand-settle'
  | 'brand-review'
  | 'otp'
  | 'brand-authentication'
  | 'campaign-review'
  | 'number-registration'
  | 'correction'
  | 'other';

/**
 * Bucket bounds (seconds) of the wait histogram: the 30 s settles, reviews of minutes to weeks,
 * and the 30-day OTP deadline.
 */
export const WAIT_SECONDS_BUCKETS: readonly number[] = [
  1,
  5,
  15,
  30,
  60,
  300,
  900,
  3_600,
  4 * 3_600,
  12 * 3_600,
  86_400,
  3 * 86_400,
  7 * 86_400,
  14 * 86_400,
  30 * 86_400,
];
