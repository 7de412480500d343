import type { TwilioClient } from '../../../src/twilio/client';
import { A2P_MESSAGING_POLICY, SECONDARY_POLICY, type TestSandbox } from './helpers';

let counter = 0;

export interface StandardData {
  business: Record<string, unknown>;
  representative: Record<string, unknown>;
  messaging: Record<string, unknown>;
  email: string;
}

/** Ordinary Standard-path data (every value unique); `overrides` replace single attributes. */
export function standardData(
  overrides: {
    business?: Record<string, unknown>;
    representative?: Record<string, unknown>;
    messaging?: Record<string, unknown>;
  } = {},
): StandardData {
  counter += 1;
  const n = `${Date.now() % 100000}${counter}`;
  const email = `ops.${n}@acme.example.com`;
  return {
    email,
    business: {
      business_name: `Acme Corporation ${n}`,
      business_type: 'Corporation',
      business_registration_identifier: 'EIN',
      business_registration_number: `12-${String(1000000 + counter).slice(-7)}`,
      business_identity: 'direct_customer',
      business_industry: 'RETAIL',
      business_regions_of_operation: 'USA_AND_CANADA',
      website_url: 'https://acme.example.com',
      ...overrides.business,
    },
    representative: {
      first_name: 'Ada',
      last_name: 'Smith',
      email,
      phone_number: '+14155550111',
      business_title: 'CEO',
      job_position: 'CEO',
      ...overrides.representative,
    },
    messaging: { company_type: 'private', brand_contact_email: email, ...overrides.messaging },
  };
}

export interface StandardBundles {
  customerProfileSid: string;
  trustProductSid: string;
}

/** The secondary customer profile and the A2P messaging profile, assembled and (by default) submitted. */
export async function secondaryBundles(
  client: TwilioClient,
  primaryProfileSid: string,
  data: StandardData = standardData(),
  options: { submit?: boolean } = {},
): Promise<StandardBundles> {
  const th = client.trusthub.v1;
  const profile = await th.customerProfiles.create({
    friendlyName: 'secondary profile',
    email: data.email,
    policySid: SECONDARY_POLICY,
  });
  const business = await th.endUsers.create({
    friendlyName: 'business information',
    type: 'customer_profile_business_information',
    attributes: data.business,
  });
  const rep = await th.endUsers.create({
    friendlyName: 'authorized representative',
    type: 'authorized_representative_1',
    attributes: data.representative,
  });
  const address = await client.addresses.create({
    customerName: String(data.business.business_name),
    street: `${counter} Market St`,
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    isoCountry: 'US',
  });
  const doc = await th.supportingDocuments.create({
    friendlyName: 'address',
    type: 'customer_profile_address',
    attributes: { address_sids: address.sid },
  });
  for (const objectSid of [business.sid, rep.sid, doc.sid, primaryProfileSid])
    await th.customerProfiles(profile.sid).customerProfilesEntityAssignments.create({ objectSid });
  const product = await th.trustProducts.create({
    friendlyName: 'A2P messaging profile',
    email: data.email,
    policySid: A2P_MESSAGING_POLICY,
  });
  const messaging = await th.endUsers.create({
    friendlyName: 'messaging profile information',
    type: 'us_a2p_messaging_profile_information',
    attributes: data.messaging,
  });
  for (const objectSid of [messaging.sid, profile.sid])
    await th.trustProducts(product.sid).trustProductsEntityAssignments.create({ objectSid });
  if (options.submit ?? true) {
    await th.customerProfiles(profile.sid).update({ status: 'pending-review' });
    await th.trustProducts(product.sid).update({ status: 'pending-review' });
  }
  return { customerProfileSid: profile.sid, trustProductSid: product.sid };
}

/** Both bundles reviewed, then a STANDARD brand created (not yet reviewed). */
export async function standardBrand(
  t: TestSandbox,
  data: StandardData = standardData(),
  options: { skipAutomaticSecVet?: boolean; client?: TwilioClient } = {},
) {
  const client = options.client ?? t.client;
  const bundles = await secondaryBundles(client, t.sandbox.primaryProfileSid, data);
  await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
  await t.sandbox.control.advance(`bundle-${bundles.trustProductSid}`);
  const brand = await client.messaging.v1.brandRegistrations.create({
    brandType: 'STANDARD',
    customerProfileBundleSid: bundles.customerProfileSid,
    a2PProfileBundleSid: bundles.trustProductSid,
    skipAutomaticSecVet: options.skipAutomaticSecVet,
  });
  return { bundles, brandSid: brand.sid, data };
}
