import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

/**
 * Twilio's documented Event Streams payloads (../shared/reference/twilio-events/, read as they are,
 * never changed) made deliverable to one running registration: a parsed copy gets that
 * registration's SIDs in place of the examples' placeholders, and the test signs it for its own
 * sink URL. Nothing else in the payload changes: types, statuses, errors and times stay Twilio's.
 */
export const EVENTS_DIR = resolve(__dirname, '../../../shared/reference/twilio-events');

/** Every payload file, relative to EVENTS_DIR (as the webhook unit test lists them). */
export function payloadFiles(dir = EVENTS_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return payloadFiles(full);
    return /\.(json|txt)$/.test(name) ? [relative(EVENTS_DIR, full)] : [];
  });
}

export function readPayload(file: string): string {
  return readFileSync(join(EVENTS_DIR, file), 'utf8');
}

/** The SIDs of the registration an event is meant for; only those the file names are needed. */
export interface RegistrationSids {
  accountSid: string;
  brandSid?: string;
  messagingServiceSid?: string;
  /** The CM… SID Event Streams name the campaign by (the REST resource's QE… SID is another). */
  campaignSid?: string;
  phoneNumberSid?: string;
}

/** The data fields that hold a SID, and which of the registration's SIDs goes there. */
const SID_FIELDS: Record<string, keyof RegistrationSids> = {
  accountsid: 'accountSid',
  brandsid: 'brandSid',
  messagingservicesid: 'messagingServiceSid',
  campaignsid: 'campaignSid',
  phonenumbersid: 'phoneNumberSid',
};

function sidFor(field: string, sids: RegistrationSids, file: string): string {
  const key = SID_FIELDS[field];
  const sid = key ? sids[key] : undefined;
  if (!sid) throw new Error(`${file} names a ${field}: the test must give its ${key ?? field}`);
  return sid;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One CloudEvent with the registration's SIDs in its data and an id of its own: Twilio gives
 * every event a unique id, while the examples print one placeholder for all of them, which the
 * webhook server and the workflow would rightly take for a redelivery of an earlier example.
 */
function substituted(event: Json, sids: RegistrationSids, file: string): Json {
  if (!isObject(event.data)) throw new Error(`${file}: an event without a data object`);
  const data: Json = { ...event.data };
  for (const field of Object.keys(data)) {
    if (field in SID_FIELDS) data[field] = sidFor(field, sids, file);
  }
  return { ...event, id: randomUUID(), data };
}

/**
 * The body of a delivery of `file` to the registration with `sids`: a JSON array stays an array,
 * a single object stays one (the server accepts both; Twilio's pages print both).
 */
export function eventBody(file: string, sids: RegistrationSids): string {
  const parsed: unknown = JSON.parse(readPayload(file));
  if (Array.isArray(parsed)) {
    return JSON.stringify(parsed.map((e) => substituted(e as Json, sids, file)));
  }
  if (!isObject(parsed)) throw new Error(`${file}: neither a CloudEvent nor an array of them`);
  return JSON.stringify(substituted(parsed, sids, file));
}

/**
 * The setup guide's malformed blocks (raw/*.txt) cannot be parsed, so their SIDs are replaced in
 * the text: what reaches the server is Twilio's misprint, addressed to this registration.
 */
export function rawBody(file: string, sids: RegistrationSids): string {
  return readPayload(file).replace(
    /"(accountsid|brandsid|messagingservicesid|campaignsid|phonenumbersid)"(\s*:\s*)"[^"]*"/g,
    (_match, field: string, colon: string) => `"${field}"${colon}"${sidFor(field, sids, file)}"`,
  );
}

/** The type each JSON Schema example is the data of (README, "Event types"). */
const SCHEMA_EXAMPLE_TYPES: Record<string, string> = {
  'A2P.BrandRegisteredUnverified': 'com.twilio.messaging.compliance.brand-registration.brand-unverified',
  'A2P.BrandRegistrationSecondaryVettingFailure':
    'com.twilio.messaging.compliance.brand-registration.brand-secondary-vetting-failure',
};

/**
 * A JSON Schema example is a `data` object without an envelope (README, "Files"). It is sent as
 * the data of its type in the envelope of the current event-type pages, named after its schema
 * and version (`A2P.BrandRegisteredUnverified.v3.example-data.json` → `…/A2P.BrandRegisteredUnverified/3`).
 */
export function schemaExampleBody(file: string, sids: RegistrationSids): string {
  const match = /^(.+)\.v(\d+)\.example-data\.json$/.exec(basename(file));
  const type = match ? SCHEMA_EXAMPLE_TYPES[match[1] ?? ''] : undefined;
  if (!match || !type) throw new Error(`${file}: not a known schema example`);
  const data: unknown = JSON.parse(readPayload(file));
  if (!isObject(data)) throw new Error(`${file}: the example is not a data object`);
  const event = {
    specversion: '1.0',
    type,
    source: 'AB00000000000000000000000001',
    id: 'NO00000000000000000000000001',
    dataschema: `https://events-schemas.twilio.com/${match[1]}/${match[2]}`,
    data,
  };
  return JSON.stringify([substituted(event, sids, file)]);
}

/** The body to deliver for any payload file, each kind as described above. */
export function deliverable(file: string, sids: RegistrationSids): string {
  if (file.endsWith('.txt')) return rawBody(file, sids);
  if (file.startsWith('schema-examples/')) return schemaExampleBody(file, sids);
  return eventBody(file, sids);
}
