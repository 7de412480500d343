/** Paths the webhook server answers on; Twilio, Event Streams and TCR are configured with them. */
export const TRUST_HUB_PATH = '/webhooks/trust-hub';
export const EVENT_STREAMS_PATH = '/webhooks/event-streams';
export const TCR_PATH = '/webhooks/tcr';
export const HEALTH_PATH = '/healthz';

/** The public base URL without trailing slashes, so `${base}${path}` never doubles a slash. */
export function normalizeBaseUrl(publicBaseUrl: string): string {
  return publicBaseUrl.trim().replace(/\/+$/, '');
}

/**
 * The `status_callback` a registration gives each Trust Hub bundle it creates. The workflow id in
 * the query string names the registration, so the callback needs no lookup. Twilio signs exactly
 * this URL, which is why the server checks signatures against the public URL and not the one the
 * request arrived on.
 */
export function trustHubCallbackUrl(publicBaseUrl: string, workflowId: string): string {
  return `${normalizeBaseUrl(publicBaseUrl)}${TRUST_HUB_PATH}?workflowId=${encodeURIComponent(workflowId)}`;
}

/** The URL to give an Event Streams webhook Sink (`sink_configuration.destination`). */
export function eventStreamsSinkUrl(publicBaseUrl: string): string {
  return `${normalizeBaseUrl(publicBaseUrl)}${EVENT_STREAMS_PATH}`;
}

/** The URL to register with TCR as the CSP's webhook for campaign-sharing events. */
export function tcrWebhookUrl(publicBaseUrl: string): string {
  return `${normalizeBaseUrl(publicBaseUrl)}${TCR_PATH}`;
}
