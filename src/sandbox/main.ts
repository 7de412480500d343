import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PORT,
  startSandbox,
  type SandboxTimings,
} from './index';

/**
 * `npm run sandbox`: the Twilio A2P sandbox on its own, configured by environment (docs/sandbox.md).
 */

/** "5s", "300ms", "2m", "1h" or a bare number of milliseconds. */
export function parseDuration(name: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) throw new Error(`${name}: expected a duration such as 500ms, 5s or 2m, got "${text}"`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

const TIMING_ENV: Record<keyof SandboxTimings, string> = {
  bundleReviewMs: 'SANDBOX_BUNDLE_REVIEW',
  bundleApprovalMs: 'SANDBOX_BUNDLE_APPROVAL',
  brandReviewMs: 'SANDBOX_BRAND_REVIEW',
  campaignReviewMs: 'SANDBOX_CAMPAIGN_REVIEW',
  externalReviewMs: 'SANDBOX_EXTERNAL_REVIEW',
  shareReviewMs: 'SANDBOX_SHARE_REVIEW',
  otpValidityMs: 'SANDBOX_OTP_VALIDITY',
  numberRegistrationMs: 'SANDBOX_NUMBER_REGISTRATION',
  campaignDeletionMs: 'SANDBOX_CAMPAIGN_DELETION',
};

export function optionsFromEnv(env: NodeJS.ProcessEnv) {
  const port = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`SANDBOX_PORT: not a port: ${env.SANDBOX_PORT}`);
  const timings: Partial<SandboxTimings> = {};
  for (const [key, name] of Object.entries(TIMING_ENV) as [keyof SandboxTimings, string][]) {
    const v = env[name];
    if (v) timings[key] = parseDuration(name, v);
  }
  const auto = env.SANDBOX_OTP_AUTO_REPLY;
  return {
    port,
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    accountSid: env.SANDBOX_ACCOUNT_SID ?? DEFAULT_ACCOUNT_SID,
    authToken: env.SANDBOX_AUTH_TOKEN ?? DEFAULT_AUTH_TOKEN,
    stateFile: env.SANDBOX_STATE_FILE || undefined,
    eventSinkUrl: env.SANDBOX_EVENT_SINK_URL || undefined,
    tcrWebhookUrl: env.SANDBOX_TCR_WEBHOOK_URL || undefined,
    tcrWebhookSecret: env.SANDBOX_TCR_WEBHOOK_SECRET || undefined,
    otpAutoReplyMs: !auto || auto === 'off' ? null : parseDuration('SANDBOX_OTP_AUTO_REPLY', auto),
    timings,
    logger: env.SANDBOX_LOG === '1',
  };
}

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env);
  const sandbox = await startSandbox(options);
  console.log(`Twilio A2P sandbox listening on ${sandbox.url}`);
  console.log(`  account SID:  ${sandbox.accountSid}`);
  console.log(`  auth token:   ${sandbox.authToken}`);
  console.log(`  primary customer profile: ${sandbox.primaryProfileSid}`);
  console.log(`  TWILIO_API_BASE_URL=${sandbox.url}`);
  console.log(`  control API:  ${sandbox.url}/sandbox/info`);
  console.log(`  state file:   ${options.stateFile ?? '(memory only)'}`);
  console.log(`  event sink:   ${options.eventSinkUrl ?? '(none)'}`);
  console.log(
    `  OTP auto-reply: ${options.otpAutoReplyMs === null ? 'off' : `${options.otpAutoReplyMs} ms`}`,
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
