import { FEES } from '../../src/sandbox';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import {
  describeUnfinished,
  distinctRegistrations,
  runRegistrations,
  TWILIO_LIKE_DELIVERY,
} from '../helpers/load';

const COUNT = 300;
/** The customer answers each OTP this long after Twilio sent it (the sandbox plays the customer). */
const OTP_ANSWER_MS = 1_000;

/**
 * Many customers signing up at once, on one worker process with the sandbox and the webhook
 * server beside it. Polling is an hour, so every registration that completes was moved by the
 * sandbox's callbacks alone: an event lost to a race under load leaves its registration waiting.
 */
describe(`${COUNT} registrations at once, end to end`, () => {
  let stack: E2EStack;

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-load', {
      // Every start at once, not one at a time: the races under test need the whole burst.
      env: { A2P_MAX_CONCURRENT_STARTS: String(COUNT) },
      phoneNumbers: COUNT,
      otpAutoReplyMs: OTP_ANSWER_MS,
      delivery: TWILIO_LIKE_DELIVERY,
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  test(
    'all complete, and the ledger holds one brand registration and one campaign vetting for each',
    async () => {
      const { numbers } = await stack.sandbox.control.info();
      expect(numbers.length).toBeGreaterThanOrEqual(COUNT);
      const requests = distinctRegistrations(
        `e2e-load-${Date.now()}`,
        numbers.slice(0, COUNT).map((n) => n.sid),
      );

      const run = await runRegistrations(stack, requests, 12 * 60_000);

      // Listed by name with where each stands, so a failure says which ones and why.
      expect(await describeUnfinished(stack, run.registrations)).toEqual([]);
      // No callback was given up: an event that found no workflow yet was kept and delivered later.
      expect(stack.webhookStats()).toMatchObject({ givenUp: 0 });

      // Counted from the ledger itself: whatever any attempt created and paid for is in it.
      const { entries, totalUsd } = await stack.sandbox.control.ledger();
      const kinds: Record<string, number> = {};
      for (const e of entries) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
      expect(kinds).toEqual({ 'brand-registration': COUNT, 'campaign-vetting': COUNT });
      const brands = new Set(entries.filter((e) => e.kind === 'brand-registration').map((e) => e.sid));
      const campaigns = new Set(entries.filter((e) => e.kind === 'campaign-vetting').map((e) => e.sid));
      expect([brands.size, campaigns.size]).toEqual([COUNT, COUNT]);
      expect(totalUsd).toBe(COUNT * (FEES['brand-registration'] + FEES['campaign-vetting']));

      // And each fee belongs to a registration that reports it as its own.
      const reported = run.registrations.flatMap((r) => r.result?.fees.map((f) => f.sid) ?? []);
      expect(new Set(reported)).toEqual(new Set([...brands, ...campaigns]));
    },
    15 * 60_000,
  );
});
