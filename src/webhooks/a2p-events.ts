import { z } from 'zod';
import {
  A2P_BRAND_SID,
  A2P_MESSAGING_SERVICE_SID,
  A2P_MESSAGING_SERVICE_SIDS,
  brandStatusSignal,
  campaignStatusSignal,
  numberRegistrationSignal,
  type BrandStatusEvent,
  type CampaignStatusEvent,
  type NumberRegistrationEvent,
  type TwilioEventError,
} from '../shared';
import { BRAND_STATUSES, CAMPAIGN_STATUSES, IDENTITY_STATUSES } from '../domain/rules';
import { makeDelivery, type Delivery } from './dispatcher';
import { isoTime, normalizeKeys, reasonText, statusWord } from './routes/common';

/**
 * Twilio's A2P 10DLC Event Streams events in the workflows' words. The events speak their own
 * lower-case vocabulary (../shared/reference/twilio-events/README.md, "Data fields and the values
 * documented for them"); the workflows speak the REST API's (001 BrandRegistrations, 002
 * UsAppToPerson), because a fetch is their fallback for a lost event and both must read alike.
 *
 * Brand `brandstatus` → 001 `status`:
 *   registered → APPROVED   (unverified, verified, vetted and vetting-failure events all carry it)
 *   registration_failed → FAILED
 * Brand `identitystatus` → 001 `identity_status`:
 *   unverified → UNVERIFIED, verified → VERIFIED, vetted_verified → VETTED_VERIFIED,
 *   self_declared → SELF_DECLARED; vetting_failed (setup guide) has no REST identity status and
 *   leaves it unchanged: it is reported as the vetting outcome FAILED.
 * Brand `brandvettingoutcome`: success → SUCCESS; failure, failed → FAILED (the sources disagree).
 * Campaign `campaignregistrationstatus` → 002 `campaign_status`:
 *   approved, success → VERIFIED; failure, failed → FAILED; pending → IN_PROGRESS
 *   (the submitted event's word: TCR has the campaign, which is 002's IN_PROGRESS).
 * A value spelled in the REST words (any case) is kept, so a consumer relaying fetched state works.
 * A value neither vocabulary knows is left out, and the event type decides (below).
 */

const BRAND_STATUS_WORDS: Record<string, string> = { registered: 'APPROVED', registration_failed: 'FAILED' };
const IDENTITY_WORDS: Record<string, string | null> = {
  unverified: 'UNVERIFIED',
  verified: 'VERIFIED',
  vetted_verified: 'VETTED_VERIFIED',
  self_declared: 'SELF_DECLARED',
  vetting_failed: null,
};
const VETTING_WORDS: Record<string, string> = { success: 'SUCCESS', failure: 'FAILED', failed: 'FAILED' };
const CAMPAIGN_STATUS_WORDS: Record<string, string> = {
  approved: 'VERIFIED',
  success: 'VERIFIED',
  failure: 'FAILED',
  failed: 'FAILED',
  pending: 'IN_PROGRESS',
};

/**
 * A value in the REST words exactly as spelled, else in the event's words, else the REST word in
 * another case. So `PENDING` (REST) stays PENDING while `pending` (the submitted event) is IN_PROGRESS.
 */
function translate(
  value: string | undefined,
  rest: readonly string[],
  words: Record<string, string | null>,
): string | undefined {
  if (value === undefined) return undefined;
  if (rest.includes(value)) return value;
  const lower = value.toLowerCase();
  if (Object.hasOwn(words, lower)) return words[lower] ?? undefined;
  const upper = value.toUpperCase();
  return rest.includes(upper) ? upper : undefined;
}

export const BRAND_EVENT_PREFIX = 'com.twilio.messaging.compliance.brand-registration.';
export const CAMPAIGN_EVENT_PREFIX = 'com.twilio.messaging.compliance.campaign-registration.';
export const SUSPENDED_CAMPAIGN_EVENT_PREFIX =
  'com.twilio.messaging.compliance.suspended-campaign-registration.';
export const NUMBER_REGISTRATION_PREFIX = 'com.twilio.messaging.compliance.number-registration.';
export const NUMBER_DEREGISTRATION_PREFIX = 'com.twilio.messaging.compliance.number-deregistration.';

/** What a brand event type says when its data does not. */
const BRAND_TYPE_IMPLIES: Record<
  string,
  { brandStatus?: string; identityStatus?: string; vettingOutcome?: string }
> = {
  'brand-registered': { brandStatus: 'APPROVED' },
  'brand-failure': { brandStatus: 'FAILED' },
  'brand-unverified': { identityStatus: 'UNVERIFIED' },
  'brand-verified': { identityStatus: 'VERIFIED' },
  'brand-vetted-verified': { identityStatus: 'VETTED_VERIFIED' },
  'brand-secondary-vetting-failure': { vettingOutcome: 'FAILED' },
};

/** What a campaign event type says when its data does not. */
const CAMPAIGN_TYPE_IMPLIES: Record<string, string> = {
  'campaign-submitted': 'IN_PROGRESS',
  'campaign-approved': 'VERIFIED',
  'campaign-failure': 'FAILED',
};

/**
 * Campaign events that are recorded, not signalled: the registration deletes its own campaigns and
 * learns the outcome from the delete call (000 5.2), and neither type's status values are
 * documented, so a signal could only guess at a status.
 */
const CAMPAIGN_TYPES_RECORDED = new Set(['campaign-deleted']);

/**
 * Twilio's example SIDs in the events are placeholders 33 characters long (`BN000…1`) or shorter
 * (`BNXXXXXXXXX`), not real 34-character SIDs; a strict `^BN[0-9a-f]{32}$` would refuse Twilio's own
 * examples. The value only ever reaches a visibility query through `buildRunningWorkflowQuery`,
 * which admits plain tokens only.
 */
function sidLike(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9]{1,62}$`), `must be a ${prefix} SID`);
}

const brandDataSchema = z.object({
  brandsid: sidLike('BN'),
  brandstatus: statusWord.optional(),
  identitystatus: statusWord.optional(),
  brandvettingoutcome: statusWord.optional(),
});

const campaignDataSchema = z.object({
  messagingservicesid: sidLike('MG'),
  campaignsid: z
    .string()
    .regex(/^[A-Za-z0-9]{2,64}$/)
    .optional(),
  campaignregistrationstatus: statusWord.optional(),
  campaignstatus: statusWord.optional(),
});

const numberDataSchema = z.object({
  phonenumbersid: sidLike('PN'),
  messagingservicesid: sidLike('MG').optional(),
  campaignsid: z
    .string()
    .regex(/^[A-Za-z0-9]{2,64}$/)
    .optional(),
  externalstatus: statusWord.optional(),
});

/** The envelope fields a classification needs (the route validates them). */
export interface A2pCloudEvent {
  id: string;
  type: string;
  time?: string;
  data: Record<string, unknown>;
}

export type IgnoredReason =
  'unknown-type' | 'invalid-data' | 'no-status' | 'no-target' | 'recorded' | 'test-event';

export type Classified =
  { kind: 'delivery'; delivery: Delivery } | { kind: 'ignored'; reason: IgnoredReason };

const MAX_ERRORS = 20;
const MAX_FIELDS = 50;

function firstString(record: Record<string, unknown>, keys: string[], max: number): string | undefined {
  for (const key of keys) {
    const v = record[key];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, max);
  }
  return undefined;
}

function errorCode(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : undefined;
}

/** The error page's code: `…/docs/api/errors/30126` → 30126. */
function codeFromUrl(url: string | undefined): number | undefined {
  const m = url ? /\/errors\/(\d{1,6})\/?$/.exec(url) : null;
  return m ? errorCode(m[1]) : undefined;
}

function httpsUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\/\S+$/.test(value) ? value : undefined;
}

/**
 * `brandregistrationerrors` (`registrationerrorcode`, `registrationerrordescription`,
 * `registrationerrorurl`, `registrationerrorfields`) and the setup guide's `brandvettingerrors`
 * (`errorcode`, `errordescription`), as {@link TwilioEventError}s. Entries that are not objects
 * are skipped.
 */
export function eventErrors(...lists: unknown[]): TwilioEventError[] | undefined {
  const errors: TwilioEventError[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list.slice(0, MAX_ERRORS)) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      const e = normalizeKeys(item as Record<string, unknown>);
      const url = httpsUrl(firstString(e, ['registrationerrorurl', 'errorurl', 'url', 'moreinfo'], 500));
      const code =
        [e.registrationerrorcode, e.errorcode, e.code].map(errorCode).find((c) => c !== undefined) ??
        codeFromUrl(url);
      const description = firstString(
        e,
        ['registrationerrordescription', 'errordescription', 'description', 'message'],
        1000,
      );
      const rawFields = [e.registrationerrorfields, e.errorfields, e.fields].find(Array.isArray);
      const fields = rawFields
        ?.filter((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= 100)
        .slice(0, MAX_FIELDS);
      const error: TwilioEventError = {};
      if (code !== undefined) error.code = code;
      if (description !== undefined) error.description = description;
      if (url !== undefined) error.url = url;
      if (fields && fields.length > 0) error.fields = fields;
      if (Object.keys(error).length > 0) errors.push(error);
      if (errors.length >= MAX_ERRORS) return errors;
    }
  }
  return errors.length > 0 ? errors : undefined;
}

/** One readable line per error, `code: description (fields)`, as the REST errors are shown. */
export function errorsText(errors: TwilioEventError[] | undefined): string | undefined {
  const lines = (errors ?? [])
    .filter((e) => e.description !== undefined || e.code !== undefined)
    .map((e) => {
      const head = e.code !== undefined ? `${e.code}: ` : '';
      const fields = e.fields ? ` (${e.fields.join(', ')})` : '';
      return `${head}${e.description ?? `Twilio error ${e.code}`}${fields}`;
    });
  return lines.length > 0 ? lines.join('; ').slice(0, 2000) : undefined;
}

/**
 * The time to order events by: the data's `timestamp` (the event's time), else `updateddate` (the
 * resource's; brand events have only this), both epoch milliseconds; else the envelope's `time`
 * (older examples); else the time of receipt.
 */
function occurredAt(event: A2pCloudEvent, data: Record<string, unknown>, now: Date): string {
  return isoTime(data.timestamp) ?? isoTime(data.updateddate) ?? isoTime(event.time) ?? now.toISOString();
}

/** The payload without its absent fields, so a signal carries only what the event said. */
function compact<T extends object>(payload: T): T {
  return Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)) as T;
}

function suffix(type: string, prefix: string): string {
  return type.slice(prefix.length);
}

function classifyBrand(event: A2pCloudEvent, data: Record<string, unknown>, now: Date): Classified {
  const parsed = brandDataSchema.safeParse(data);
  if (!parsed.success) return { kind: 'ignored', reason: 'invalid-data' };
  const d = parsed.data;
  const implied = BRAND_TYPE_IMPLIES[suffix(event.type, BRAND_EVENT_PREFIX)] ?? {};
  const identityWord = d.identitystatus?.toLowerCase();
  const errors = eventErrors(data.brandregistrationerrors, data.brandvettingerrors);
  const payload: BrandStatusEvent = compact({
    eventId: event.id,
    occurredAt: occurredAt(event, data, now),
    brandSid: d.brandsid,
    brandStatus: translate(d.brandstatus, BRAND_STATUSES, BRAND_STATUS_WORDS) ?? implied.brandStatus,
    identityStatus:
      translate(d.identitystatus, IDENTITY_STATUSES, IDENTITY_WORDS) ??
      (identityWord === 'vetting_failed' ? undefined : implied.identityStatus),
    failureReason: reasonText(data.failurereason) ?? reasonText(data.failurereasons) ?? errorsText(errors),
    errors,
    vettingOutcome:
      translate(d.brandvettingoutcome, ['SUCCESS', 'FAILED'], VETTING_WORDS) ??
      (identityWord === 'vetting_failed' ? 'FAILED' : implied.vettingOutcome),
    eventType: event.type,
  });
  // brand-registration.sharing-created carries only the SIDs: nothing for a registration to act on.
  if (!payload.brandStatus && !payload.identityStatus && !payload.vettingOutcome && !errors)
    return { kind: 'ignored', reason: 'no-status' };
  return {
    kind: 'delivery',
    delivery: makeDelivery({
      kind: 'brand',
      eventId: payload.eventId,
      context: {
        eventType: event.type,
        eventId: event.id,
        brandSid: payload.brandSid,
        brandStatus: payload.brandStatus,
        identityStatus: payload.identityStatus,
      },
      target: { matches: [{ key: A2P_BRAND_SID, value: payload.brandSid }] },
      signal: brandStatusSignal,
      payload,
    }),
  };
}

function classifyCampaign(
  event: A2pCloudEvent,
  name: string,
  data: Record<string, unknown>,
  now: Date,
): Classified {
  if (CAMPAIGN_TYPES_RECORDED.has(name)) return { kind: 'ignored', reason: 'recorded' };
  const parsed = campaignDataSchema.safeParse(data);
  if (!parsed.success) return { kind: 'ignored', reason: 'invalid-data' };
  const d = parsed.data;
  const campaignStatus =
    translate(d.campaignregistrationstatus ?? d.campaignstatus, CAMPAIGN_STATUSES, CAMPAIGN_STATUS_WORDS) ??
    CAMPAIGN_TYPE_IMPLIES[name];
  if (!campaignStatus) return { kind: 'ignored', reason: 'no-status' };
  const code = errorCode(data.errorcode);
  const errors = code !== undefined ? [{ code }] : undefined;
  const payload: CampaignStatusEvent = compact({
    eventId: event.id,
    occurredAt: occurredAt(event, data, now),
    messagingServiceSid: d.messagingservicesid,
    campaignSid: d.campaignsid,
    campaignStatus,
    // The setup guide announces `campaignfailurereason`; no example carries it yet.
    failureReason:
      reasonText(data.campaignfailurereason) ??
      reasonText(data.failurereason) ??
      reasonText(data.failurereasons) ??
      (campaignStatus === 'FAILED' ? errorsText(errors) : undefined),
    errors,
    eventType: event.type,
  });
  return {
    kind: 'delivery',
    delivery: makeDelivery({
      kind: 'campaign',
      eventId: payload.eventId,
      context: {
        eventType: event.type,
        eventId: event.id,
        messagingServiceSid: payload.messagingServiceSid,
        campaignSid: payload.campaignSid,
        campaignStatus: payload.campaignStatus,
      },
      target: { matches: serviceMatches(payload.messagingServiceSid) },
      signal: campaignStatusSignal,
      payload,
    }),
  };
}

const NUMBER_OUTCOMES = ['pending', 'successful', 'failed'] as const;

function classifyNumber(
  event: A2pCloudEvent,
  action: NumberRegistrationEvent['action'],
  name: string,
  data: Record<string, unknown>,
  now: Date,
): Classified {
  const outcome = NUMBER_OUTCOMES.find((o) => o === name);
  if (!outcome) return { kind: 'ignored', reason: 'unknown-type' };
  const parsed = numberDataSchema.safeParse(data);
  if (!parsed.success) return { kind: 'ignored', reason: 'invalid-data' };
  const d = parsed.data;
  // v1 of the number schemas has no messagingservicesid; without it no registration can be found.
  if (!d.messagingservicesid) return { kind: 'ignored', reason: 'no-target' };
  // The schema spells it `failurereason`, the guide's examples `failureReason`; normalizeKeys joins them.
  const failureUrl = typeof data.failurereason === 'string' ? data.failurereason.trim() : undefined;
  const url = httpsUrl(failureUrl?.slice(0, 500));
  const code = codeFromUrl(url);
  const errors = url ? [{ ...(code !== undefined ? { code } : {}), url }] : undefined;
  const payload: NumberRegistrationEvent = compact({
    eventId: event.id,
    occurredAt: occurredAt(event, data, now),
    phoneNumberSid: d.phonenumbersid,
    messagingServiceSid: d.messagingservicesid,
    campaignSid: d.campaignsid,
    action,
    outcome,
    externalStatus: d.externalstatus?.toLowerCase(),
    failureReason: reasonText(failureUrl),
    errors,
    eventType: event.type,
  });
  return {
    kind: 'delivery',
    delivery: makeDelivery({
      kind: 'number',
      eventId: payload.eventId,
      context: {
        eventType: event.type,
        eventId: event.id,
        phoneNumberSid: payload.phoneNumberSid,
        messagingServiceSid: payload.messagingServiceSid,
        outcome,
      },
      target: { matches: serviceMatches(payload.messagingServiceSid) },
      signal: numberRegistrationSignal,
      payload,
    }),
  };
}

/**
 * The registrations that hold a Messaging Service: by its one service (a Sole Proprietor
 * registration, an external campaign) or among its services (a Standard registration's campaigns).
 */
function serviceMatches(messagingServiceSid: string) {
  return [
    { key: A2P_MESSAGING_SERVICE_SID, value: messagingServiceSid },
    { key: A2P_MESSAGING_SERVICE_SIDS, value: messagingServiceSid },
  ];
}

/**
 * Where an event goes: brand events to the workflows carrying the brand SID, campaign and number
 * events to those carrying the Messaging Service SID. Everything else is acknowledged.
 */
export function classifyEvent(event: A2pCloudEvent, now: Date): Classified {
  const data = normalizeKeys(event.data);
  const { type } = event;
  if (type.startsWith(BRAND_EVENT_PREFIX)) return classifyBrand(event, data, now);
  if (type.startsWith(CAMPAIGN_EVENT_PREFIX))
    return classifyCampaign(event, suffix(type, CAMPAIGN_EVENT_PREFIX), data, now);
  // A suspended campaign's deletion was asked for by someone; the registration has nothing to do.
  if (type.startsWith(SUSPENDED_CAMPAIGN_EVENT_PREFIX)) return { kind: 'ignored', reason: 'recorded' };
  if (type.startsWith(NUMBER_REGISTRATION_PREFIX))
    return classifyNumber(event, 'registration', suffix(type, NUMBER_REGISTRATION_PREFIX), data, now);
  if (type.startsWith(NUMBER_DEREGISTRATION_PREFIX))
    return classifyNumber(event, 'deregistration', suffix(type, NUMBER_DEREGISTRATION_PREFIX), data, now);
  // POST /v1/Sinks/{DG…}/Test sends this to prove the sink answers.
  if (type === 'com.twilio.eventstreams.test-event') return { kind: 'ignored', reason: 'test-event' };
  return { kind: 'ignored', reason: 'unknown-type' };
}
