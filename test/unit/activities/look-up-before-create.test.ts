import { addressForTwilio } from '../../../src/domain';
import {
  SOLE_PROPRIETOR_TRUST_POLICY_SID,
  STARTER_CUSTOMER_PROFILE_POLICY_SID,
} from '../../../src/domain/rules';
import { SEEDED_NUMBERS } from '../../../src/sandbox';
import {
  type ActivitySandbox,
  faultSettings,
  prerequisites,
  registration,
  retried,
  startActivitySandbox,
} from './harness';

/**
 * Activities run at least once. Each `ensure…` activity's create is answered with the sandbox's
 * commit-then-drop fault (the resource is made, the answer lost); the retry must find what the
 * lost attempt made instead of making a second one. Without its look-up, each of these fails.
 */
describe('look up before create: a retried ensure… finds what the lost attempt made', () => {
  let t: ActivitySandbox;
  beforeAll(async () => {
    t = await startActivitySandbox();
  });
  afterAll(() => t?.close());
  beforeEach(() => t.sandbox.control.reset());

  /** Drops the answer of the first create at `endpoint`, runs `call` with retries, counts creates. */
  async function afterLostAnswer<T>(endpoint: string, call: () => Promise<T>) {
    await t.sandbox.control.setFaults(faultSettings('commit-then-drop', endpoint));
    const outcome = await retried(call).finally(() => t.sandbox.control.clearFaults());
    const { entries } = await t.sandbox.control.requests();
    const creates = entries.filter((e) => e.endpoint === endpoint && e.committed);
    expect(entries.some((e) => e.endpoint === endpoint && e.fault === 'drop-after-commit')).toBe(true);
    expect(outcome.attempts).toBe(2);
    return { result: outcome.result, creates: creates.length };
  }

  test.each([
    ['customer-profile', 'POST /trusthub/v1/CustomerProfiles', STARTER_CUSTOMER_PROFILE_POLICY_SID],
    ['trust-product', 'POST /trusthub/v1/TrustProducts', SOLE_PROPRIETOR_TRUST_POLICY_SID],
  ] as const)('ensureBundle (%s)', async (kind, endpoint, policySid) => {
    const { workflowId, request } = registration();
    const input = { kind, workflowId, policySid, email: request.soleProprietor.email };
    const { result, creates } = await afterLostAnswer(endpoint, () => t.activities.ensureBundle(input));
    expect(creates).toBe(1);
    expect((await t.activities.ensureBundle(input)).sid).toBe(result.sid);
  });

  test('ensureStarterProfileEndUser', async () => {
    const { workflowId, request } = registration();
    const input = { workflowId, info: request.soleProprietor };
    const { result, creates } = await afterLostAnswer('POST /trusthub/v1/EndUsers', () =>
      t.activities.ensureStarterProfileEndUser(input),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureStarterProfileEndUser(input)).sid).toBe(result.sid);
  });

  test('ensureSoleProprietorEndUser', async () => {
    const { workflowId, request } = registration();
    const input = { workflowId, info: request.soleProprietor };
    const { result, creates } = await afterLostAnswer('POST /trusthub/v1/EndUsers', () =>
      t.activities.ensureSoleProprietorEndUser(input),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureSoleProprietorEndUser(input)).sid).toBe(result.sid);
  });

  test('ensureAddress', async () => {
    const { workflowId, request } = registration();
    const input = { workflowId, address: addressForTwilio(request) };
    const { result, creates } = await afterLostAnswer(
      'POST /api/2010-04-01/Accounts/:account/Addresses.json',
      () => t.activities.ensureAddress(input),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureAddress(input)).sid).toBe(result.sid);
  });

  test("ensureAddress for the longest customer id: a name within 004's 64 characters, found again", async () => {
    const { workflowId, request } = registration((r) => {
      r.customerId = `${r.customerId}-${'x'.repeat(64)}`.slice(0, 64);
    });
    const input = { workflowId, address: addressForTwilio(request) };
    const { result, creates } = await afterLostAnswer(
      'POST /api/2010-04-01/Accounts/:account/Addresses.json',
      () => t.activities.ensureAddress(input),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureAddress(input)).sid).toBe(result.sid);
  });

  test('ensureAddressDocument', async () => {
    const { workflowId, request } = registration();
    const address = await t.activities.ensureAddress({ workflowId, address: addressForTwilio(request) });
    const input = { workflowId, addressSid: address.sid };
    const { result, creates } = await afterLostAnswer('POST /trusthub/v1/SupportingDocuments', () =>
      t.activities.ensureAddressDocument(input),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureAddressDocument(input)).sid).toBe(result.sid);
  });

  test.each(['customer-profile', 'trust-product'] as const)('ensureAssignments (%s)', async (kind) => {
    const p = prerequisites(t.activities, t.sandbox);
    const { profileSid, trustProductSid } = await p.trustBundle();
    const other = registration();
    const endUser =
      kind === 'customer-profile'
        ? await t.activities.ensureStarterProfileEndUser({
            workflowId: other.workflowId,
            info: other.request.soleProprietor,
          })
        : await t.activities.ensureSoleProprietorEndUser({
            workflowId: other.workflowId,
            info: other.request.soleProprietor,
          });
    const endpoint =
      kind === 'customer-profile'
        ? 'POST /trusthub/v1/CustomerProfiles/:sid/EntityAssignments'
        : 'POST /trusthub/v1/TrustProducts/:sid/EntityAssignments';
    await t.sandbox.control.clearRequestLog();
    const { creates } = await afterLostAnswer(endpoint, () =>
      t.activities.ensureAssignments({
        kind,
        bundleSid: kind === 'customer-profile' ? profileSid : trustProductSid,
        objectSids: [endUser.sid],
      }),
    );
    expect(creates).toBe(1);
  });

  test('ensureBrand', async () => {
    const { brand } = await prerequisites(t.activities, t.sandbox).brandInputs();
    const { result, creates } = await afterLostAnswer('POST /messaging/v1/a2p/BrandRegistrations', () =>
      t.activities.ensureBrand(brand),
    );
    expect(creates).toBe(1);
    expect(result.created).toBe(false);
    expect((await t.sandbox.control.ledger()).entries.map((e) => e.kind)).toEqual(['brand-registration']);
  });

  test('ensureMessagingService', async () => {
    const { workflowId } = registration();
    const { result, creates } = await afterLostAnswer('POST /messaging/v1/Services', () =>
      t.activities.ensureMessagingService({ workflowId }),
    );
    expect(creates).toBe(1);
    expect((await t.activities.ensureMessagingService({ workflowId })).sid).toBe(result.sid);
  });

  test('ensureCampaign', async () => {
    const { campaign } = await prerequisites(t.activities, t.sandbox).campaignInputs();
    const { creates } = await afterLostAnswer('POST /messaging/v1/Services/:sid/Compliance/Usa2p', () =>
      t.activities.ensureCampaign(campaign),
    );
    expect(creates).toBe(1);
    expect((await t.sandbox.control.ledger()).entries.map((e) => e.kind)).toEqual([
      'brand-registration',
      'campaign-vetting',
    ]);
  });

  test('ensurePhoneNumberInService', async () => {
    const service = await t.activities.ensureMessagingService(registration());
    const input = { messagingServiceSid: service.sid, phoneNumberSid: SEEDED_NUMBERS[0].sid };
    const { creates } = await afterLostAnswer('POST /messaging/v1/Services/:sid/PhoneNumbers', () =>
      t.activities.ensurePhoneNumberInService(input),
    );
    expect(creates).toBe(1);
  });
});
