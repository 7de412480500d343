import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
  type SandboxTimings,
} from '../../../src/sandbox';
import { createTwilioClient, type TwilioClient } from '../../../src/twilio/client';

export const STARTER_POLICY = 'RN806dd6cd175f314e1f96a9727ee271f4';
export const SP_POLICY = 'RN670d5d2e282a6130ae063b234b6019c8';

/** Reviews that never move by themselves within a test: the test advances or decides them. */
export const MANUAL: SandboxTimings = {
  bundleReviewMs: 3_600_000,
  bundleApprovalMs: 3_600_000,
  brandReviewMs: 3_600_000,
  campaignReviewMs: 3_600_000,
  externalReviewMs: 3_600_000,
  shareReviewMs: 3_600_000,
  otpValidityMs: 24 * 3_600_000,
  numberRegistrationMs: 3_600_000,
  campaignDeletionMs: 3_600_000,
};

export interface TestSandbox {
  sandbox: RunningSandbox;
  client: TwilioClient;
  close(): Promise<void>;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', timings: MANUAL, ...options });
  const client = createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    apiBaseUrl: sandbox.url,
    timeoutMs: 10_000,
  });
  return { sandbox, client, close: () => sandbox.close() };
}

/** Polls until `check` returns a value (not undefined), for at most `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface CustomerData {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
  mobile: string;
  brandName: string;
  vertical?: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
}

let counter = 0;
/** Ordinary data: every value unique, so TCR's reuse limits never trip by accident. */
export function customer(overrides: Partial<CustomerData> = {}): CustomerData {
  counter += 1;
  const n = `${Date.now() % 100000}${counter}`;
  return {
    firstName: 'Jane',
    lastName: 'Doe',
    email: `jane.${n}@example.com`,
    phoneNumber: '+14155550123',
    mobile: `+1415${String(1000000 + counter).slice(-7)}`,
    brandName: `Jane Doe Pottery ${n}`,
    vertical: 'RETAIL',
    street: `${counter} Main St`,
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94016',
    isoCountry: 'US',
    ...overrides,
  };
}

export interface Bundles {
  customerProfileSid: string;
  trustProductSid: string;
  addressSid: string;
  starterEndUserSid: string;
  soleProprietorEndUserSid: string;
  documentSid: string;
}

/** 000 steps 1 and 2 through the real client: both bundles complete, evaluated and submitted. */
export async function soleProprietorBundles(
  client: TwilioClient,
  primaryProfileSid: string,
  data: CustomerData,
  options: { statusCallback?: string; submit?: boolean } = {},
): Promise<Bundles> {
  const th = client.trusthub.v1;
  const profile = await th.customerProfiles.create({
    friendlyName: `${data.firstName} ${data.lastName} Starter Customer Profile Bundle`,
    email: data.email,
    policySid: STARTER_POLICY,
    statusCallback: options.statusCallback,
  });
  const starter = await th.endUsers.create({
    attributes: {
      email: data.email,
      first_name: data.firstName,
      last_name: data.lastName,
      phone_number: data.phoneNumber,
    },
    friendlyName: 'Starter Profile End User',
    type: 'starter_customer_profile_information',
  });
  const address = await client.addresses.create({
    customerName: `${data.firstName} ${data.lastName}`,
    street: data.street,
    city: data.city,
    region: data.region,
    postalCode: data.postalCode,
    isoCountry: data.isoCountry,
  });
  const doc = await th.supportingDocuments.create({
    attributes: { address_sids: address.sid },
    friendlyName: 'SP Document Address',
    type: 'customer_profile_address',
  });
  for (const objectSid of [starter.sid, doc.sid, primaryProfileSid])
    await th.customerProfiles(profile.sid).customerProfilesEntityAssignments.create({ objectSid });

  const product = await th.trustProducts.create({
    friendlyName: `${data.firstName} ${data.lastName} Sole Proprietor A2P Trust Bundle`,
    email: data.email,
    policySid: SP_POLICY,
    statusCallback: options.statusCallback,
  });
  const sp = await th.endUsers.create({
    attributes: {
      brand_name: data.brandName,
      mobile_phone_number: data.mobile,
      ...(data.vertical ? { vertical: data.vertical } : {}),
    },
    friendlyName: 'Sole Proprietor A2P Trust Bundle End User',
    type: 'sole_proprietor_information',
  });
  for (const objectSid of [sp.sid, profile.sid])
    await th.trustProducts(product.sid).trustProductsEntityAssignments.create({ objectSid });

  if (options.submit ?? true) {
    await th.customerProfiles(profile.sid).update({ status: 'pending-review' });
    await th.trustProducts(product.sid).update({ status: 'pending-review' });
  }
  return {
    customerProfileSid: profile.sid,
    trustProductSid: product.sid,
    addressSid: address.sid,
    starterEndUserSid: starter.sid,
    soleProprietorEndUserSid: sp.sid,
    documentSid: doc.sid,
  };
}

/** Bundles submitted and reviewed (in-review), and a Sole Proprietor brand registered and reviewed. */
export async function reviewedBrand(t: TestSandbox, data: CustomerData = customer()) {
  const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data);
  await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
  await t.sandbox.control.advance(`bundle-${bundles.trustProductSid}`);
  const brand = await t.client.messaging.v1.brandRegistrations.create({
    brandType: 'SOLE_PROPRIETOR',
    customerProfileBundleSid: bundles.customerProfileSid,
    a2PProfileBundleSid: bundles.trustProductSid,
  });
  await t.sandbox.control.advance(`brand-${brand.sid}`);
  return { bundles, brandSid: brand.sid, data };
}

export const CAMPAIGN = {
  description: 'Send marketing messages about sales and offers',
  messageFlow:
    'End users opt-in by visiting www.example.com and adding their phone number. They then check a box agreeing to receive text messages from Example Brand. Term and Conditions at www.example.com/tc. Privacy Policy at www.example.com/privacy',
  messageSamples: ['Book your next OWL FLIGHT for just 1 EUR', 'Twilio draw the OWL event is ON'],
  usAppToPersonUsecase: 'SOLE_PROPRIETOR',
  hasEmbeddedLinks: true,
  hasEmbeddedPhone: true,
};

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** What to answer next (default 200). */
  respond: (r: Received) => number;
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 that records what it is sent. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    respond: () => 200,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      res.writeHead(receiver.respond(r), { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export const SECONDARY_POLICY = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
export const A2P_MESSAGING_POLICY = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';

/** The Standard path's bundles (reference README): a secondary customer profile and an A2P messaging profile. */
export async function standardBundles(
  client: TwilioClient,
  primaryProfileSid: string,
  email = `ops.${Date.now()}@acme.example.com`,
) {
  const th = client.trusthub.v1;
  const profile = await th.customerProfiles.create({
    friendlyName: 'Acme secondary profile',
    email,
    policySid: SECONDARY_POLICY,
  });
  const business = await th.endUsers.create({
    friendlyName: 'Acme business information',
    type: 'customer_profile_business_information',
    attributes: {
      business_name: 'Acme Corporation',
      business_type: 'Corporation',
      business_registration_identifier: 'EIN',
      business_registration_number: '12-3456789',
      business_identity: 'direct_customer',
      business_industry: 'RETAIL',
      business_regions_of_operation: 'USA_AND_CANADA',
      website_url: 'https://acme.example.com',
    },
  });
  const rep = await th.endUsers.create({
    friendlyName: 'Acme authorized representative',
    type: 'authorized_representative_1',
    attributes: {
      first_name: 'Ada',
      last_name: 'Smith',
      email,
      phone_number: '+14155550111',
      business_title: 'CEO',
      job_position: 'CEO',
    },
  });
  const address = await client.addresses.create({
    customerName: 'Acme Corporation',
    street: `${Date.now() % 10000} Market St`,
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    isoCountry: 'US',
  });
  const doc = await th.supportingDocuments.create({
    friendlyName: 'Acme address',
    type: 'customer_profile_address',
    attributes: { address_sids: address.sid },
  });
  for (const objectSid of [business.sid, rep.sid, doc.sid, primaryProfileSid])
    await th.customerProfiles(profile.sid).customerProfilesEntityAssignments.create({ objectSid });
  const product = await th.trustProducts.create({
    friendlyName: 'Acme A2P messaging profile',
    email,
    policySid: A2P_MESSAGING_POLICY,
  });
  const messaging = await th.endUsers.create({
    friendlyName: 'Acme messaging profile information',
    type: 'us_a2p_messaging_profile_information',
    attributes: { company_type: 'private', brand_contact_email: email },
  });
  for (const objectSid of [messaging.sid, profile.sid])
    await th.trustProducts(product.sid).trustProductsEntityAssignments.create({ objectSid });
  await th.customerProfiles(profile.sid).update({ status: 'pending-review' });
  await th.trustProducts(product.sid).update({ status: 'pending-review' });
  return { customerProfileSid: profile.sid, trustProductSid: product.sid };
}
