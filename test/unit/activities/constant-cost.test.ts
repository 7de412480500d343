import { addressForTwilio } from '../../../src/domain';
import { STARTER_CUSTOMER_PROFILE_POLICY_SID } from '../../../src/domain/rules';
import { type ActivitySandbox, registration, retried, startActivitySandbox } from './harness';

/**
 * A clean registration's first attempt of each create makes its resource without listing, so its
 * cost does not grow with the customers already registered; a create that may follow an earlier
 * attempt (mayExist, or a retried attempt) still looks and finds what that attempt made.
 */
describe('constant cost: look-ups only where an earlier attempt may have created', () => {
  let t: ActivitySandbox;
  beforeAll(async () => {
    t = await startActivitySandbox();
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.sandbox.control.reset();
    await t.sandbox.control.prefill(300);
    await t.sandbox.control.clearRequestLog();
  });

  async function reads(): Promise<string[]> {
    const { entries } = await t.sandbox.control.requests();
    return entries.filter((e) => e.method === 'GET').map((e) => e.endpoint);
  }

  test('a first attempt creates every Trust Hub object without a single read', async () => {
    const { workflowId, request } = registration();
    const policySid = STARTER_CUSTOMER_PROFILE_POLICY_SID;
    const email = request.soleProprietor.email;
    const { result: profile } = await retried(() =>
      t.activities.ensureBundle({ kind: 'customer-profile', workflowId, policySid, email }),
    );
    const { result: endUser } = await retried(() =>
      t.activities.ensureStarterProfileEndUser({ workflowId, info: request.soleProprietor }),
    );
    const { result: address } = await retried(() =>
      t.activities.ensureAddress({ workflowId, address: addressForTwilio(request) }),
    );
    const { result: doc } = await retried(() =>
      t.activities.ensureAddressDocument({ workflowId, addressSid: address.sid }),
    );
    await retried(() =>
      t.activities.ensureAssignments({
        kind: 'customer-profile',
        bundleSid: profile.sid,
        objectSids: [endUser.sid, doc.sid],
        includePrimaryProfile: true,
      }),
    );
    await retried(() => t.activities.submitBundle({ kind: 'customer-profile', bundleSid: profile.sid }));
    expect(await reads()).toEqual([]);
  });

  test('with mayExist the first attempt looks, and finds what an earlier run made', async () => {
    const { workflowId, request } = registration();
    const input = { workflowId, info: request.soleProprietor };
    const { result: first } = await retried(() => t.activities.ensureSoleProprietorEndUser(input));
    expect(await reads()).toEqual([]);
    const { result: again } = await retried(() =>
      t.activities.ensureSoleProprietorEndUser({ ...input, mayExist: true }),
    );
    expect(again.sid).toBe(first.sid);
    expect(await reads()).toContain('GET /trusthub/v1/EndUsers');
  });
});
