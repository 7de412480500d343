import { US_A2P_COMPLIANCE_SID } from '../../../src/sandbox';
import {
  STARTER_POLICY,
  customer,
  reviewedBrand,
  standardBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

/**
 * The Node.js samples of 001 (BrandRegistrations), 002 (UsAppToPerson), 003 (external campaigns)
 * and 004 (Starter Profile API) through the real `twilio` package. Placeholder SIDs
 * (BUXXX…, BNaaa…, MGaaa…, QEaaa…, RNaaa…) are replaced by SIDs of resources the test made.
 */
describe('001 BrandRegistrations samples', () => {
  let t: TestSandbox;
  let bundles: { customerProfileSid: string; trustProductSid: string };
  let brandSid: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    bundles = await standardBundles(t.client, t.sandbox.primaryProfileSid);
  });
  afterAll(() => t.close());

  test('creates a BrandRegistration (STANDARD, PENDING)', async () => {
    const brandRegistration = await t.client.messaging.v1.brandRegistrations.create({
      a2PProfileBundleSid: bundles.trustProductSid,
      customerProfileBundleSid: bundles.customerProfileSid,
    });
    brandSid = brandRegistration.sid;
    expect(brandRegistration).toMatchObject({
      customerProfileBundleSid: bundles.customerProfileSid,
      a2pProfileBundleSid: bundles.trustProductSid,
      brandType: 'STANDARD',
      status: 'PENDING',
      skipAutomaticSecVet: false,
      mock: false,
      errors: [],
      url: `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${brandSid}`,
    });
    expect(brandRegistration.dateCreated).toBeInstanceOf(Date);
  });

  test('creates a BrandRegistration that skips secondary vetting', async () => {
    const brandRegistration = await t.client.messaging.v1.brandRegistrations.create({
      a2PProfileBundleSid: bundles.trustProductSid,
      customerProfileBundleSid: bundles.customerProfileSid,
      skipAutomaticSecVet: true,
    });
    expect(brandRegistration).toMatchObject({
      brandType: 'STANDARD',
      status: 'PENDING',
      skipAutomaticSecVet: true,
    });
    // Low-Volume Standard: no secondary vetting fee, only the registration.
    const { entries } = await t.sandbox.control.ledger();
    expect(entries.filter((e) => e.sid === brandRegistration.sid).map((e) => e.kind)).toEqual([
      'brand-registration',
    ]);
  });

  test('retrieves a specific BrandRegistration (APPROVED after review, identity verified by vetting)', async () => {
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const brandRegistration = await t.client.messaging.v1.brandRegistrations(brandSid).fetch();
    expect(brandRegistration).toMatchObject({
      sid: brandSid,
      brandType: 'STANDARD',
      status: 'APPROVED',
      identityStatus: 'VETTED_VERIFIED',
      russell3000: false,
      governmentEntity: false,
      failureReason: null,
      errors: [],
    });
    expect(brandRegistration.brandScore).toEqual(expect.any(Number));
    expect(brandRegistration.tcrId).toMatch(/^B[A-Z0-9]{6}$/);
  });

  test('retrieves a list of BrandRegistrations', async () => {
    const brandRegistrations = await t.client.messaging.v1.brandRegistrations.list({ limit: 20 });
    expect(brandRegistrations.map((b) => b.sid)).toContain(brandSid);
    expect(brandRegistrations).toHaveLength(2);
  });

  test('updates (resubmits) a FAILED BrandRegistration', async () => {
    const failed = await reviewedBrand(t, customer({ brandName: 'Jane Doe TCR Reject' }));
    expect((await t.client.messaging.v1.brandRegistrations(failed.brandSid).fetch()).status).toBe('FAILED');
    const brandRegistration = await t.client.messaging.v1.brandRegistrations(failed.brandSid).update();
    expect(brandRegistration).toMatchObject({
      sid: failed.brandSid,
      status: 'PENDING',
      failureReason: null,
      errors: [],
    });
    const { entries } = await t.sandbox.control.ledger();
    expect(entries.filter((e) => e.sid === failed.brandSid).map((e) => e.kind)).toEqual([
      'brand-registration',
      'brand-resubmission',
    ]);
  });
});

describe('002 UsAppToPerson samples', () => {
  let t: TestSandbox;
  let brandSid: string;
  let serviceSid: string;
  let campaignSid: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    const bundles = await standardBundles(t.client, t.sandbox.primaryProfileSid);
    const brand = await t.client.messaging.v1.brandRegistrations.create({
      a2PProfileBundleSid: bundles.trustProductSid,
      customerProfileBundleSid: bundles.customerProfileSid,
    });
    brandSid = brand.sid;
    await t.sandbox.control.advance(`brand-${brandSid}`);
    serviceSid = (await t.client.messaging.v1.services.create({ friendlyName: 'Acme marketing' })).sid;
  });
  afterAll(() => t.close());

  const printed = {
    description: 'Description',
    hasEmbeddedLinks: false,
    hasEmbeddedPhone: false,
    messageFlow:
      'End users opt-in by visiting www.example.com and adding their phone number. They then check a box agreeing to receive text messages from Example Brand. Additionally, end users can also opt-in by texting START to (111) 222-3333 to opt in. Term and Conditions at www.example.com/tc. Privacy Policy at www.example.com/privacy',
    messageSamples: [
      'EXPRESS: Denim Days Event is ON. Reply STOP to unsubscribe.',
      'LAST CHANCE: Book your next flight for just 1 (ONE) EUR',
    ],
    usAppToPersonUsecase: 'UsAppToPersonUsecase',
  };

  test('the create sample as printed is refused: "Description" is under the documented 40 characters', async () => {
    await expect(
      t.client.messaging.v1
        .services(serviceSid)
        .usAppToPerson.create({ brandRegistrationSid: brandSid, ...printed }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21701,
      message: expect.stringContaining('Description') as unknown,
    });
  });

  test('creates a UsAppToPerson with a documented description length and use case', async () => {
    const usAppToPerson = await t.client.messaging.v1.services(serviceSid).usAppToPerson.create({
      brandRegistrationSid: brandSid,
      ...printed,
      description: 'Send marketing messages about sales to opted in customers.',
      usAppToPersonUsecase: 'MARKETING',
    });
    campaignSid = usAppToPerson.sid;
    expect(usAppToPerson).toMatchObject({
      brandRegistrationSid: brandSid,
      messagingServiceSid: serviceSid,
      description: 'Send marketing messages about sales to opted in customers.',
      usAppToPersonUsecase: 'MARKETING',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      campaignStatus: 'PENDING',
      isExternallyRegistered: false,
      messageFlow: printed.messageFlow,
      messageSamples: printed.messageSamples,
      url: `https://messaging.twilio.com/v1/Services/${serviceSid}/Compliance/Usa2p/${US_A2P_COMPLIANCE_SID}`,
      mock: false,
      errors: [],
    });
    expect(usAppToPerson.campaignId).toMatch(/^C[A-Z0-9]{6}$/);
  });

  test('fetches a UsAppToPerson by its own SID; the URL names the fixed compliance resource', async () => {
    const usAppToPerson = await t.client.messaging.v1.services(serviceSid).usAppToPerson(campaignSid).fetch();
    expect(usAppToPerson.sid).toBe(campaignSid);
    expect(usAppToPerson.url).toBe(
      `https://messaging.twilio.com/v1/Services/${serviceSid}/Compliance/Usa2p/QE2c6890da8086d771620e9b13fadeba0b`,
    );
    expect(usAppToPerson.campaignStatus).toBe('PENDING');
  });

  test('lists the UsAppToPerson resources of a Messaging Service', async () => {
    const usAppToPeople = await t.client.messaging.v1.services(serviceSid).usAppToPerson.list({ limit: 20 });
    expect(usAppToPeople.map((u) => u.sid)).toEqual([campaignSid]);
  });

  test('deletes a UsAppToPerson', async () => {
    await t.client.messaging.v1.services(serviceSid).usAppToPerson(campaignSid).remove();
    // 000 5.2: the deletion takes a few seconds to be finalized.
    const [deleting] = await t.client.messaging.v1.services(serviceSid).usAppToPerson.list({ limit: 20 });
    expect(deleting?.campaignStatus).toBe('DELETION_PENDING');
    await t.sandbox.control.advance(`campaign-deletion-${campaignSid}`);
    expect(await t.client.messaging.v1.services(serviceSid).usAppToPerson.list({ limit: 20 })).toEqual([]);
  });
});

describe('003 external campaign samples', () => {
  let t: TestSandbox;
  let serviceSid: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    serviceSid = (await t.client.messaging.v1.services.create({ friendlyName: 'External' })).sid;
    // 003 steps 3–4: the campaign is shared with Twilio on TCR and accepted before it is associated.
    await t.sandbox.control.shareExternalCampaign('CRMTK1Z', true);
  });
  afterAll(() => t.close());

  test('associates an external campaign (PreregisteredUsa2p)', async () => {
    const externalCampaign = await t.client.messaging.v1.externalCampaign.create({
      campaignId: 'CRMTK1Z',
      messagingServiceSid: serviceSid,
    });
    expect(externalCampaign.sid).toMatch(/^QE[0-9a-f]{32}$/);
    expect(externalCampaign).toMatchObject({
      messagingServiceSid: serviceSid,
      campaignId: 'CRMTK1Z',
      accountSid: t.sandbox.accountSid,
    });
    expect(externalCampaign.dateCreated).toBeInstanceOf(Date);
    const { entries } = await t.sandbox.control.requests();
    expect(
      entries.filter((e) => e.method === 'POST' && e.path === '/messaging/v1/Services/PreregisteredUsa2p'),
    ).toHaveLength(1);
  });

  test('gets the campaign details at the fixed compliance SID until VERIFIED', async () => {
    const usAppToPerson = await t.client.messaging.v1
      .services(serviceSid)
      .usAppToPerson('QE2c6890da8086d771620e9b13fadeba0b')
      .fetch();
    expect(usAppToPerson).toMatchObject({
      campaignId: 'CRMTK1Z',
      messagingServiceSid: serviceSid,
      isExternallyRegistered: true,
      campaignStatus: 'PENDING',
    });
    await t.sandbox.control.advance(`external-campaign-${usAppToPerson.sid}`);
    const verified = await t.client.messaging.v1
      .services(serviceSid)
      .usAppToPerson(US_A2P_COMPLIANCE_SID)
      .fetch();
    expect(verified.campaignStatus).toBe('VERIFIED');
  });

  test('deletes the external campaign association', async () => {
    await t.client.messaging.v1
      .services(serviceSid)
      .usAppToPerson('QE2c6890da8086d771620e9b13fadeba0b')
      .remove();
    // 003: "it takes a few seconds to finalize deletion in the Twilio system"
    const deleting = await t.client.messaging.v1
      .services(serviceSid)
      .usAppToPerson(US_A2P_COMPLIANCE_SID)
      .fetch();
    expect(deleting.campaignStatus).toBe('DELETION_PENDING');
    await t.sandbox.control.advance(`campaign-deletion-${deleting.sid}`);
    await expect(
      t.client.messaging.v1.services(serviceSid).usAppToPerson(US_A2P_COMPLIANCE_SID).fetch(),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('004 Starter Profile API samples', () => {
  let t: TestSandbox;
  const sids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test('step 1: creates an empty Starter Profile bundle with a status callback', async () => {
    const customerProfile = await t.client.trusthub.v1.customerProfiles.create({
      email: 'email@example.com',
      friendlyName: 'friendly_name',
      policySid: STARTER_POLICY,
      statusCallback: 'http://www.example.com',
    });
    sids.profile = customerProfile.sid;
    expect(customerProfile).toMatchObject({
      policySid: STARTER_POLICY,
      friendlyName: 'friendly_name',
      status: 'draft',
      email: 'email@example.com',
      statusCallback: 'http://www.example.com',
      validUntil: null,
      errors: null,
    });
  });

  test('step 2: creates the starter_customer_profile_information end-user', async () => {
    const endUser = await t.client.trusthub.v1.endUsers.create({
      attributes: {
        last_name: 'Smith',
        phone_number: '+12132388713',
        first_name: 'John',
        email: 'johnsmith@example.com',
      },
      friendlyName: 'friendly_name',
      type: 'starter_customer_profile_information',
    });
    sids.endUser = endUser.sid;
    expect(endUser).toMatchObject({
      friendlyName: 'friendly_name',
      type: 'starter_customer_profile_information',
    });
    expect(endUser.attributes).toEqual({
      last_name: 'Smith',
      phone_number: '+12132388713',
      first_name: 'John',
      email: 'johnsmith@example.com',
    });
  });

  test('step 3: creates the address', async () => {
    const address = await t.client.addresses.create({
      city: 'Any City',
      customerName: 'name',
      isoCountry: 'US',
      postalCode: '12345',
      region: 'Any Region',
      street: '555 AnyStreet',
    });
    sids.address = address.sid;
    expect(address).toMatchObject({
      city: 'Any City',
      customerName: 'name',
      isoCountry: 'US',
      postalCode: '12345',
      region: 'Any Region',
      street: '555 AnyStreet',
      streetSecondary: null,
      validated: false,
      verified: false,
    });
  });

  test('step 4: creates the address supporting document', async () => {
    const doc = await t.client.trusthub.v1.supportingDocuments.create({
      attributes: { address_sids: sids.address },
      friendlyName: 'address',
      type: 'customer_profile_address',
    });
    sids.document = doc.sid;
    expect(doc).toMatchObject({
      status: 'draft',
      friendlyName: 'address',
      type: 'customer_profile_address',
      mimeType: null,
    });
  });

  test.each([
    ['assigns the starter customer profile information', 'endUser'],
    ['assigns the primary customer profile', 'primary'],
    ['assigns the address document', 'document'],
  ])('step 5: %s', async (_name, key) => {
    const objectSid = key === 'primary' ? t.sandbox.primaryProfileSid : sids[key];
    const assignment = await t.client.trusthub.v1
      .customerProfiles(sids.profile)
      .customerProfilesEntityAssignments.create({ objectSid });
    expect(assignment).toMatchObject({ customerProfileSid: sids.profile, objectSid });
  });

  test('step 6: evaluates the bundle (compliant once complete; an empty one is noncompliant as in 004)', async () => {
    const complete = await t.client.trusthub.v1
      .customerProfiles(sids.profile)
      .customerProfilesEvaluations.create({ policySid: STARTER_POLICY });
    expect(complete.status).toBe('compliant');

    const empty = await t.client.trusthub.v1.customerProfiles.create({
      email: 'e@example.com',
      friendlyName: 'empty',
      policySid: STARTER_POLICY,
    });
    const evaluation = await t.client.trusthub.v1
      .customerProfiles(empty.sid)
      .customerProfilesEvaluations.create({ policySid: STARTER_POLICY });
    expect(evaluation.status).toBe('noncompliant');
    expect(evaluation.results[0]).toEqual({
      friendly_name: 'Information',
      object_type: 'starter_customer_profile_information',
      passed: false,
      failure_reason: 'A Information End-User is missing. Please add one to the regulatory bundle.',
      error_code: 22214,
      valid: [],
      invalid: [
        expect.objectContaining({ object_field: 'first_name', error_code: 22215 }),
        expect.objectContaining({ object_field: 'last_name', error_code: 22215 }),
        expect.objectContaining({ object_field: 'email', error_code: 22215 }),
        expect.objectContaining({ object_field: 'phone_number', error_code: 22215 }),
      ],
      requirement_friendly_name: 'Starter Customer Profile Information',
      requirement_name: 'starter_customer_profile_information',
    });
    // A noncompliant bundle that is submitted anyway is rejected (004: "automatically be rejected").
    await t.client.trusthub.v1.customerProfiles(empty.sid).update({ status: 'pending-review' });
    await t.sandbox.control.advance(`bundle-${empty.sid}`);
    const rejected = await t.client.trusthub.v1.customerProfiles(empty.sid).fetch();
    expect(rejected.status).toBe('twilio-rejected');
  });

  test('step 7: submits the bundle for review', async () => {
    const customerProfile = await t.client.trusthub.v1
      .customerProfiles(sids.profile)
      .update({ status: 'pending-review' });
    expect(customerProfile.status).toBe('pending-review');
    // 004: "Once you submit a compliant Starter Profile for review, your profile will be under IN_REVIEW status."
    await t.sandbox.control.advance(`bundle-${sids.profile}`);
    expect((await t.client.trusthub.v1.customerProfiles(sids.profile).fetch()).status).toBe('in-review');
  });
});
