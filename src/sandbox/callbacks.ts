import { createHash } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/**
 * Outgoing requests, as Twilio (and TCR) send them: Trust Hub status callbacks (form-encoded,
 * signed), Event Streams CloudEvents (JSON array, signed over a URL carrying bodySHA256) and TCR
 * campaign-sharing events. Delivery is at least once: failures are retried, and a setting makes
 * every delivery arrive twice or out of order, as the real services may.
 */

export interface DeliverySettings {
  /** Send every request twice (same body, same event ids). */
  duplicate: boolean;
  /** Hold deliveries for `reorderWindowMs` and send each held group newest first. */
  reorder: boolean;
  reorderWindowMs: number;
  /** Attempts per status callback or TCR event, the first included (Event Streams: see below). */
  maxAttempts: number;
  /** Delay before the first retry; doubled for each further one, plus up to a quarter as jitter. */
  retryDelayMs: number;
  /**
   * How long an Event Streams delivery is retried after its first attempt. Reference
   * twilio-events/README.md: "failed deliveries are retried with exponential backoff plus jitter
   * for up to 4 hours, with no fixed attempt count", so no attempt starts later than this.
   */
  eventStreamRetryMs: number;
  /** Event Streams expects the sink to answer within 5 s. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = {
  duplicate: false,
  reorder: false,
  reorderWindowMs: 150,
  maxAttempts: 4,
  retryDelayMs: 200,
  eventStreamRetryMs: 4 * 3600_000,
  timeoutMs: 5_000,
};

/**
 * The wait before attempt `attempt + 1`: `retryDelayMs` doubled per attempt after the first, plus
 * jitter of up to a quarter of it (how much jitter Twilio adds is not documented).
 */
function retryDelay(retryDelayMs: number, attempt: number): number {
  return Math.round(retryDelayMs * 2 ** (attempt - 1) * (1 + Math.random() / 4));
}

export interface CloudEvent {
  specversion: '1.0';
  type: string;
  source: string;
  id: string;
  dataschema: string;
  datacontenttype: string;
  time: string;
  data: Record<string, unknown>;
}

export type OutgoingKind = 'status-callback' | 'event-stream' | 'tcr';

interface Outgoing {
  kind: OutgoingKind;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Event ids (CloudEvents) or a short description, for the delivery log. */
  label: string;
}

export interface DeliveryAttempt {
  kind: OutgoingKind;
  url: string;
  label: string;
  attempt: number;
  status: number | null;
  error: string | null;
  time: string;
}

export function bodySha256(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** X-Twilio-Signature for a form-encoded POST to `url` with `params`. */
export function signForm(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** A JSON POST is signed over the URL with `bodySHA256` added; returns that URL and the signature. */
export function signJson(authToken: string, url: string, body: string): { url: string; signature: string } {
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${bodySha256(body)}`;
  return { url: signedUrl, signature: getExpectedTwilioSignature(authToken, signedUrl, {}) };
}

/** A URL without its `user:password@` part, and the Basic authorization header they make. */
function splitCredentials(raw: string): { url: string; authorization: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { url: raw, authorization: null };
  }
  if (!parsed.username && !parsed.password) return { url: raw, authorization: null };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

export class Deliverer {
  settings: DeliverySettings = { ...DEFAULT_DELIVERY };
  readonly log: DeliveryAttempt[] = [];
  private held: Outgoing[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly authToken: () => string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  statusCallback(url: string, params: Record<string, string>): void {
    const body = new URLSearchParams(params).toString();
    this.enqueue({
      kind: 'status-callback',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signForm(this.authToken(), url, params),
      },
      body,
      label: `${params.BundleSid ?? ''} ${params.Status ?? ''}`.trim(),
    });
  }

  /**
   * Event Streams events to a sink, signed with `authToken` (default: the current account's).
   * Webhook Quickstart: a destination with `user:password@` gets `Authorization: Basic` on every
   * request; the credentials are not part of the URL requested or signed.
   */
  events(sinkUrl: string, events: CloudEvent[], authToken = this.authToken()): void {
    const body = JSON.stringify(events);
    const { url, authorization } = splitCredentials(sinkUrl);
    const signed = signJson(authToken, url, body);
    this.enqueue({
      kind: 'event-stream',
      url: signed.url,
      headers: {
        'content-type': 'application/json',
        'x-twilio-signature': signed.signature,
        ...(authorization ? { authorization } : {}),
      },
      body,
      label: events.map((e) => `${e.type.split('.').slice(-1)[0] ?? ''}:${e.id}`).join(','),
    });
  }

  tcr(url: string, secret: string | null, event: Record<string, unknown>): void {
    this.enqueue({
      kind: 'tcr',
      url,
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-a2p-webhook-secret': secret } : {}) },
      body: JSON.stringify(event),
      label: `${String(event.eventType)} ${String(event.campaignId)}`,
    });
  }

  private enqueue(out: Outgoing): void {
    if (this.closed) return;
    if (!this.settings.reorder) {
      this.dispatch(out);
      return;
    }
    this.held.push(out);
    if (!this.holdTimer) {
      this.holdTimer = setTimeout(() => this.flushHeld(), this.settings.reorderWindowMs);
      this.holdTimer.unref();
    }
  }

  /** Sends whatever the reorder window holds, newest first. */
  flushHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    const group = this.held.reverse();
    this.held = [];
    for (const out of group) this.dispatch(out);
  }

  private dispatch(out: Outgoing): void {
    const copies = this.settings.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) void this.attempt(out, 1, Date.now());
  }

  private async attempt(out: Outgoing, attempt: number, firstAt: number): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    timeout.unref();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(out.url, {
        method: 'POST',
        headers: out.headers,
        body: out.body,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
    this.log.push({
      kind: out.kind,
      url: out.url,
      label: out.label,
      attempt,
      status,
      error,
      time: new Date().toISOString(),
    });
    if (this.log.length > 2000) this.log.splice(0, this.log.length - 2000);
    const ok = status !== null && status >= 200 && status < 300;
    if (ok || this.closed) return;
    const delay = retryDelay(this.settings.retryDelayMs, attempt);
    const exhausted =
      out.kind === 'event-stream'
        ? Date.now() + delay - firstAt > this.settings.eventStreamRetryMs
        : attempt >= this.settings.maxAttempts;
    if (exhausted) {
      this.onError(
        `${out.kind} to ${out.url} failed after ${attempt} attempts (${error ?? `HTTP ${status}`})`,
      );
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(out, attempt + 1, firstAt);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  /** Deliveries not yet finished: being sent, waiting for a retry, or held for reordering. */
  get pending(): number {
    return this.controllers.size + this.timers.size + this.held.length;
  }

  close(): void {
    this.closed = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.controllers) c.abort();
    this.timers.clear();
  }
}
