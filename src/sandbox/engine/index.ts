import type { DeliveryAttempt, DeliverySettings } from '../callbacks';
import {
  type Address,
  type Brand,
  type Bundle,
  type LedgerEntry,
  type MessagingService,
  newSid,
  PRIMARY_PROFILE_SID,
  reindexAssignments,
  reindexBrands,
} from '../state';
import { SOLE_PROPRIETOR_POLICY, STARTER_PROFILE_POLICY } from '../trust-policies';
import { isoDate } from '../wire';
import { Account } from './account';
import { Brands } from './brands';
import { Campaigns } from './campaigns';
import { EngineCore, type EngineOptions, type RequestLogEntry, type SandboxTimings } from './core';
import { EventStreams } from './event-streams';
import { ExternalCampaigns } from './external';
import { Services } from './services';
import { TrustHub } from './trust-hub';

export { campaignVerificationMs, DEFAULT_TIMINGS, FEES, ConflictError } from './core';
export type { EngineOptions, RequestLogEntry, SandboxTimings } from './core';
export { MAX_BRAND_RESUBMISSIONS, TCR_LIMITS } from './brands';
export { EXTERNAL_ASSOCIATION_INTERVAL_MS } from './external';

/**
 * The sandbox's Twilio, one module per resource so each documented rule has one home:
 *
 *   trustHub   bundles, end-users, documents, assignments, evaluations, bundle reviews (000 1–2, 004)
 *   account    Addresses and the account's numbers (2010 API)
 *   brands     BrandRegistrations, TCR's review, reuse limits, the OTP (000 3, 001)
 *   services   Messaging Services and their sender pool (000 4, 6)
 *   campaigns  UsAppToPerson campaigns and their review (000 5, 002)
 *   external   TCR-registered campaigns: shares and associations (003)
 *   eventStreams  Event Streams Sinks, Subscriptions and Subscribed Events (events.twilio.com/v1)
 *
 * The HTTP resources (`../resources/`) parse and render Twilio's wire format and check each
 * parameter's own shape (required, pattern, length); every rule that depends on what exists lives
 * in these modules. They share an {@link EngineCore}: the state, the clock, the fee ledger, the
 * review scheduler and outgoing callbacks. Nothing outside this folder touches the state.
 */
export class Engine {
  private readonly core: EngineCore;
  readonly trustHub: TrustHub;
  readonly account: Account;
  readonly brands: Brands;
  readonly services: Services;
  readonly campaigns: Campaigns;
  readonly external: ExternalCampaigns;
  readonly eventStreams: EventStreams;
  requestLog: RequestLogEntry[] = [];

  constructor(options: EngineOptions) {
    this.core = new EngineCore(options);
    this.trustHub = new TrustHub(this.core, this);
    this.account = new Account(this.core);
    this.brands = new Brands(this.core, this, options.otpAutoReplyMs ?? null);
    this.services = new Services(this.core, this);
    this.campaigns = new Campaigns(this.core, this);
    this.external = new ExternalCampaigns(this.core, this);
    this.eventStreams = new EventStreams(this.core);
    this.core.reviews.rearm();
    this.brands.rearm();
  }

  /** The account the current request acts for (the main account outside requests). */
  get accountSid(): string {
    return this.core.accountSid;
  }

  get mainAccountSid(): string {
    return this.core.mainAccountSid;
  }

  /** The account these credentials are (main or subaccount), or null. */
  authenticate(sid: string, token: string): string | null {
    return this.core.authenticate(sid, token);
  }

  inAccount<T>(sid: string, run: () => T): T {
    return this.core.inAccount(sid, run);
  }

  subaccounts() {
    return this.core.subaccounts();
  }

  subaccount(sid: string) {
    return this.core.subaccount(sid);
  }

  createSubaccount(friendlyName: string) {
    return this.core.createSubaccount(friendlyName);
  }

  /**
   * Runs `run` as the account that owns the resource `sid` (bundle, brand, campaign, service or
   * Messaging Service SID): the control API names resources, not accounts.
   */
  asOwnerOf<T>(sid: string, run: () => T): T {
    const owner = this.core.accounts().find((a) => {
      const st = this.core.stateOf(a);
      return (
        st !== undefined &&
        (st.bundles[sid] ?? st.brands[sid] ?? st.campaigns[sid] ?? st.services[sid] ?? st.numbers[sid]) !==
          undefined
      );
    });
    return this.core.inAccount(owner ?? this.core.mainAccountSid, run);
  }

  get authToken(): string {
    return this.core.authToken;
  }

  get timings(): SandboxTimings {
    return this.core.timings;
  }

  // ---- clock, persistence, ledger

  now(): number {
    return this.core.now();
  }

  /** Moves the sandbox clock; reviews whose time has come run now. */
  advanceClock(ms: number): void {
    this.core.state.clockOffsetMs += ms;
    this.core.reviews.runDue();
    this.core.changed();
  }

  changed(): void {
    this.core.changed();
  }

  /** Runs one request or decision; the Event Streams events it causes go out as one batch. */
  batched<T>(run: () => T): T {
    return this.core.batched(run);
  }

  ledger(): LedgerEntry[] {
    return this.core.state.ledger;
  }

  /**
   * Puts `count` earlier customers' registrations straight into the state, as an account that has
   * registered them long ago holds them: per customer two end-users, an address, its supporting
   * document, a starter profile and a trust bundle (in review, with their assignments), an
   * approved, verified brand and a Messaging Service. Nothing is billed, reviewed or called back:
   * they only make Twilio's lists as long as a busy ISV's, in milliseconds instead of hours.
   */
  prefill(count: number): { customers: number } {
    const s = this.core.state;
    const at = this.core.now() - 24 * 3600_000;
    for (let i = 0; i < count; i++) {
      const id = `prefill-${Date.now().toString(36)}-${i}`;
      const name = (resource: string) => `a2p-registration-${id}/${resource}`;
      const stamp = { dateCreated: at + i, dateUpdated: at + i };
      const endUser = (type: string, attributes: Record<string, unknown>) => {
        const u = { sid: newSid('IT'), friendlyName: name(type), type, attributes, ...stamp };
        s.endUsers[u.sid] = u;
        return u.sid;
      };
      const starter = endUser('starter_customer_profile_information', {
        first_name: 'Earlier',
        last_name: `Customer ${i}`,
        email: `customer${i}@example.com`,
        phone_number: '+14155550100',
      });
      const soleProprietor = endUser('sole_proprietor_information', {
        brand_name: `Earlier customer ${i}`,
        mobile_phone_number: '+14155550100',
      });
      const address: Address = {
        sid: newSid('AD'),
        customerName: `Earlier customer ${i}`,
        friendlyName: name('address'),
        street: '1 Main St',
        streetSecondary: null,
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        isoCountry: 'US',
        emergencyEnabled: false,
        ...stamp,
      };
      s.addresses[address.sid] = address;
      const doc = {
        sid: newSid('RD'),
        friendlyName: name('address-document'),
        type: 'customer_profile_address',
        attributes: { address_sids: address.sid },
        ...stamp,
      };
      s.documents[doc.sid] = doc;
      const bundle = (kind: Bundle['kind'], policySid: string, objectSids: string[]): string => {
        const b: Bundle = {
          kind,
          sid: newSid('BU'),
          friendlyName: name(kind),
          email: `customer${i}@example.com`,
          policySid,
          statusCallback: null,
          status: 'in-review',
          failureReason: null,
          ...stamp,
        };
        s.bundles[b.sid] = b;
        for (const objectSid of objectSids) {
          const a = { sid: newSid('BV'), bundleSid: b.sid, objectSid, dateCreated: at + i };
          s.assignments[a.sid] = a;
        }
        return b.sid;
      };
      const profile = bundle('customer-profile', STARTER_PROFILE_POLICY, [
        starter,
        doc.sid,
        PRIMARY_PROFILE_SID,
      ]);
      const trustProduct = bundle('trust-product', SOLE_PROPRIETOR_POLICY, [soleProprietor, profile]);
      const brand: Brand = {
        sid: newSid('BN'),
        customerProfileBundleSid: profile,
        a2pProfileBundleSid: trustProduct,
        brandType: 'SOLE_PROPRIETOR',
        mock: false,
        skipAutomaticSecVet: false,
        status: 'APPROVED',
        identityStatus: 'VERIFIED',
        tcrId: null,
        failureReason: null,
        errors: [],
        brandScore: null,
        facts: null,
        registered: false,
        otp: null,
        resubmissions: 0,
        ...stamp,
      };
      s.brands[brand.sid] = brand;
      const service: MessagingService = {
        sid: newSid('MG'),
        friendlyName: `a2p-registration-${id}`,
        usecase: 'undeclared',
        statusCallback: null,
        inboundRequestUrl: null,
        ...stamp,
      };
      s.services[service.sid] = service;
    }
    reindexAssignments(s);
    reindexBrands(s);
    this.core.changed();
    return { customers: count };
  }

  reset(): void {
    this.brands.clearTimers();
    this.core.resetState();
    this.requestLog = [];
  }

  close(): void {
    this.brands.clearTimers();
    this.core.close();
  }

  // ---- reviews

  advance(id: string) {
    return this.core.reviews.advance(id);
  }

  advanceAll(maxSteps = 1000): number {
    return this.core.reviews.advanceAll(maxSteps);
  }

  pendingReviews() {
    return [...this.core.reviews.list(), ...this.brands.pendingOtps()];
  }

  // ---- callbacks

  get eventSinkUrl(): string | null {
    return this.core.eventSinkUrl;
  }

  set eventSinkUrl(url: string | null) {
    this.core.eventSinkUrl = url;
  }

  get tcrWebhookUrl(): string | null {
    return this.core.tcrWebhookUrl;
  }

  setTcrWebhook(url: string | null, secret: string | null): void {
    this.core.tcrWebhookUrl = url;
    this.core.tcrWebhookSecret = secret;
  }

  get delivery(): DeliverySettings {
    return this.core.deliverer.settings;
  }

  /** Changes how callbacks are delivered; turning reordering off sends what it holds. */
  setDelivery(patch: Partial<DeliverySettings>): DeliverySettings {
    const deliverer = this.core.deliverer;
    if (deliverer.settings.reorder && patch.reorder === false) deliverer.flushHeld();
    deliverer.settings = { ...deliverer.settings, ...patch };
    return deliverer.settings;
  }

  resetDelivery(settings: DeliverySettings): void {
    this.core.deliverer.settings = { ...settings };
  }

  deliveries(): DeliveryAttempt[] {
    return this.core.deliverer.log;
  }

  /** Deliveries still under way (sent, to be retried, or held). */
  pendingDeliveries(): number {
    return this.core.deliverer.pending;
  }

  /** Sandbox time as Twilio's v1 APIs write it. */
  isoNow(): string {
    return isoDate(this.core.now());
  }
}
