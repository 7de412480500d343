/**
 * What one registration costs, in time, Twilio calls and fees:
 *   npm run bench -- [--count n] [--settle 1s] [--poll 1h] [--prefill k]
 * (default 200 registrations, settle 1 s, polling 1 h, no earlier customers).
 *
 * Starts a Temporal dev server of its own and the end-to-end stack in this process (sandbox through
 * the real `twilio` package, webhook server, workers; see test/helpers/e2e-stack.ts), optionally
 * puts `k` earlier customers' end-users, documents, addresses, bundles, brands and services into
 * the sandbox (its prefill control call), then runs `n` registrations at once and prints:
 * - overhead per registration beyond the waits the flow mandates (three settles, the customer's
 *   OTP answer, the sandbox's brand and campaign reviews), p50 and p90;
 * - Twilio calls per registration by endpoint, from the sandbox's request log, and as a ratio of
 *   the mutating minimum (the 19 creates, assignments, evaluations and submissions a registration
 *   needs);
 * - fees versus the minimum (one brand registration and one campaign vetting per registration).
 * It exits non-zero when a registration does not complete or a fee is paid twice.
 */
import '../test/setup/quiet-runtime';
import { msToNumber } from '@temporalio/common/lib/time';
import { DEFAULT_TIMINGS, FEES } from '../src/sandbox';
import { startE2EStack } from '../test/helpers/e2e-stack';
import {
  completionTimesMs,
  describeUnfinished,
  distinctRegistrations,
  percentile,
  runRegistrations,
  TWILIO_LIKE_DELIVERY,
} from '../test/helpers/load';
import { startBenchServer } from './dev-server';

const NAMESPACE = 'a2p-bench-cost';
const OTP_ANSWER_MS = 1_000;
const TIMEOUT_MS = 15 * 60_000;

/**
 * The mutating calls a Sole Proprietor registration cannot do without (000): starter profile,
 * its end-user, address, address document, three assignments, evaluation, submission (9); trust
 * bundle, its end-user, two assignments, evaluation, submission (6); brand; Messaging Service;
 * campaign; phone number (4).
 */
const MUTATING_MINIMUM = 19;

interface Options {
  count: number;
  settle: string;
  poll: string;
  prefill: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { count: 200, settle: '1s', poll: '1h', prefill: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--count' || flag === '--prefill') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === '--count' ? 1 : 0))
        throw new Error(`${flag} must be a whole number, not "${value}"`);
      options[flag === '--count' ? 'count' : 'prefill'] = n;
    } else if (flag === '--settle' || flag === '--poll') {
      msToNumber(value as Parameters<typeof msToNumber>[0]);
      options[flag === '--settle' ? 'settle' : 'poll'] = value;
    } else {
      throw new Error(`unknown option ${flag} (--count, --settle, --poll, --prefill)`);
    }
  }
  return options;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { count } = options;
  const server = await startBenchServer(NAMESPACE);
  const stack = await startE2EStack(NAMESPACE, {
    phoneNumbers: count,
    otpAutoReplyMs: OTP_ANSWER_MS,
    delivery: TWILIO_LIKE_DELIVERY,
    env: { A2P_SETTLE_DELAY: options.settle, A2P_POLL_INTERVAL: options.poll },
  });
  try {
    const settleMs = stack.config.timings.settleDelayMs;
    const control = stack.sandbox.control;
    if (options.prefill > 0) {
      const started = Date.now();
      // In slices, so no one control request holds the sandbox for long.
      for (let done = 0; done < options.prefill; done += 1_000)
        await control.prefill(Math.min(1_000, options.prefill - done));
      console.log(
        `sandbox pre-filled with ${options.prefill} earlier customers in ${seconds(Date.now() - started)}`,
      );
    }
    const { numbers } = await control.info();
    const requests = distinctRegistrations(
      `cost-${Date.now()}`,
      numbers.slice(0, count).map((n) => n.sid),
    );
    await control.clearRequestLog();
    console.log(
      `running ${count} registrations at once (settle ${options.settle}, polling ${options.poll}, ` +
        `${options.prefill} earlier customers)…`,
    );
    const run = await runRegistrations(stack, requests, TIMEOUT_MS);
    const completed = run.registrations.filter((r) => r.result?.outcome === 'completed');
    const times = await completionTimesMs(
      stack.client,
      completed.map((r) => r.customerId),
    );
    // Waits the flow cannot shorten: 000's settle after each bundle and the brand, the customer's
    // answer to the OTP, and the sandbox's own brand and campaign reviews.
    const mandatedMs =
      3 * settleMs + OTP_ANSWER_MS + DEFAULT_TIMINGS.brandReviewMs + DEFAULT_TIMINGS.campaignReviewMs;
    const overheads = times.map((t) => t - mandatedMs);

    const { entries } = await control.requestLog();
    const twilio = entries.filter((e) => !e.path.startsWith('/sandbox/'));
    const byEndpoint = new Map<string, number>();
    for (const e of twilio) byEndpoint.set(e.endpoint, (byEndpoint.get(e.endpoint) ?? 0) + 1);
    const mutating = twilio.filter((e) => e.method !== 'GET').length;
    const perRegistration = twilio.length / count;

    const ledger = await control.ledger();
    const minimumUsd = count * (FEES['brand-registration'] + FEES['campaign-vetting']);

    const rows = [...byEndpoint.entries()].sort((a, b) => b[1] - a[1]);
    const width = Math.max(...rows.map(([k]) => k.length), 10);
    console.log(`\nTwilio calls per registration, by endpoint`);
    for (const [endpoint, n] of rows) console.log(`  ${endpoint.padEnd(width)} ${(n / count).toFixed(2)}`);
    const figures: [string, string][] = [
      ['registrations', `${completed.length} of ${count} completed`],
      [
        'overhead',
        `p50 ${seconds(percentile(overheads, 50))}, p90 ${seconds(percentile(overheads, 90))} per registration ` +
          `beyond ${seconds(mandatedMs)} of mandated waits`,
      ],
      [
        'Twilio calls',
        `${perRegistration.toFixed(2)} per registration (${(mutating / count).toFixed(2)} mutating, ` +
          `${((twilio.length - mutating) / count).toFixed(2)} reads) = ` +
          `${(perRegistration / MUTATING_MINIMUM).toFixed(3)} × the mutating minimum of ${MUTATING_MINIMUM}`,
      ],
      [
        'fees',
        `$${ledger.totalUsd} in ${ledger.entries.length} ledger entries (minimum $${minimumUsd}` +
          `${ledger.totalUsd === minimumUsd ? ', exactly' : `, ${ledger.totalUsd > minimumUsd ? 'OVER' : 'under'}`})`,
      ],
    ];
    console.log(`\n${figures.map(([k, v]) => `${k.padEnd(14)} ${v}`).join('\n')}`);
    const unfinished = await describeUnfinished(stack, run.registrations);
    if (unfinished.length) {
      console.log(`\nnot completed:\n${unfinished.map((line) => `  ${line}`).join('\n')}`);
      process.exitCode = 1;
    }
    if (ledger.totalUsd !== minimumUsd) process.exitCode = 1;
  } finally {
    await stack.stop();
    await server.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
