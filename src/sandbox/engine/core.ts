import { randomBytes } from 'node:crypto';
import { Deliverer, type CloudEvent } from '../callbacks';
import { initialState, loadState, saveState, type FeeKind, type StateData } from '../state';
import { isoDate } from '../wire';
import { Reviews } from './reviews';

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
  /** A number's A2P registration for its campaign: pending → registered (and deregistration). */
  numberRegistrationMs: number;
  /** 000 5.2 / 003: a deleted campaign or association takes "a few seconds" to be finalized. */
  campaignDeletionMs: number;
}

export const DEFAULT_TIMINGS: SandboxTimings = {
  bundleReviewMs: 300,
  bundleApprovalMs: 600,
  brandReviewMs: 500,
  campaignReviewMs: 400,
  externalReviewMs: 500,
  shareReviewMs: 300,
  otpValidityMs: 24 * 60 * 60_000,
  numberRegistrationMs: 300,
  campaignDeletionMs: 2_000,
};

/** Fees (reference README): brand registration ~$4, secondary vetting $40, campaign vetting $15. */
export const FEES: Record<FeeKind, number> = {
  'brand-registration': 4,
  'brand-resubmission': 4,
  'secondary-vetting': 40,
  // Authentication+ support article: "TCR charges a $12.50 fee each time a brand completes the new
  // Authentication Plus step" (public, for-profit brands only).
  'authentication-plus': 12.5,
  'campaign-vetting': 15,
};

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  endpoint: string;
  status: number;
  durationMs: number;
  fault: string | null;
  /**
   * The request ran to a success (a write took effect), whether or not its answer then reached
   * the caller: a dropped or late answer still counts. Absent in logs from before it existed.
   */
  committed?: boolean;
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

export { ConflictError } from './errors';

/** The shortest time between two saves of the state file. */
const MIN_SAVE_INTERVAL_MS = 200;
/** The time until the next save is at least this many times the last save's duration. */
const SAVE_COST_FACTOR = 20;

/** A TCR-style id: `prefix` and six upper-case letters or digits. */
export function tcrId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return prefix + Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * What every resource module shares: the state (plain JSON, persisted), the sandbox clock, the fee
 * ledger, the review scheduler and the outgoing callbacks. Only the modules in this folder hold it;
 * the HTTP resources and the control API go through the {@link Engine} facade.
 */
export class EngineCore {
  state: StateData;
  readonly timings: SandboxTimings;
  readonly accountSid: string;
  readonly authToken: string;
  eventSinkUrl: string | null;
  tcrWebhookUrl: string | null;
  tcrWebhookSecret: string | null;
  readonly deliverer: Deliverer;
  readonly reviews: Reviews;
  readonly warn: (message: string) => void;
  closed = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSaveAt = 0;
  private saveIntervalMs = MIN_SAVE_INTERVAL_MS;

  constructor(private readonly options: EngineOptions) {
    this.accountSid = options.accountSid;
    this.authToken = options.authToken;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.eventSinkUrl = options.eventSinkUrl ?? null;
    this.tcrWebhookUrl = options.tcrWebhookUrl ?? null;
    this.tcrWebhookSecret = options.tcrWebhookSecret ?? null;
    this.warn = options.warn ?? (() => undefined);
    this.deliverer = new Deliverer(() => this.authToken, this.warn);
    this.state = options.stateFile ? loadState(options.stateFile, Date.now()) : initialState(Date.now());
    this.reviews = new Reviews(this);
  }

  /** The sandbox clock: real time plus whatever the control API advanced it by. */
  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  /**
   * Schedules a save of the state file. Each save rewrites the whole state, which with thousands of
   * customers is megabytes, so saves are coalesced: one save covers every change since the last,
   * and the next comes no sooner than {@link MIN_SAVE_INTERVAL_MS}, or {@link SAVE_COST_FACTOR}
   * times as long as the last save took, so writing costs at most a few per cent of the time
   * however large the state grows. `close()` saves the last state.
   */
  changed(): void {
    if (!this.options.stateFile || this.saveTimer || this.closed) return;
    const wait = Math.max(0, this.lastSaveAt + this.saveIntervalMs - Date.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      if (!this.closed) this.flush();
    }, wait);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.options.stateFile) return;
    const started = Date.now();
    saveState(this.options.stateFile, this.state);
    this.lastSaveAt = Date.now();
    this.saveIntervalMs = Math.max(MIN_SAVE_INTERVAL_MS, (this.lastSaveAt - started) * SAVE_COST_FACTOR);
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

  private batch: CloudEvent[] | null = null;

  /**
   * Event Streams delivers a JSON array of events. Everything one request, decision or review step
   * changes goes out as one batch: `run` collects the events it emits and sends them together.
   */
  batched<T>(run: () => T): T {
    if (this.batch) return run();
    this.batch = [];
    try {
      return run();
    } finally {
      const events = this.batch;
      this.batch = null;
      if (this.eventSinkUrl && events.length > 0) this.deliverer.events(this.eventSinkUrl, events);
    }
  }

  emit(...events: CloudEvent[]): void {
    for (const event of events)
      // Event Streams sends `null` fields as absent; drop undefined ones from the data.
      event.data = Object.fromEntries(Object.entries(event.data).filter(([, v]) => v !== undefined));
    if (this.batch) this.batch.push(...events);
    else this.batched(() => this.emit(...events));
  }

  /** A TCR campaign-sharing event (003), to the webhook the ISV registered with TCR. */
  tcrEvent(
    type: 'CAMPAIGN_SHARE_ACCEPT' | 'CAMPAIGN_SHARE_DELETE',
    campaignId: string,
    feedback: string | null,
  ) {
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

  /** Forgets everything: a fresh state with the seeds. */
  resetState(): void {
    this.reviews.clearTimers();
    this.state = initialState(Date.now());
    this.deliverer.log.length = 0;
    this.changed();
  }

  close(): void {
    this.closed = true;
    this.reviews.clearTimers();
    this.deliverer.close();
    this.flush();
  }
}
