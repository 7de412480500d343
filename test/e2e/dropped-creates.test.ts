import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import type { CommittedRequest } from '../../src/sandbox';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { FeeAudit, soleProprietorMinimum } from '../helpers/fee-audit';

const NAMESPACE = 'a2p-e2e-dropped-creates';

/** Every create a registration makes, with how many it needs. */
const CREATES: Record<string, number> = {
  'POST /trusthub/v1/CustomerProfiles': 1,
  'POST /trusthub/v1/EndUsers': 2,
  'POST /api/2010-04-01/Accounts/:account/Addresses.json': 1,
  'POST /trusthub/v1/SupportingDocuments': 1,
  'POST /trusthub/v1/CustomerProfiles/:sid/EntityAssignments': 3,
  'POST /trusthub/v1/CustomerProfiles/:sid': 1,
  'POST /trusthub/v1/TrustProducts': 1,
  'POST /trusthub/v1/TrustProducts/:sid/EntityAssignments': 2,
  'POST /trusthub/v1/TrustProducts/:sid': 1,
  'POST /messaging/v1/a2p/BrandRegistrations': 1,
  'POST /messaging/v1/Services': 1,
  'POST /messaging/v1/Services/:sid/Compliance/Usa2p': 1,
  'POST /messaging/v1/Services/:sid/PhoneNumbers': 1,
};

/**
 * The first answer of every create is lost after Twilio made the resource (the connection drops).
 * A clean registration's first attempt creates without looking, so each retried attempt must look
 * and find what the lost one made: every resource exists once and the fees are the minimum.
 */
describe('a registration whose every first create answer is lost', () => {
  let stack: E2EStack;
  let fees: FeeAudit;

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE);
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('makes each resource once and pays the minimum', async () => {
    const committed = new Map<string, number>();
    const off = stack.sandbox.onCommit((c: CommittedRequest) => {
      if (c.endpoint in CREATES) committed.set(c.endpoint, (committed.get(c.endpoint) ?? 0) + 1);
    });
    await stack.sandbox.control.setFaults({
      dropAfterCommitFraction: 1,
      dropMode: 'destroy',
      endpoints: Object.keys(CREATES).map((e) => `${e}$`),
      times: 1,
    });
    try {
      const customerId = `e2e-dropped-${Date.now()}`;
      await stack.registrar.startRegistration({ ...SAMPLE_REGISTRATION_REQUEST, customerId });
      const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 150_000);
      await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
      const done = await stack.until(customerId, (p) => p.outcome !== undefined, 'the end', 120_000);
      expect(done.outcome).toBe('completed');
    } finally {
      off();
      await stack.sandbox.control.clearFaults();
    }
    const { entries } = await stack.sandbox.control.requestLog();
    // Every create's first answer was indeed lost…
    const dropped = new Set(entries.filter((e) => e.fault !== null && e.committed).map((e) => e.endpoint));
    expect([...dropped].sort()).toEqual(Object.keys(CREATES).sort());
    // …and no retry made a second one.
    expect(Object.fromEntries(committed)).toEqual(CREATES);
    await fees.expectMinimum(soleProprietorMinimum());
  }, 300_000);
});
