import { US_A2P_COMPLIANCE_SID } from '../../../src/sandbox';
import { CAMPAIGN, MANUAL, customer, reviewedBrand, startTestSandbox, type TestSandbox } from './helpers';

/**
 * Every Node.js sample of 000 (the Sole Proprietor walkthrough), run in order through the real
 * `twilio` package against the sandbox. Only the client construction differs, and placeholder SIDs
 * (BUXXXX…, ITXXXX…) are replaced by the SIDs the earlier samples returned.
 */
describe('000 Sole Proprietor walkthrough samples', () => {
  let t: TestSandbox;
  let client: TestSandbox['client'];
  const sids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestSandbox({ timings: MANUAL });
    client = t.client;
  });
  afterAll(() => t.close());

  test('1.1 fetches the Starter Customer Profile policy', async () => {
    const policies = await client.trusthub.v1.policies('RN806dd6cd175f314e1f96a9727ee271f4').fetch();
    expect(policies.friendlyName).toBe('Starter Customer Profile of type Business');
    expect(policies.sid).toBe('RN806dd6cd175f314e1f96a9727ee271f4');
    expect(policies.url).toBe('https://trusthub.twilio.com/v1/Policies/RN806dd6cd175f314e1f96a9727ee271f4');
    const req = policies.requirements as {
      end_user: { type: string; fields: string[] }[];
      supporting_document: { accepted_documents: { type: string }[]; requirement_name: string }[][];
      supporting_customer_profiles: { type: string; requirement_name: string }[];
      supporting_trust_products: unknown[];
    };
    expect(req.end_user[0]).toMatchObject({
      type: 'starter_customer_profile_information',
      fields: ['first_name', 'last_name', 'email', 'phone_number'],
    });
    expect(req.supporting_document[0]?.[0]?.requirement_name).toBe('customer_profile_address');
    expect(req.supporting_document[0]?.[0]?.accepted_documents.map((d) => d.type)).toEqual([
      'customer_profile_address',
      'starter_customer_profile_address',
    ]);
    expect(req.supporting_customer_profiles).toEqual([
      {
        type: 'primary_customer_profile_type_business',
        name: 'Primary Customer Profile Bundle',
        requirement_name: 'primary_customer_profile',
      },
    ]);
    expect(req.supporting_trust_products).toEqual([]);
  });

  test('1.2 creates an empty Starter Customer Profile bundle in draft', async () => {
    const customer_profiles = await client.trusthub.v1.customerProfiles.create({
      friendlyName: 'John Doe Starter Customer Profile Bundle',
      email: 'johndoe@example.com',
      policySid: 'RN806dd6cd175f314e1f96a9727ee271f4',
    });
    sids.profile = customer_profiles.sid;
    expect(customer_profiles.sid).toMatch(/^BU[0-9a-f]{32}$/);
    expect(customer_profiles).toMatchObject({
      policySid: 'RN806dd6cd175f314e1f96a9727ee271f4',
      friendlyName: 'John Doe Starter Customer Profile Bundle',
      status: 'draft',
      email: 'johndoe@example.com',
      validUntil: null,
      accountSid: t.sandbox.accountSid,
      url: `https://trusthub.twilio.com/v1/CustomerProfiles/${customer_profiles.sid}`,
    });
    expect(customer_profiles.links).toEqual({
      customer_profiles_entity_assignments: `https://trusthub.twilio.com/v1/CustomerProfiles/${customer_profiles.sid}/EntityAssignments`,
      customer_profiles_evaluations: `https://trusthub.twilio.com/v1/CustomerProfiles/${customer_profiles.sid}/Evaluations`,
      customer_profiles_channel_endpoint_assignment: `https://trusthub.twilio.com/v1/CustomerProfiles/${customer_profiles.sid}/ChannelEndpointAssignments`,
    });
    expect(customer_profiles.dateCreated).toBeInstanceOf(Date);
  });

  test('1.3 creates the starter_customer_profile_information end-user', async () => {
    const end_user = await client.trusthub.v1.endUsers.create({
      attributes: {
        email: 'starter-profile-enduser@example.com',
        first_name: 'John',
        last_name: 'Doe',
        phone_number: '+11234567890',
      },
      friendlyName: 'Starter Profile End User',
      type: 'starter_customer_profile_information',
    });
    sids.starterEndUser = end_user.sid;
    expect(end_user.sid).toMatch(/^IT[0-9a-f]{32}$/);
    expect(end_user).toMatchObject({
      friendlyName: 'Starter Profile End User',
      type: 'starter_customer_profile_information',
      attributes: {
        email: 'starter-profile-enduser@example.com',
        first_name: 'John',
        last_name: 'Doe',
        phone_number: '+11234567890',
      },
      url: `https://trusthub.twilio.com/v1/EndUsers/${end_user.sid}`,
    });
  });

  test('1.4 creates the customer address', async () => {
    const address = await client.addresses.create({
      streetSecondary: 'Apt B',
      customerName: 'John Doe',
      street: '123 Example Street',
      city: 'Example City',
      region: 'CA',
      postalCode: '12345',
      isoCountry: 'US',
    });
    sids.address = address.sid;
    expect(address.sid).toMatch(/^AD[0-9a-f]{32}$/);
    expect(address).toMatchObject({
      city: 'Example City',
      customerName: 'John Doe',
      emergencyEnabled: false,
      friendlyName: null,
      isoCountry: 'US',
      postalCode: '12345',
      region: 'CA',
      street: '123 Example Street',
      streetSecondary: 'Apt B',
      validated: false,
      verified: false,
      uri: `/2010-04-01/Accounts/${t.sandbox.accountSid}/Addresses/${address.sid}.json`,
    });
    // 2010-04-01 dates are RFC 2822 ("Tue, 18 Aug 2015 17:07:30 +0000") and parse to a Date.
    expect(address.dateCreated.getTime()).toBeGreaterThan(0);
  });

  test('1.5 creates the customer_profile_address supporting document', async () => {
    const supporting_document = await client.trusthub.v1.supportingDocuments.create({
      attributes: { address_sids: sids.address },
      friendlyName: 'SP Document Address',
      type: 'customer_profile_address',
    });
    sids.document = supporting_document.sid;
    expect(supporting_document.sid).toMatch(/^RD[0-9a-f]{32}$/);
    expect(supporting_document).toMatchObject({
      status: 'draft',
      friendlyName: 'SP Document Address',
      attributes: { address_sids: sids.address },
      type: 'customer_profile_address',
      mimeType: null,
      url: `https://trusthub.twilio.com/v1/SupportingDocuments/${supporting_document.sid}`,
    });
  });

  test.each([
    ['1.6.1 assigns the end-user', 'starterEndUser'],
    ['1.6.2 assigns the supporting document', 'document'],
    ['1.6.3 assigns the primary customer profile', 'primary'],
  ])('%s to the Starter Customer Profile', async (_name, key) => {
    const objectSid = key === 'primary' ? t.sandbox.primaryProfileSid : sids[key];
    const customer_profiles_entity_assignments = await client.trusthub.v1
      .customerProfiles(sids.profile)
      .customerProfilesEntityAssignments.create({ objectSid });
    expect(customer_profiles_entity_assignments.sid).toMatch(/^BV[0-9a-f]{32}$/);
    expect(customer_profiles_entity_assignments).toMatchObject({
      customerProfileSid: sids.profile,
      objectSid,
      url: `https://trusthub.twilio.com/v1/CustomerProfiles/${sids.profile}/EntityAssignments/${customer_profiles_entity_assignments.sid}`,
    });
  });

  test('1.7 evaluates the Starter Customer Profile as compliant', async () => {
    const customer_profiles_evaluations = await client.trusthub.v1
      .customerProfiles(sids.profile)
      .customerProfilesEvaluations.create({ policySid: 'RN806dd6cd175f314e1f96a9727ee271f4' });
    expect(customer_profiles_evaluations.sid).toMatch(/^EL[0-9a-f]{32}$/);
    expect(customer_profiles_evaluations.status).toBe('compliant');
    expect(customer_profiles_evaluations.customerProfileSid).toBe(sids.profile);
    const results = customer_profiles_evaluations.results as {
      requirement_name: string;
      passed: boolean;
      valid: { object_field: string }[];
    }[];
    expect(results.map((r) => [r.requirement_name, r.passed])).toEqual([
      ['starter_customer_profile_information', true],
      ['customer_profile_address', true],
      ['primary_customer_profile', true],
    ]);
    expect(results[0]?.valid.map((v) => v.object_field)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone_number',
    ]);
    expect(results[2]?.valid.map((v) => v.object_field)).toEqual(['bundle_sid']);
  });

  test('1.8 submits the Starter Customer Profile (pending-review, then in-review after the review)', async () => {
    const customer_profiles = await client.trusthub.v1
      .customerProfiles(sids.profile)
      .update({ status: 'pending-review' });
    expect(customer_profiles.status).toBe('pending-review');
    expect(customer_profiles.errors).toBeNull();
    await t.sandbox.control.advance(`bundle-${sids.profile}`);
    expect((await client.trusthub.v1.customerProfiles(sids.profile).fetch()).status).toBe('in-review');
  });

  test('2.1 fetches the Sole Proprietor A2P trust policy', async () => {
    const policies = await client.trusthub.v1.policies('RN670d5d2e282a6130ae063b234b6019c8').fetch();
    expect(policies.friendlyName).toBe('Sole Proprietor TrustProduct');
    const req = policies.requirements as {
      end_user: { type: string; fields: string[] }[];
      supporting_document: unknown[][];
      supporting_customer_profiles: { type: string; requirement_name: string }[];
    };
    expect(req.end_user[0]).toMatchObject({
      type: 'sole_proprietor_information',
      fields: ['brand_name', 'mobile_phone_number', 'vertical'],
    });
    expect(req.supporting_document).toEqual([[]]);
    expect(req.supporting_customer_profiles.map((p) => p.type)).toEqual([
      'starter_customer_profile_type_business',
      'starter_customer_profile_type_direct_long_tail',
    ]);
  });

  test('2.2 creates the Sole Proprietor A2P Trust Bundle in draft', async () => {
    const trust_products = await client.trusthub.v1.trustProducts.create({
      friendlyName: 'John Doe Sole Proprietor A2P Trust Bundle',
      email: 'johndoe@example.com',
      policySid: 'RN670d5d2e282a6130ae063b234b6019c8',
    });
    sids.product = trust_products.sid;
    expect(trust_products).toMatchObject({
      policySid: 'RN670d5d2e282a6130ae063b234b6019c8',
      friendlyName: 'John Doe Sole Proprietor A2P Trust Bundle',
      status: 'draft',
      email: 'johndoe@example.com',
      url: `https://trusthub.twilio.com/v1/TrustProducts/${trust_products.sid}`,
    });
    expect(Object.keys(trust_products.links)).toEqual([
      'trust_products_entity_assignments',
      'trust_products_evaluations',
      'trust_products_channel_endpoint_assignment',
    ]);
  });

  test('2.3 creates the sole_proprietor_information end-user', async () => {
    const end_user = await client.trusthub.v1.endUsers.create({
      attributes: { brand_name: 'John Doe', vertical: 'COMMUNICATION', mobile_phone_number: '+11234567890' },
      friendlyName: 'Sole Proprietor A2P Trust Bundle End User',
      type: 'sole_proprietor_information',
    });
    sids.spEndUser = end_user.sid;
    expect(end_user).toMatchObject({
      type: 'sole_proprietor_information',
      attributes: { brand_name: 'John Doe', vertical: 'COMMUNICATION', mobile_phone_number: '+11234567890' },
    });
  });

  test.each([
    ['2.4.1 assigns the end-user', 'spEndUser'],
    ['2.4.2 assigns the Starter Customer Profile', 'profile'],
  ])('%s to the trust bundle', async (_name, key) => {
    const trust_products_entity_assignments = await client.trusthub.v1
      .trustProducts(sids.product)
      .trustProductsEntityAssignments.create({ objectSid: sids[key] });
    expect(trust_products_entity_assignments).toMatchObject({
      trustProductSid: sids.product,
      objectSid: sids[key],
    });
    expect(trust_products_entity_assignments.url).toBe(
      `https://trusthub.twilio.com/v1/TrustProducts/${sids.product}/EntityAssignments/${trust_products_entity_assignments.sid}`,
    );
  });

  test('2.5 evaluates the trust bundle as compliant', async () => {
    const trust_products_evaluations = await client.trusthub.v1
      .trustProducts(sids.product)
      .trustProductsEvaluations.create({ policySid: 'RN670d5d2e282a6130ae063b234b6019c8' });
    expect(trust_products_evaluations.status).toBe('compliant');
    expect(trust_products_evaluations.trustProductSid).toBe(sids.product);
    const results = trust_products_evaluations.results as {
      requirement_name: string;
      object_type: string;
      valid: { object_field: string }[];
    }[];
    expect(results.map((r) => r.requirement_name)).toEqual([
      'sole_proprietor_information',
      'customer_profile',
    ]);
    expect(results[1]).toMatchObject({ object_type: 'starter_customer_profile_type_business' });
    expect(results[1]?.valid[0]?.object_field).toBe('bundle_status');
  });

  test('2.6 submits the trust bundle', async () => {
    const trust_products = await client.trusthub.v1
      .trustProducts(sids.product)
      .update({ status: 'pending-review' });
    expect(trust_products.status).toBe('pending-review');
    await t.sandbox.control.advance(`bundle-${sids.product}`);
    expect((await client.trusthub.v1.trustProducts(sids.product).fetch()).status).toBe('in-review');
  });

  test('3 creates a Sole Proprietor brand (PENDING)', async () => {
    const brand_registration = await client.messaging.v1.brandRegistrations.create({
      brandType: 'SOLE_PROPRIETOR',
      customerProfileBundleSid: sids.profile,
      a2PProfileBundleSid: sids.product,
    });
    sids.brand = brand_registration.sid;
    expect(brand_registration.sid).toMatch(/^BN[0-9a-f]{32}$/);
    expect(brand_registration).toMatchObject({
      customerProfileBundleSid: sids.profile,
      a2pProfileBundleSid: sids.product,
      brandType: 'SOLE_PROPRIETOR',
      status: 'PENDING',
      skipAutomaticSecVet: false,
      mock: false,
      errors: [],
      url: `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${brand_registration.sid}`,
      links: {
        brand_vettings: `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${brand_registration.sid}/Vettings`,
        brand_registration_otps: `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${brand_registration.sid}/SmsOtp`,
      },
    });
  });

  test('3.2 re-sends the OTP once the brand is APPROVED and UNVERIFIED', async () => {
    await t.sandbox.control.advance(`brand-${sids.brand}`);
    const brand_registration_otp = await client.messaging.v1
      .brandRegistrations(sids.brand)
      .brandRegistrationOtps.create();
    expect(brand_registration_otp.brandRegistrationSid).toBe(sids.brand);
    expect(brand_registration_otp.accountSid).toBe(t.sandbox.accountSid);
  });

  test('3.1 fetches the brand: APPROVED and, after the customer replies YES, VERIFIED', async () => {
    const before = await client.messaging.v1.brandRegistrations(sids.brand).fetch();
    expect(before).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED', failureReason: null });
    await t.sandbox.control.answerOtp(sids.brand);
    const brand_registration = await client.messaging.v1.brandRegistrations(sids.brand).fetch();
    expect(brand_registration).toMatchObject({
      status: 'APPROVED',
      identityStatus: 'VERIFIED',
      brandType: 'SOLE_PROPRIETOR',
      mock: false,
      brandScore: null,
      failureReason: null,
      skipAutomaticSecVet: false,
      errors: [],
    });
    expect(brand_registration.tcrId).toMatch(/^B[A-Z0-9]{6}$/);
    // 000 1.8 / 2.6: both bundles reach twilio-approved once the brand is verified.
    expect((await client.trusthub.v1.customerProfiles(sids.profile).fetch()).status).toBe('twilio-approved');
    expect((await client.trusthub.v1.trustProducts(sids.product).fetch()).status).toBe('twilio-approved');
  });

  test('5 creates the campaign for default or advanced opt-out users', async () => {
    const service = await client.messaging.v1.services.create({ friendlyName: 'John Doe' });
    sids.service = service.sid;
    const us_app_to_person = await client.messaging.v1.services(sids.service).usAppToPerson.create({
      description: 'Send marketing messages about sales and offers',
      messageFlow:
        'End users opt-in by visiting www.example.com and adding their phone number. They then check a box agreeing to receive text messages from Example Brand. Term and Conditions at www.example.com/tc. Privacy Policy at www.example.com/privacy',
      messageSamples: ['Book your next OWL FLIGHT for just 1 EUR', 'Twilio draw the OWL event is ON'],
      usAppToPersonUsecase: 'SOLE_PROPRIETOR',
      hasEmbeddedLinks: true,
      hasEmbeddedPhone: true,
      brandRegistrationSid: sids.brand,
    });
    sids.campaign = us_app_to_person.sid;
    expect(us_app_to_person.sid).toMatch(/^QE[0-9a-f]{32}$/);
    expect(us_app_to_person).toMatchObject({
      brandRegistrationSid: sids.brand,
      messagingServiceSid: sids.service,
      messageSamples: ['Book your next OWL FLIGHT for just 1 EUR', 'Twilio draw the OWL event is ON'],
      usAppToPersonUsecase: 'SOLE_PROPRIETOR',
      hasEmbeddedLinks: true,
      hasEmbeddedPhone: true,
      subscriberOptIn: true,
      ageGated: false,
      directLending: false,
      campaignStatus: 'PENDING',
      isExternallyRegistered: false,
      rateLimits: { att: { mps: 0.25, msg_class: 'A' }, tmobile: { brand_tier: 'LOW' } },
      optInKeywords: ['START'],
      optOutKeywords: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'],
      helpKeywords: ['HELP', 'INFO'],
      optOutMessage:
        'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
      helpMessage: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
      url: `https://messaging.twilio.com/v1/Services/${sids.service}/Compliance/Usa2p/${US_A2P_COMPLIANCE_SID}`,
      mock: false,
      errors: [],
    });
    // 000 5.1: campaign_id "is a seven-character string" assigned by TCR.
    expect(us_app_to_person.campaignId).toMatch(/^C[A-Z0-9]{6}$/);
  });

  test('5 creates the campaign for customers managing their own opt-out', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.answerOtp(brandSid);
    const service = await client.messaging.v1.services.create({ friendlyName: 'Acme Corporation' });
    const us_app_to_person = await client.messaging.v1.services(service.sid).usAppToPerson.create({
      optOutKeywords: ['STOP', 'END'],
      optOutMessage:
        'You have successfully been unsubscribed from Acme Corporation. You will not receive any more messages from this number.',
      helpKeywords: ['HELP', 'SUPPORT'],
      helpMessage: 'Acme Corporation: Please visit www.example.com to get support. To opt-out, reply STOP.',
      description: CAMPAIGN.description,
      messageFlow: CAMPAIGN.messageFlow,
      messageSamples: CAMPAIGN.messageSamples,
      usAppToPersonUsecase: 'SOLE_PROPRIETOR',
      hasEmbeddedLinks: true,
      hasEmbeddedPhone: true,
      brandRegistrationSid: brandSid,
    });
    expect(us_app_to_person).toMatchObject({
      campaignStatus: 'PENDING',
      optOutKeywords: ['STOP', 'END'],
      helpKeywords: ['HELP', 'SUPPORT'],
      optOutMessage:
        'You have successfully been unsubscribed from Acme Corporation. You will not receive any more messages from this number.',
      helpMessage: 'Acme Corporation: Please visit www.example.com to get support. To opt-out, reply STOP.',
      optInKeywords: ['START'],
    });
  });

  test('5.1 fetches the campaign at the fixed US A2P Compliance resource SID', async () => {
    const us_app_to_person = await client.messaging.v1
      .services(sids.service)
      .usAppToPerson('QE2c6890da8086d771620e9b13fadeba0b')
      .fetch();
    expect(us_app_to_person.sid).toBe(sids.campaign);
    expect(us_app_to_person.campaignStatus).toBe('PENDING');
    // The review moves it on: PENDING → IN_PROGRESS → VERIFIED (000 5.1).
    await t.sandbox.control.advance(`campaign-${sids.campaign}`);
    expect(
      (await client.messaging.v1.services(sids.service).usAppToPerson(US_A2P_COMPLIANCE_SID).fetch())
        .campaignStatus,
    ).toBe('IN_PROGRESS');
    await t.sandbox.control.advance(`campaign-${sids.campaign}`);
    const verified = await client.messaging.v1
      .services(sids.service)
      .usAppToPerson(US_A2P_COMPLIANCE_SID)
      .fetch();
    expect(verified).toMatchObject({ campaignStatus: 'VERIFIED', errors: [] });
  });

  test('5.2 deletes the campaign', async () => {
    const removed = await client.messaging.v1
      .services(sids.service)
      .usAppToPerson('QE2c6890da8086d771620e9b13fadeba0b')
      .remove();
    expect(removed).toBe(true);
    // "After your API request is accepted, please allow a few seconds for deletion to be finalized."
    const deleting = await client.messaging.v1
      .services(sids.service)
      .usAppToPerson(US_A2P_COMPLIANCE_SID)
      .fetch();
    expect(deleting.campaignStatus).toBe('DELETION_PENDING');
    await t.sandbox.control.advance(`campaign-deletion-${sids.campaign}`);
    await expect(
      client.messaging.v1.services(sids.service).usAppToPerson(US_A2P_COMPLIANCE_SID).fetch(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});
