import { randomBytes, randomUUID } from 'node:crypto';
import type { CloudEvent } from '../callbacks';
import type { Brand, Campaign, RegistrationError } from '../state';
import type { EngineCore } from './core';

/**
 * Event Streams payloads as Twilio documents them (../shared/reference/twilio-events/): the data
 * of each type has the keys and values of Twilio's example for it, in the events' own lower-case
 * words, with epoch-millisecond dates. The envelope follows the setup guide's examples
 * (`datacontenttype: application/json` and a `time`; the current pages put a timestamp in
 * `datacontenttype`, which their README calls a doc-generator quirk) with the current schema
 * versions in `dataschema`.
 */

const COMPLIANCE = 'com.twilio.messaging.compliance.';

/** `dataschema` name and version for each type this sandbox sends (README table, latest seen). */
const SCHEMAS: Record<string, [string, number]> = {
  'brand-registration.brand-registered': ['A2P.BrandRegistered', 2],
  'brand-registration.brand-failure': ['A2P.BrandRegistrationFailure', 3],
  'brand-registration.brand-verified': ['A2P.BrandRegistrationVerified', 1],
  'brand-registration.brand-vetted-verified': ['A2P.BrandRegistrationVettedVerified', 1],
  'brand-registration.brand-unverified': ['A2P.BrandRegisteredUnverified', 3],
  'brand-registration.brand-secondary-vetting-failure': ['A2P.BrandRegistrationSecondaryVettingFailure', 2],
  // README: only email-2fa-clicked has an example (v2); the other 2FA types' schemas are NOT FOUND,
  // so they are named after it.
  'brand-registration.email-2fa-sent': ['A2P.BrandRegistrationEmail2FASent', 2],
  'brand-registration.email-2fa-opened': ['A2P.BrandRegistrationEmail2FAOpened', 2],
  'brand-registration.email-2fa-clicked': ['A2P.BrandRegistrationEmail2FAClicked', 2],
  'brand-registration.email-2fa-completed': ['A2P.BrandRegistrationEmail2FACompleted', 2],
  'brand-registration.email-2fa-timeout': ['A2P.BrandRegistrationEmail2FATimeout', 2],
  'campaign-registration.campaign-submitted': ['A2P.CampaignRegistrationSubmitted', 1],
  'campaign-registration.campaign-approved': ['A2P.CampaignRegistrationApproved', 2],
  'campaign-registration.campaign-failure': ['A2P.CampaignRegistrationFailure', 1],
  'number-registration.pending': ['A2P.NumberRegistrationPending', 2],
  'number-registration.successful': ['A2P.NumberRegistrationSuccessful', 1],
  'number-registration.failed': ['A2P.NumberRegistrationFailed', 2],
  'number-deregistration.pending': ['A2P.NumberDeregistrationPending', 2],
  'number-deregistration.successful': ['A2P.NumberDeregistrationSuccessful', 1],
};

export type EventName = keyof typeof SCHEMAS;

/** The schema version the sandbox sends a type in (the latest seen), if it sends that type. */
export function schemaVersionOf(type: string): number | undefined {
  return type.startsWith(COMPLIANCE) ? SCHEMAS[type.slice(COMPLIANCE.length)]?.[1] : undefined;
}

function envelope(core: EngineCore, name: EventName, data: Record<string, unknown>): CloudEvent {
  const [schema, version] = SCHEMAS[name] ?? ['A2P.Unknown', 1];
  return {
    specversion: '1.0',
    type: COMPLIANCE + name,
    // The examples' `source` and `id` are SID-like placeholders (AB…, NO…); which resource they
    // name is not documented. Here: the account's sink, and a fresh id per event.
    source: `AB${core.accountSid.slice(2)}`,
    id: `NO${randomBytes(16).toString('hex')}`,
    dataschema: `https://events-schemas.twilio.com/${schema}/${version}`,
    datacontenttype: 'application/json',
    time: new Date(core.now()).toISOString(),
    data,
  };
}

/** The SID a campaign's events carry (CM…, as in Twilio's examples; the REST resource is QE…). */
export function campaignEventSid(c: Campaign): string {
  return c.eventSid ?? `CM${c.sid.slice(2)}`;
}

function brandData(core: EngineCore, brand: Brand): Record<string, unknown> {
  return {
    accountsid: core.accountSid,
    brandsid: brand.sid,
    // 001 APPROVED (and every later identity event) is `registered`; FAILED is `registration_failed`.
    brandstatus: brand.status === 'FAILED' ? 'registration_failed' : 'registered',
    externalbrandid: brand.tcrId ?? undefined,
    createddate: brand.dateCreated,
    updateddate: brand.dateUpdated,
  };
}

/** brand-registration.brand-registered: the data of Twilio's example, no identity status. */
export function brandRegistered(core: EngineCore, brand: Brand): CloudEvent {
  return envelope(core, 'brand-registration.brand-registered', brandData(core, brand));
}

/** brand-registration.brand-failure: `brandregistrationerrors`, and no `failurereason` (Twilio sends none). */
export function brandFailure(core: EngineCore, brand: Brand, errors: RegistrationError[]): CloudEvent {
  const { externalbrandid: _none, ...data } = brandData(core, brand);
  return envelope(core, 'brand-registration.brand-failure', {
    ...data,
    brandregistrationerrors: registrationErrors(errors),
  });
}

/** brand-registration.brand-verified (setup guide): identity `verified`, empty feedback. */
export function brandVerified(core: EngineCore, brand: Brand): CloudEvent {
  return envelope(core, 'brand-registration.brand-verified', {
    ...brandData(core, brand),
    identitystatus: 'verified',
    brandfeedback: '',
  });
}

/** brand-registration.brand-vetted-verified (setup guide): secondary vetting passed, with its scores. */
export function brandVettedVerified(core: EngineCore, brand: Brand): CloudEvent {
  return envelope(core, 'brand-registration.brand-vetted-verified', {
    ...brandData(core, brand),
    identitystatus: 'vetted_verified',
    brandvettingoutcome: 'success',
    vettingscore: brand.brandScore ?? undefined,
    brandfeedback: '',
    brandscore: brand.brandScore ?? undefined,
  });
}

function registrationErrors(errors: RegistrationError[]) {
  return errors.map((e) => ({
    registrationerrorcode: e.error_code,
    registrationerrordescription: e.description,
    registrationerrorurl: e.url,
    registrationerrorfields: e.fields,
  }));
}

/** brand-registration.brand-unverified (schema v3 example): identity `unverified`, feedback and errors. */
export function brandUnverified(core: EngineCore, brand: Brand, errors: RegistrationError[]): CloudEvent {
  return envelope(core, 'brand-registration.brand-unverified', {
    ...brandData(core, brand),
    // The example carries `registered` even though the REST brand is FAILED.
    brandstatus: 'registered',
    identitystatus: 'unverified',
    brandfeedback: (brand.feedback ?? []).join(','),
    brandregistrationerrors: registrationErrors(errors),
  });
}

/**
 * brand-registration.brand-secondary-vetting-failure, v2 schema example: identity stays `verified`,
 * `brandvettingoutcome: failed`, the scores, comma-joined feedback and `brandregistrationerrors`.
 */
export function brandSecondaryVettingFailure(
  core: EngineCore,
  brand: Brand,
  errors: RegistrationError[],
): CloudEvent {
  return envelope(core, 'brand-registration.brand-secondary-vetting-failure', {
    ...brandData(core, brand),
    identitystatus: 'verified',
    brandvettingoutcome: 'failed',
    brandscore: brand.brandScore ?? undefined,
    vettingscore: brand.brandScore ?? undefined,
    brandfeedback: (brand.feedback ?? []).join(','),
    brandregistrationerrors: registrationErrors(errors),
  });
}

export type TwoFaEvent = 'sent' | 'opened' | 'clicked' | 'completed' | 'timeout';

/** brand-registration.email-2fa-*: the clicked example's data (no identity status, no feedback). */
export function email2fa(core: EngineCore, brand: Brand, what: TwoFaEvent): CloudEvent {
  return envelope(core, `brand-registration.email-2fa-${what}`, brandData(core, brand));
}

/** Campaign events: `campaignregistrationstatus` in each example's word. */
const CAMPAIGN_WORDS = {
  'campaign-registration.campaign-submitted': 'pending',
  'campaign-registration.campaign-approved': 'approved',
  'campaign-registration.campaign-failure': 'failure',
} as const;

export function campaignEvent(core: EngineCore, name: keyof typeof CAMPAIGN_WORDS, c: Campaign): CloudEvent {
  return envelope(core, name, {
    accountsid: core.accountSid,
    brandsid: c.brandRegistrationSid ?? undefined,
    campaignsid: campaignEventSid(c),
    messagingservicesid: c.messagingServiceSid,
    // Only the approved example carries the TCR campaign id.
    externalcampaignid: name === 'campaign-registration.campaign-approved' ? c.campaignId : undefined,
    a2pusecase: c.external ? undefined : c.usecase,
    createddate: c.dateCreated,
    updateddate: c.dateUpdated,
    campaignregistrationstatus: CAMPAIGN_WORDS[name],
    timestamp: core.now(),
  });
}

export interface NumberEventSubject {
  phoneNumberSid: string;
  phoneNumber: string;
  serviceSid: string;
  campaignSid: string;
  updatedAt: number;
  /** number-registration.failed: an error-doc URL (`failurereason`, as the v2 schema spells it). */
  failureReason?: string;
}

/** `externalstatus` of each number event (README, number registration table). */
const NUMBER_STATUS = {
  'number-registration.pending': 'pending_registration',
  'number-registration.successful': 'registered',
  'number-registration.failed': 'failure',
  'number-deregistration.pending': 'pending_deregistration',
  'number-deregistration.successful': 'unregistered',
} as const;

/** Number (de)registration events, v2 fields; deregistration-successful carries no campaign. */
export function numberEvent(
  core: EngineCore,
  name: keyof typeof NUMBER_STATUS,
  n: NumberEventSubject,
): CloudEvent {
  return envelope(core, name, {
    accountsid: core.accountSid,
    timestamp: core.now(),
    id: randomUUID(),
    campaignsid: name === 'number-deregistration.successful' ? undefined : n.campaignSid,
    externalstatus: NUMBER_STATUS[name],
    phonenumbersid: n.phoneNumberSid,
    updateddate: n.updatedAt,
    phonenumber: n.phoneNumber,
    messagingservicesid: n.serviceSid,
    failurereason: name === 'number-registration.failed' ? n.failureReason : undefined,
  });
}
