import {
  STARTER_POLICY,
  customer,
  soleProprietorBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

/** Look-ups and clean-up the service relies on to stay idempotent. */
describe('look-ups and clean-up', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test('assignments and evaluations can be listed, fetched and removed', async () => {
    const b = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer(), {
      submit: false,
    });
    const assignments = t.client.trusthub.v1.customerProfiles(
      b.customerProfileSid,
    ).customerProfilesEntityAssignments;
    const listed = await assignments.list();
    expect(listed.map((a) => a.objectSid)).toEqual([
      b.starterEndUserSid,
      b.documentSid,
      t.sandbox.primaryProfileSid,
    ]);
    expect((await assignments(listed[0]?.sid).fetch()).objectSid).toBe(b.starterEndUserSid);
    await expect(assignments.create({ objectSid: b.starterEndUserSid })).rejects.toMatchObject({
      status: 409,
    });
    await assignments(listed[1]?.sid).remove();
    expect(await assignments.list()).toHaveLength(2);

    const evaluations = t.client.trusthub.v1.customerProfiles(
      b.customerProfileSid,
    ).customerProfilesEvaluations;
    const evaluation = await evaluations.create({ policySid: STARTER_POLICY });
    expect(evaluation.status).toBe('noncompliant');
    expect((await evaluations.list()).map((e) => e.sid)).toEqual([evaluation.sid]);
    expect((await evaluations(evaluation.sid).fetch()).status).toBe('noncompliant');
  });

  test('end-users, documents and addresses can be updated, found and deleted', async () => {
    const b = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer(), {
      submit: false,
    });
    const updated = await t.client.trusthub.v1.endUsers(b.soleProprietorEndUserSid).update({
      attributes: { brand_name: 'Renamed Pottery', mobile_phone_number: '+14155550999' },
    });
    expect(updated.attributes).toEqual({
      brand_name: 'Renamed Pottery',
      mobile_phone_number: '+14155550999',
    });
    expect((await t.client.trusthub.v1.endUsers.list()).map((u) => u.sid)).toContain(
      b.soleProprietorEndUserSid,
    );
    await t.client.trusthub.v1.endUsers(b.soleProprietorEndUserSid).remove();
    await expect(t.client.trusthub.v1.endUsers(b.soleProprietorEndUserSid).fetch()).rejects.toMatchObject({
      status: 404,
    });

    await t.client.trusthub.v1.supportingDocuments(b.documentSid).update({ friendlyName: 'renamed' });
    expect((await t.client.trusthub.v1.supportingDocuments(b.documentSid).fetch()).friendlyName).toBe(
      'renamed',
    );
    await t.client.trusthub.v1.supportingDocuments(b.documentSid).remove();
    expect((await t.client.trusthub.v1.supportingDocuments.list()).map((d) => d.sid)).not.toContain(
      b.documentSid,
    );

    const address = await t.client.addresses.create({
      friendlyName: 'wf-address',
      customerName: 'Jane',
      street: '9 Elm St',
      city: 'Austin',
      region: 'TX',
      postalCode: '73301',
      isoCountry: 'US',
    });
    expect((await t.client.addresses.list({ friendlyName: 'wf-address' })).map((a) => a.sid)).toEqual([
      address.sid,
    ]);
    expect((await t.client.addresses(address.sid).update({ street: '10 Elm St' })).street).toBe('10 Elm St');
  });

  test('bundles can be deleted', async () => {
    const b = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer(), {
      submit: false,
    });
    await t.client.trusthub.v1.trustProducts(b.trustProductSid).remove();
    await t.client.trusthub.v1.customerProfiles(b.customerProfileSid).remove();
    await expect(t.client.trusthub.v1.customerProfiles(b.customerProfileSid).fetch()).rejects.toMatchObject({
      status: 404,
    });
    await expect(t.client.trusthub.v1.trustProducts(b.trustProductSid).fetch()).rejects.toMatchObject({
      status: 404,
    });
  });
});
