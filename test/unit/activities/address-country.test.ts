import { addressForTwilio } from '../../../src/domain';
import { STARTER_CUSTOMER_PROFILE_POLICY_SID } from '../../../src/domain/rules';
import { type ActivitySandbox, prerequisites, retried, startActivitySandbox } from './harness';

/**
 * Twilio's Address update takes no IsoCountry, so a customer who corrects the country gets a new
 * Address and `customer_profile_address` document (000 1.4–1.5) in place of the old document.
 */
describe('a corrected country: a new Address and document replace the old on the customer profile', () => {
  let t: ActivitySandbox;
  beforeAll(async () => {
    t = await startActivitySandbox();
  });
  afterAll(() => t?.close());

  test('the profile ends with the new document, its end-user and the primary profile; a repeat changes nothing', async () => {
    const { activities: a, sandbox } = t;
    const p = await prerequisites(a, sandbox).profile();
    const canadian = {
      ...addressForTwilio(p.request),
      street: '100 Queen St W',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M5H 2N2',
      isoCountry: 'CA' as const,
    };
    const input = { workflowId: p.workflowId, address: canadian, country: 'CA' };
    const address = await a.ensureAddress(input);
    const document = await a.ensureAddressDocument({ ...input, addressSid: address.sid });
    const before = await listAssigned(p.profileSid);
    // Run twice, as a retried activity would: the second run must find nothing left to do.
    await retried(() =>
      a.replaceAddressDocument({ customerProfileSid: p.profileSid, documentSid: document.sid }),
    );
    await a.replaceAddressDocument({ customerProfileSid: p.profileSid, documentSid: document.sid });
    const after = await listAssigned(p.profileSid);
    expect(after.filter((sid) => sid.startsWith('RD'))).toEqual([document.sid]);
    expect(after.filter((sid) => !sid.startsWith('RD')).sort()).toEqual(
      before.filter((sid) => !sid.startsWith('RD')).sort(),
    );
    expect(before.filter((sid) => sid.startsWith('RD'))).not.toContain(document.sid);
    // A different Address of its own: the US one is untouched (and still the same country).
    expect(
      (await a.ensureAddress({ workflowId: p.workflowId, address: addressForTwilio(p.request) })).sid,
    ).not.toBe(address.sid);
    const evaluation = await a.evaluateBundle({
      kind: 'customer-profile',
      bundleSid: p.profileSid,
      policySid: STARTER_CUSTOMER_PROFILE_POLICY_SID,
    });
    expect(evaluation.status).toBe('compliant');
  });

  async function listAssigned(profileSid: string): Promise<string[]> {
    const res = await fetch(
      `${t.sandbox.url}/trusthub/v1/CustomerProfiles/${profileSid}/EntityAssignments?PageSize=50`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${t.sandbox.accountSid}:${t.sandbox.authToken}`).toString('base64')}`,
        },
      },
    );
    const body = (await res.json()) as { results: { object_sid: string }[] };
    return body.results.map((r) => r.object_sid);
  }
});
