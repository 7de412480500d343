import type { DeliveryAttempt, DeliverySettings } from './callbacks';
import type { RequestLogEntry, SandboxTimings } from './engine';
import type { FaultSettings } from './faults';
import type { CampaignShare, LedgerEntry, RegistrationError, ReviewKind } from './state';

export interface PendingReview {
  /** `<kind>-<subject>`, e.g. `brand-BN…`; OTPs awaiting the customer are `otp-BN…`. */
  id: string;
  kind: ReviewKind | 'otp';
  /** The SID (or TCR campaign id) under review. */
  subject: string;
  stage: string;
  /** The subject's current status. */
  status: string;
  /** When it moves on by itself (sandbox clock, ISO 8601); null while it waits on something else. */
  dueAt: string | null;
  waitingFor: string | null;
}

export interface RequestLog {
  entries: RequestLogEntry[];
  /** The same entries (older name). */
  log: RequestLogEntry[];
  /** Requests per endpoint, keyed `"METHOD /route/pattern"`. */
  counts: Record<string, number>;
}

export interface Ledger {
  entries: LedgerEntry[];
  totalUsd: number;
}

export interface SandboxInfo {
  accountSid: string;
  primaryProfileSid: string;
  /** The account's numbers; `messagingServiceSid` is the service holding one (null: free). */
  numbers: { sid: string; phoneNumber: string; messagingServiceSid: string | null }[];
  now: string;
  timings: SandboxTimings;
  eventSinkUrl: string | null;
  tcrWebhookUrl: string | null;
  otpAutoReplyMs: number | null;
}

export type RegistrationErrorInput = Omit<RegistrationError, 'url'> & { url?: string };

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A typed client for the sandbox's control API (`<sandbox>/sandbox/…`). */
export class SandboxControl {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const message = (json as { error?: string } | undefined)?.error ?? text;
      throw new SandboxControlError(res.status, `sandbox ${method} ${path}: ${res.status} ${message}`);
    }
    return json as T;
  }

  info(): Promise<SandboxInfo> {
    return this.call('GET', '/info');
  }

  /** The account buys `count` more phone numbers (in `areaCode`, default 628); returns them. */
  async provisionNumbers(count: number, areaCode?: string): Promise<SandboxInfo['numbers']> {
    const { numbers } = await this.call<{ numbers: SandboxInfo['numbers'] }>('POST', '/numbers', {
      count,
      areaCode,
    });
    return numbers;
  }

  /**
   * Puts `customers` earlier customers' end-users, address, document, bundles, brand and Messaging
   * Service straight into the state (nothing billed or reviewed), so Twilio's lists are long.
   */
  async prefill(customers: number): Promise<void> {
    await this.call('POST', '/prefill', { customers });
  }

  /** Forgets every resource, review, ledger entry and logged request; clears faults and delivery settings. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async reviews(): Promise<PendingReview[]> {
    return (await this.call<{ reviews: PendingReview[] }>('GET', '/reviews')).reviews;
  }

  /** Runs a pending review's next step now, with the outcome its data selects. */
  async advance(reviewId: string): Promise<PendingReview[]> {
    return (
      await this.call<{ reviews: PendingReview[] }>(
        'POST',
        `/reviews/${encodeURIComponent(reviewId)}/advance`,
      )
    ).reviews;
  }

  /** Runs every scheduled review to its end; reviews waiting on something else stay pending. */
  async advanceAll(): Promise<{ steps: number; reviews: PendingReview[] }> {
    return this.call('POST', '/reviews/advance-all');
  }

  decideBundle(sid: string, decision: 'approve' | 'reject', reason?: string) {
    return this.call<{ sid: string; status: string; failureReason: string | null }>(
      'POST',
      `/bundles/${sid}/decision`,
      {
        decision,
        reason,
      },
    );
  }

  /**
   * TCR's decision on a brand under review (`approve`, `fail`, or `review`: to IN_REVIEW first), a
   * suspension, or a deletion (`delete`: DELETION_PENDING, then gone; `fail-deletion`: DELETION_FAILED).
   */
  decideBrand(
    sid: string,
    decision: 'approve' | 'fail' | 'suspend' | 'review' | 'delete' | 'fail-deletion',
    opts: { reason?: string; errors?: RegistrationErrorInput[] } = {},
  ) {
    return this.call<{
      sid: string;
      status: string;
      identityStatus: string | null;
      failureReason: string | null;
    }>('POST', `/brands/${sid}/decision`, { decision, ...opts });
  }

  /** The customer replies "YES" to the brand's OTP (000 3.1). Fails with 409 once the OTP expired. */
  answerOtp(brandSid: string) {
    return this.call<{ sid: string; status: string; identityStatus: string }>(
      'POST',
      `/brands/${brandSid}/otp-reply`,
      {},
    );
  }

  /** `sid` is the campaign's SID or its Messaging Service SID. */
  /**
   * Authentication+ (public-company STANDARD brands): the brand contact acts on the 2FA email.
   * `open` / `click` move it one step (email-2fa-opened / -clicked events); `complete` finishes it
   * (email-2fa-completed, the $12.50 Authentication+ fee, then VERIFIED or VETTED_VERIFIED);
   * `timeout` lets the 7 days pass (email-2fa-timeout, brand FAILED with 21739).
   */
  answer2fa(brandSid: string, action: 'open' | 'click' | 'complete' | 'timeout') {
    return this.call<{ sid: string; status: string; identityStatus: string | null; twoFa: string | null }>(
      'POST',
      `/brands/${brandSid}/2fa`,
      { action },
    );
  }

  decideCampaign(sid: string, decision: 'verify' | 'fail', errors?: RegistrationErrorInput[]) {
    return this.call<{ sid: string; status: string; errors: RegistrationError[] }>(
      'POST',
      `/campaigns/${sid}/decision`,
      {
        decision,
        errors,
      },
    );
  }

  /** The ISV shares a TCR campaign with Twilio (003); Twilio's review then accepts or deletes the share. */
  shareCampaign(campaignId: string): Promise<CampaignShare> {
    return this.call('POST', '/shares', { campaignId });
  }

  /**
   * Shares a TCR campaign with Twilio and, when `accept` is given, decides Twilio's review at once
   * (true: CAMPAIGN_SHARE_ACCEPT; false: CAMPAIGN_SHARE_DELETE with `feedback`). Without it the
   * review runs by itself after `shareReviewMs`, with the outcome the campaign id selects.
   */
  async shareExternalCampaign(
    campaignId: string,
    accept?: boolean,
    feedback?: string,
  ): Promise<CampaignShare> {
    const shared = await this.shareCampaign(campaignId);
    if (accept === undefined) return shared;
    return this.decideShare(campaignId, accept ? 'accept' : 'delete', feedback);
  }

  decideShare(campaignId: string, decision: 'accept' | 'delete', feedback?: string): Promise<CampaignShare> {
    return this.call('POST', `/shares/${campaignId}/decision`, { decision, feedback });
  }

  /** Moves the sandbox clock forward; reviews that fall due run at once. Returns the new time. */
  async advanceClock(ms: number): Promise<string> {
    return (await this.call<{ now: string }>('POST', '/clock/advance', { ms })).now;
  }

  /** Replaces the fault settings (unspecified fields go back to "no fault"). */
  setFaults(faults: Partial<FaultSettings>): Promise<FaultSettings> {
    return this.call('POST', '/faults', faults);
  }

  clearFaults(): Promise<FaultSettings> {
    return this.call('POST', '/faults', {});
  }

  /** Every Twilio API request the sandbox answered, oldest first, with per-endpoint counts. */
  requests(): Promise<RequestLog> {
    return this.call('GET', '/requests');
  }

  /** The same as `requests()`. */
  requestLog(): Promise<RequestLog> {
    return this.requests();
  }

  async clearRequestLog(): Promise<void> {
    await this.call('DELETE', '/requests');
  }

  ledger(): Promise<Ledger> {
    return this.call('GET', '/ledger');
  }

  /** Where Event Streams CloudEvents go (null: nowhere). */
  async setEventSink(url: string | null): Promise<void> {
    await this.call('POST', '/event-sink', { url });
  }

  /** Where TCR campaign-sharing events go, with the shared secret sent as `X-A2P-Webhook-Secret`. */
  async setTcrWebhook(url: string | null, secret?: string | null): Promise<void> {
    await this.call('POST', '/tcr-webhook', { url, secret: secret ?? null });
  }

  /** The same as `setTcrWebhook`. */
  setTcrSink(url: string | null, secret?: string | null): Promise<void> {
    return this.setTcrWebhook(url, secret);
  }

  setDelivery(settings: Partial<DeliverySettings>): Promise<DeliverySettings> {
    return this.call('POST', '/delivery', settings);
  }

  async deliveries(): Promise<DeliveryAttempt[]> {
    return (await this.call<{ attempts: DeliveryAttempt[] }>('GET', '/deliveries')).attempts;
  }

  /**
   * How many deliveries are still under way (being sent, waiting for a retry, or held for
   * reordering). Every callback and event a call caused is under way when the call returns, so 0
   * afterwards means all of them have arrived or failed for good.
   */
  async pendingDeliveries(): Promise<number> {
    return (await this.call<{ pending: number }>('GET', '/deliveries')).pending;
  }

  /** The customer answers each OTP this long after it is sent (null: never, by themselves). */
  async setOtpAutoReply(ms: number | null): Promise<void> {
    await this.call('POST', '/otp-auto-reply', { ms });
  }
}
