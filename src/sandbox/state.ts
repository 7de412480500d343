import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Everything the sandbox knows, as plain JSON so it can be written to `SANDBOX_STATE_FILE` and read
 * back after a restart. Times are epoch milliseconds on the sandbox clock.
 */

export type BundleKind = 'customer-profile' | 'trust-product';
/** 000 1.8 / 2.6: draft, pending-review, in-review, twilio-rejected, twilio-approved. */
export type BundleStatus = 'draft' | 'pending-review' | 'in-review' | 'twilio-rejected' | 'twilio-approved';

/**
 * One entry of a rejected bundle's `errors` ("The error codes associated with the rejection",
 * twilio's CustomerProfiles typing; the entries' shape is not documented).
 */
export interface BundleError {
  code?: number;
  message: string;
  fields: string[];
}

export interface Bundle {
  kind: BundleKind;
  sid: string;
  friendlyName: string;
  email: string;
  policySid: string;
  statusCallback: string | null;
  status: BundleStatus;
  failureReason: string | null;
  /** Set while twilio-rejected; absent in state files from before it existed. */
  errors?: BundleError[];
  dateCreated: number;
  dateUpdated: number;
}

export interface Assignment {
  sid: string;
  bundleSid: string;
  objectSid: string;
  dateCreated: number;
}

export interface Evaluation {
  sid: string;
  bundleSid: string;
  policySid: string;
  status: 'compliant' | 'noncompliant';
  results: unknown[];
  dateCreated: number;
}

export interface EndUser {
  sid: string;
  friendlyName: string;
  type: string;
  attributes: Record<string, unknown>;
  dateCreated: number;
  dateUpdated: number;
}

export interface SupportingDocument {
  sid: string;
  friendlyName: string;
  type: string;
  attributes: Record<string, unknown>;
  dateCreated: number;
  dateUpdated: number;
}

export interface Address {
  sid: string;
  customerName: string;
  friendlyName: string | null;
  street: string;
  streetSecondary: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  emergencyEnabled: boolean;
  dateCreated: number;
  dateUpdated: number;
}

export interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  dateCreated: number;
}

export interface MessagingService {
  sid: string;
  friendlyName: string;
  usecase: string;
  statusCallback: string | null;
  inboundRequestUrl: string | null;
  dateCreated: number;
  dateUpdated: number;
}

export interface ServiceNumber {
  phoneNumberSid: string;
  serviceSid: string;
  dateCreated: number;
}

/**
 * A number's A2P registration for its service's campaign: after a number joins a service whose
 * campaign is VERIFIED (or the campaign is verified with numbers in it), Twilio registers it with
 * the carriers, which Event Streams reports as number-registration events.
 */
export interface NumberRegistration {
  phoneNumberSid: string;
  serviceSid: string;
  /** The campaign's Event Streams SID (CM…). */
  campaignSid: string;
  status: 'pending_registration' | 'registered' | 'failed' | 'pending_deregistration';
  dateUpdated: number;
}

export interface RegistrationError {
  error_code: number;
  description: string;
  url: string;
  fields: string[];
}

export interface Otp {
  sentAt: number;
  expiresAt: number;
  answeredAt: number | null;
  sends: number;
}

/** What TCR counts a brand's reuse by (000: mobile ≤ 3 brands, email and address ≤ 10). */
export interface BrandFacts {
  brandName: string | null;
  mobile: string | null;
  email: string | null;
  addressKey: string | null;
}

/** 001: "One of PENDING, APPROVED, FAILED, IN_REVIEW, DELETION_PENDING, DELETION_FAILED, SUSPENDED". */
export type BrandStatus =
  'PENDING' | 'APPROVED' | 'FAILED' | 'IN_REVIEW' | 'DELETION_PENDING' | 'DELETION_FAILED' | 'SUSPENDED';

export interface Brand {
  sid: string;
  customerProfileBundleSid: string;
  a2pProfileBundleSid: string;
  brandType: 'STANDARD' | 'SOLE_PROPRIETOR';
  mock: boolean;
  skipAutomaticSecVet: boolean;
  status: BrandStatus;
  identityStatus: 'UNVERIFIED' | 'VERIFIED' | 'VETTED_VERIFIED' | 'SELF_DECLARED' | null;
  tcrId: string | null;
  failureReason: string | null;
  errors: RegistrationError[];
  brandScore: number | null;
  facts: BrandFacts | null;
  /** True once TCR registered it: only registered brands count towards the reuse limits. */
  registered: boolean;
  otp: Otp | null;
  resubmissions: number;
  /** STANDARD brands: what TCR learnt from the A2P messaging profile (absent before review). */
  standard?: StandardFacts;
  /** 001 brand_feedback (e.g. TAX_ID) after a failed secondary vetting or an unverified identity. */
  feedback?: string[];
  /** Authentication+ (public companies): the 2FA email to brand_contact_email. */
  twoFa?: TwoFa | null;
  dateCreated: number;
  dateUpdated: number;
}

export interface StandardFacts {
  companyType: string | null;
  stockTicker: string | null;
  brandContactEmail: string | null;
  russell3000: boolean;
  governmentEntity: boolean;
  taxExemptStatus: string | null;
}

export interface TwoFa {
  sentAt: number;
  expiresAt: number;
  state: 'sent' | 'opened' | 'clicked' | 'completed' | 'timeout';
  sends: number;
}

/**
 * 002's statuses, and DELETION_PENDING for the seconds a deleted campaign takes to go (000 5.2:
 * "allow a few seconds for deletion to be finalized"; the status's name is the sandbox's).
 */
export type CampaignStatus =
  'PENDING' | 'IN_PROGRESS' | 'VERIFIED' | 'FAILED' | 'SUSPENDED' | 'DELETION_PENDING';

export interface Campaign {
  sid: string;
  /** The SID Event Streams names the campaign by (CM…); absent in state files from before it existed. */
  eventSid?: string;
  messagingServiceSid: string;
  brandRegistrationSid: string | null;
  campaignId: string;
  external: boolean;
  description: string | null;
  messageFlow: string | null;
  messageSamples: string[];
  usecase: string;
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  subscriberOptIn: boolean;
  ageGated: boolean;
  directLending: boolean;
  optInMessage: string | null;
  optOutMessage: string | null;
  helpMessage: string | null;
  optInKeywords: string[];
  optOutKeywords: string[];
  helpKeywords: string[];
  /** The twilio package's PrivacyPolicyUrl / TermsAndConditionsUrl; absent in older state files. */
  privacyPolicyUrl?: string | null;
  termsAndConditionsUrl?: string | null;
  mock: boolean;
  status: CampaignStatus;
  errors: RegistrationError[];
  /** 003: associations closer than five seconds apart fail asynchronously. */
  rateLimited: boolean;
  dateCreated: number;
  dateUpdated: number;
}

/** A campaign shared with Twilio as DCA on TCR (003), as TCR and Twilio's review see it. */
export interface CampaignShare {
  campaignId: string;
  status: 'PENDING' | 'ACCEPTED' | 'DELETED';
  feedback: string | null;
  dateCreated: number;
  dateUpdated: number;
}

export type FeeKind =
  | 'brand-registration'
  | 'brand-resubmission'
  | 'secondary-vetting'
  | 'authentication-plus'
  | 'campaign-vetting';

export interface LedgerEntry {
  sid: string;
  kind: FeeKind;
  amountUsd: number;
  time: string;
  note: string;
  /** The account (main or subaccount) whose request caused the fee; absent in older state files. */
  accountSid?: string;
}

export type ReviewKind =
  | 'bundle'
  | 'brand'
  | 'campaign'
  | 'external-campaign'
  | 'campaign-share'
  | 'campaign-deletion'
  | 'number-registration'
  | 'brand-2fa';

export interface Review {
  id: string;
  kind: ReviewKind;
  subject: string;
  stage: string;
  /** Sandbox time at which the review moves on by itself; null while it waits on something else. */
  dueAt: number | null;
  waitingFor: string | null;
  createdAt: number;
}

export interface StateData {
  version: 1;
  clockOffsetMs: number;
  bundles: Record<string, Bundle>;
  assignments: Record<string, Assignment>;
  evaluations: Record<string, Evaluation>;
  endUsers: Record<string, EndUser>;
  documents: Record<string, SupportingDocument>;
  addresses: Record<string, Address>;
  numbers: Record<string, IncomingNumber>;
  services: Record<string, MessagingService>;
  serviceNumbers: Record<string, ServiceNumber>;
  numberRegistrations: Record<string, NumberRegistration>;
  brands: Record<string, Brand>;
  campaigns: Record<string, Campaign>;
  shares: Record<string, CampaignShare>;
  ledger: LedgerEntry[];
  reviews: Record<string, Review>;
  lastExternalAssociationAt: number | null;
  /** Event Streams sinks (DG…) and subscriptions (DF…); absent in state files from before they existed. */
  sinks?: Record<string, Sink>;
  subscriptions?: Record<string, Subscription>;
  /** The main account's subaccounts (2010 Accounts resource), each with its own resources. */
  subaccounts?: Record<string, Subaccount>;
}

/**
 * An Event Streams webhook sink. The Sink resource's `sink_configuration` for a webhook:
 * `{ destination, method, batch_events }`; the Sink Validate page: "The status of Webhook Sinks will
 * be active by default".
 */
export interface Sink {
  sid: string;
  description: string;
  sinkType: 'webhook';
  destination: string;
  method: 'POST';
  /** false: one event per request; true: everything one step emits in one request. */
  batchEvents: boolean;
  /** The configuration as the caller sent it, rendered back as `sink_configuration`. */
  configuration: Record<string, unknown>;
  status: 'active';
  /** `data.test_id` of the last test event sent (Sinks/{sid}/Test). */
  lastTestId: string | null;
  dateCreated: number;
  dateUpdated: number;
}

/** One event type of a subscription (Subscribed Event resource: `type`, `schema_version`). */
export interface SubscribedEvent {
  type: string;
  schemaVersion: number;
}

export interface Subscription {
  sid: string;
  sinkSid: string;
  description: string;
  types: SubscribedEvent[];
  dateCreated: number;
  dateUpdated: number;
}

/** 2010 Accounts resource: "Usually active, but can be suspended or closed". */
export type AccountStatus = 'active' | 'suspended' | 'closed';

export interface Subaccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: AccountStatus;
  dateCreated: number;
  dateUpdated: number;
  /** Everything the subaccount owns: bundles, brands, services, campaigns, numbers, reviews. */
  state: StateData;
}

export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** The ISV's own approved primary customer profile, which 000 1.6.3 assigns to every starter profile. */
export const PRIMARY_PROFILE_SID = 'BU00000000000000000000000000000001';
/** Twilio's primary business customer profile policy (the policy of the seeded primary profile). */
export const PRIMARY_PROFILE_POLICY_SID = 'RN7a97559effdf62d00f4298208492a5ea';

/** Numbers the account owns from the start; the first is the one the project's sample request uses. */
export const SEEDED_NUMBERS: { sid: string; phoneNumber: string }[] = [
  { sid: 'PN00000000000000000000000000000001', phoneNumber: '+14155550101' },
  { sid: 'PN00000000000000000000000000000002', phoneNumber: '+14155550102' },
  { sid: 'PN00000000000000000000000000000003', phoneNumber: '+14155550103' },
  { sid: 'PN00000000000000000000000000000004', phoneNumber: '+14155550104' },
  { sid: 'PN00000000000000000000000000000005', phoneNumber: '+14155550105' },
];

export function initialState(now: number): StateData {
  const numbers: Record<string, IncomingNumber> = {};
  for (const n of SEEDED_NUMBERS)
    numbers[n.sid] = {
      sid: n.sid,
      phoneNumber: n.phoneNumber,
      friendlyName: n.phoneNumber,
      dateCreated: now,
    };
  return {
    version: 1,
    clockOffsetMs: 0,
    bundles: {
      [PRIMARY_PROFILE_SID]: {
        kind: 'customer-profile',
        sid: PRIMARY_PROFILE_SID,
        friendlyName: 'ISV primary customer profile',
        email: 'compliance@isv.example.com',
        policySid: PRIMARY_PROFILE_POLICY_SID,
        statusCallback: null,
        status: 'twilio-approved',
        failureReason: null,
        dateCreated: now,
        dateUpdated: now,
      },
    },
    assignments: {},
    evaluations: {},
    endUsers: {},
    documents: {},
    addresses: {},
    numbers,
    services: {},
    serviceNumbers: {},
    numberRegistrations: {},
    brands: {},
    campaigns: {},
    shares: {},
    ledger: [],
    reviews: {},
    lastExternalAssociationAt: null,
    sinks: {},
    subscriptions: {},
  };
}

export function loadState(file: string, now: number): StateData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return initialState(now);
  }
  const parsed = JSON.parse(text) as Partial<StateData>;
  if (parsed.version !== 1)
    throw new Error(`${file}: not a sandbox state file (version ${String(parsed.version)})`);
  const state = { ...initialState(now), ...parsed };
  // Built now rather than on the first request that needs them, which would otherwise pay for
  // indexing every customer's assignments and brands.
  reindexAssignments(state);
  reindexBrands(state);
  return state;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file behind. */
export function saveState(file: string, state: StateData): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/**
 * Each state's assignments by bundle, built when a state is loaded or pre-filled (a new state's on
 * first use) and kept up to date by {@link addAssignment} / {@link removeAssignment}, so that
 * looking up one bundle's assignments does not scan every customer's.
 */
const assignmentIndex = new WeakMap<StateData['assignments'], Map<string, Map<string, Assignment>>>();

/** The map's value at `key`, first set to `make()` when there is none. */
function valueAt<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

const newAssignments = () => new Map<string, Assignment>();

function indexOf(state: StateData): Map<string, Map<string, Assignment>> {
  let index = assignmentIndex.get(state.assignments);
  if (!index) {
    index = new Map();
    for (const a of Object.values(state.assignments))
      valueAt(index, a.bundleSid, newAssignments).set(a.sid, a);
    assignmentIndex.set(state.assignments, index);
  }
  return index;
}

/** One bundle's assignments, in the order they were made. */
export function assignmentsOf(state: StateData, bundleSid: string): Assignment[] {
  return [...(indexOf(state).get(bundleSid)?.values() ?? [])];
}

export function addAssignment(state: StateData, a: Assignment): void {
  const index = indexOf(state);
  state.assignments[a.sid] = a;
  valueAt(index, a.bundleSid, newAssignments).set(a.sid, a);
}

export function removeAssignment(state: StateData, a: Assignment): void {
  delete state.assignments[a.sid];
  indexOf(state).get(a.bundleSid)?.delete(a.sid);
}

/**
 * Rebuilds the index after the assignments were changed directly (a load, a bulk pre-fill), at
 * once: the first request that looks one up then finds it built.
 */
export function reindexAssignments(state: StateData): void {
  assignmentIndex.delete(state.assignments);
  indexOf(state);
}

/** The facts TCR counts a brand's reuse by (BrandFacts' keys but its name). */
export type ReuseFact = Exclude<keyof BrandFacts, 'brandName'>;
const REUSE_FACTS: readonly ReuseFact[] = ['mobile', 'email', 'addressKey'];

interface BrandIndex {
  /** Bundle SID → the brands registered with it (as customer profile or A2P trust bundle). */
  byBundle: Map<string, Set<Brand>>;
  /** Reuse fact and value → the brands whose facts hold it. */
  byFact: Map<string, Set<Brand>>;
}

/**
 * Each state's brands by bundle and by reuse fact, built when a state is loaded or pre-filled (a
 * new state's on first use) and kept up to date by {@link addBrand}, {@link removeBrand} and
 * {@link setBrandFacts}, so that a bundle submission or a brand review does not scan every
 * customer's brands.
 */
const brandIndex = new WeakMap<StateData['brands'], BrandIndex>();

const factKey = (fact: ReuseFact, value: string) => `${fact}\u0000${value}`;

function indexBrand(index: BrandIndex, brand: Brand): void {
  for (const bundleSid of [brand.customerProfileBundleSid, brand.a2pProfileBundleSid])
    valueAt(index.byBundle, bundleSid, () => new Set<Brand>()).add(brand);
  for (const fact of REUSE_FACTS) {
    const value = brand.facts?.[fact];
    if (value) valueAt(index.byFact, factKey(fact, value), () => new Set<Brand>()).add(brand);
  }
}

function unindexBrand(index: BrandIndex, brand: Brand): void {
  for (const bundleSid of [brand.customerProfileBundleSid, brand.a2pProfileBundleSid])
    index.byBundle.get(bundleSid)?.delete(brand);
  for (const fact of REUSE_FACTS) {
    const value = brand.facts?.[fact];
    if (value) index.byFact.get(factKey(fact, value))?.delete(brand);
  }
}

function brandIndexOf(state: StateData): BrandIndex {
  let index = brandIndex.get(state.brands);
  if (!index) {
    index = { byBundle: new Map(), byFact: new Map() };
    for (const brand of Object.values(state.brands)) indexBrand(index, brand);
    brandIndex.set(state.brands, index);
  }
  return index;
}

export function addBrand(state: StateData, brand: Brand): void {
  const index = brandIndexOf(state);
  state.brands[brand.sid] = brand;
  indexBrand(index, brand);
}

export function removeBrand(state: StateData, brand: Brand): void {
  delete state.brands[brand.sid];
  unindexBrand(brandIndexOf(state), brand);
}

/** Records what TCR learnt of a brand (its facts change only through here). */
export function setBrandFacts(state: StateData, brand: Brand, facts: BrandFacts): void {
  const index = brandIndexOf(state);
  unindexBrand(index, brand);
  brand.facts = facts;
  indexBrand(index, brand);
}

/** The brands registered with a bundle, as its customer profile or its A2P trust bundle. */
export function brandsWithBundle(state: StateData, bundleSid: string): Brand[] {
  return [...(brandIndexOf(state).byBundle.get(bundleSid) ?? [])];
}

/** The brands whose facts hold `value` for `fact`. */
export function brandsWithFact(state: StateData, fact: ReuseFact, value: string): Brand[] {
  return [...(brandIndexOf(state).byFact.get(factKey(fact, value)) ?? [])];
}

/** Rebuilds the index after the brands were changed directly (a load, a bulk pre-fill), at once. */
export function reindexBrands(state: StateData): void {
  brandIndex.delete(state.brands);
  brandIndexOf(state);
}
