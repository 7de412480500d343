import { randomBytes } from 'node:crypto';
import { Deliverer, type CloudEvent } from '../callbacks';
import {
  initialState,
  loadState,
  newSid,
  saveState,
  type FeeKind,
  type StateData,
  type Subaccount,
} from '../state';
import { isoDate } from '../wire';
import { sinkDeliveries } from './event-streams';
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

/**
 * How long a campaign whose brand is approved and verified takes from its create to VERIFIED:
 * 000 5.1: "Once TCR has begun its own review process ... the Campaign will be IN_PROGRESS", so
 * the sandbox reviews it in two stages, PENDING → IN_PROGRESS → VERIFIED, `campaignReviewMs` each.
 */
export const campaignVerificationMs = (timings: SandboxTimings): number => 2 * timings.campaignReviewMs;

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
export const MIN_SAVE_INTERVAL_MS = 200;
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
  /** The main account's state; subaccounts' states hang off it (`subaccounts`). */
  private root!: StateData;
  /** The subaccount the current request or step acts for; null: the main account. */
  private scope: Subaccount | null = null;
  readonly timings: SandboxTimings;
  readonly mainAccountSid: string;
  private readonly mainAuthToken: string;
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
    this.mainAccountSid = options.accountSid;
    this.mainAuthToken = options.authToken;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.eventSinkUrl = options.eventSinkUrl ?? null;
    this.tcrWebhookUrl = options.tcrWebhookUrl ?? null;
    this.tcrWebhookSecret = options.tcrWebhookSecret ?? null;
    this.warn = options.warn ?? (() => undefined);
    this.deliverer = new Deliverer(() => this.authToken, this.warn);
    this.state = options.stateFile ? loadState(options.stateFile, Date.now()) : initialState(Date.now());
    this.reviews = new Reviews(this);
  }

  /** The state of the account the current request acts for. */
  get state(): StateData {
    return this.scope ? this.scope.state : this.root;
  }

  set state(state: StateData) {
    this.root = state;
    this.scope = null;
  }

  /** The account the current request acts for (the main account, or one of its subaccounts). */
  get accountSid(): string {
    return this.scope?.sid ?? this.mainAccountSid;
  }

  /** Its auth token: what its callbacks and events are signed with. */
  get authToken(): string {
    return this.scope?.authToken ?? this.mainAuthToken;
  }

  subaccounts(): Subaccount[] {
    return Object.values(this.root.subaccounts ?? {});
  }

  subaccount(sid: string): Subaccount | undefined {
    return this.root.subaccounts?.[sid];
  }

  /** Every account's SID, the main account's first. */
  accounts(): string[] {
    return [this.mainAccountSid, ...this.subaccounts().map((a) => a.sid)];
  }

  stateOf(sid: string): StateData | undefined {
    return sid === this.mainAccountSid ? this.root : this.subaccount(sid)?.state;
  }

  /** Runs `run` as the account `sid` (its state, SID and token). */
  inAccount<T>(sid: string, run: () => T): T {
    const previous = this.scope;
    const next = sid === this.mainAccountSid ? null : this.subaccount(sid);
    if (next === undefined) throw new Error(`no account ${sid}`);
    this.scope = next;
    try {
      return run();
    } finally {
      this.scope = previous;
    }
  }

  /** The account whose SID and auth token these are, or null. */
  authenticate(sid: string, token: string): string | null {
    if (sid === this.mainAccountSid) return token === this.mainAuthToken ? sid : null;
    const sub = this.subaccount(sid);
    return sub && sub.authToken === token ? sid : null;
  }

  /** 2010 Accounts create: a subaccount with its own SID, auth token and (empty) resources. */
  createSubaccount(friendlyName: string): Subaccount {
    const now = this.now();
    const state = initialState(now);
    // A subaccount owns no numbers until it buys some or is given some. It carries the ISV's
    // approved primary profile (the Secondary Customer Profile page: "A Primary Customer Profile
    // in the twilio-approved state created in the same account").
    state.numbers = {};
    const sub: Subaccount = {
      sid: newSid('AC'),
      authToken: randomBytes(16).toString('hex'),
      friendlyName,
      status: 'active',
      dateCreated: now,
      dateUpdated: now,
      state,
    };
    this.root.subaccounts = { ...(this.root.subaccounts ?? {}), [sub.sid]: sub };
    return sub;
  }

  /** The sandbox clock: real time plus whatever the control API advanced it by. */
  now(): number {
    return Date.now() + this.root.clockOffsetMs;
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
    saveState(this.options.stateFile, this.root);
    this.lastSaveAt = Date.now();
    this.saveIntervalMs = Math.max(MIN_SAVE_INTERVAL_MS, (this.lastSaveAt - started) * SAVE_COST_FACTOR);
  }

  charge(sid: string, kind: FeeKind, note: string, free = false): void {
    // The fee ledger is the main account's: Twilio bills subaccount usage to it; each entry names
    // the account whose request caused it.
    this.root.ledger.push({
      accountSid: this.accountSid,
      sid,
      kind,
      amountUsd: free ? 0 : FEES[kind],
      time: isoDate(this.now()),
      note: free ? `${note} (mock: not billed)` : note,
    });
  }

  private batch: { account: string; event: CloudEvent }[] | null = null;

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
      const batch = this.batch;
      this.batch = null;
      this.publish(batch);
    }
  }

  /**
   * Sends one step's events to the sinks of the accounts that own them (an Event Streams sink sees
   * only its own account's: reference README, ISVs), each signed with that account's auth token.
   * The configured sink URL is the main account's and receives all its events, as one array; its
   * Sinks (Sink resource) receive the events their subscriptions name, one per request unless the
   * sink's `batch_events` is true. A destination receives each event once.
   */
  private publish(batch: { account: string; event: CloudEvent }[]): void {
    const byAccount = new Map<string, CloudEvent[]>();
    for (const { account, event } of batch) {
      const events = byAccount.get(account);
      if (events) events.push(event);
      else byAccount.set(account, [event]);
    }
    for (const [account, events] of byAccount) {
      const token = this.authTokenOf(account);
      const state = this.stateOf(account);
      if (token === undefined || state === undefined) continue;
      const sent = new Set<string>();
      if (account === this.mainAccountSid && this.eventSinkUrl) {
        this.deliverer.events(this.eventSinkUrl, events, token);
        sent.add(this.eventSinkUrl);
      }
      for (const d of sinkDeliveries(state, events)) {
        if (sent.has(d.destination)) continue;
        sent.add(d.destination);
        if (d.batchEvents) this.deliverer.events(d.destination, d.events, token);
        else for (const event of d.events) this.deliverer.events(d.destination, [event], token);
      }
    }
  }

  /** The auth token of the account `sid` (main or subaccount). */
  authTokenOf(sid: string): string | undefined {
    return sid === this.mainAccountSid ? this.mainAuthToken : this.subaccount(sid)?.authToken;
  }

  emit(...events: CloudEvent[]): void {
    for (const event of events)
      // Event Streams sends `null` fields as absent; drop undefined ones from the data.
      event.data = Object.fromEntries(Object.entries(event.data).filter(([, v]) => v !== undefined));
    if (this.batch) this.batch.push(...events.map((event) => ({ account: this.accountSid, event })));
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
