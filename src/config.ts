import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { OTP_COMPLETION_DEADLINE_MS, OTP_VALIDITY_MS, SETTLE_DELAY_MS } from './domain/rules';
import { loadBrandUsageKey, loadKeyRing, type KeyRing } from './encryption';
import type { RegistrationTimings } from './shared/types';

/**
 * Every setting the service reads from its environment, validated once at start-up. A bad value
 * stops the process with a message that names each offending variable.
 * The Temporal connection itself (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS_*, TEMPORAL_PROFILE) is read by @temporalio/envconfig; see `temporal.ts`.
 */

const duration = (fallback: string | number) =>
  z
    .string()
    .trim()
    .default(typeof fallback === 'number' ? `${fallback}ms` : fallback)
    .transform((value, ctx) => {
      try {
        const ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
        if (!Number.isFinite(ms) || ms < 0) throw new Error('negative');
        return ms;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a duration like 500ms, 30s, 15m, 24h or 30d`,
        });
        return z.NEVER;
      }
    });

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v.replace(/\/+$/, '') : undefined))
  .pipe(z.url({ message: 'must be an absolute http(s) URL' }).optional());

/**
 * New registrations start at this many times the brand pace: a little ahead of it, so a
 * registration whose Trust Hub steps take longer does not leave the brand queue idle (the n-th
 * reaches the queue a fifth of n seconds ahead of its turn), yet far from a whole burst at once.
 * `npm run bench` at 200 at once on two cores: 7.0 to 7.8 s overhead p50 without pacing over
 * three runs at 1.25, against 6.2 to 13.6 s (median 9.1 s over six runs) at twice the pace, which kept both
 * cores saturated while the bundles ran (docs/operations.md, "Cost per registration").
 */
export const ADMISSIONS_PER_BRAND_SUBMISSION = 1.25;

/**
 * A client starts registrations at up to this many times the admission pace: far enough ahead
 * that the admission queue never runs dry, yet not so fast that the starts take the machine from
 * the registrations already admitted, whose delay the brand pace would carry to every
 * registration behind them. `npm run bench` at 200 at once on two cores: overhead p50 without
 * pacing 1.42 to 2.21 s over three runs with starts 0.4 s apart, 2.33 s one at a time unpaced
 * (about 8 a second), 7.00 s all at once (docs/operations.md, "The burst spread out").
 */
export const STARTS_PER_ADMISSION = 2;

const optionalRate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? Number(v) : undefined))
  .pipe(
    z
      .number({ message: 'must be a number of requests per second' })
      .positive('must be greater than 0')
      .optional(),
  );

/**
 * An optional `ip:port` to listen on (`0.0.0.0:9464`, `127.0.0.1:9464`, `[::]:9464`). The
 * Temporal runtime's Prometheus exporter takes only an IP literal, not a host name, and a fixed
 * port, so Prometheus knows where to scrape. Unset or blank: off.
 */
export const optionalBindAddress = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
    const host = match?.[1] ?? match?.[2];
    const port = Number(match?.[3]);
    if (!match || !host || isIP(host) === 0 || (match[1] !== undefined && isIP(host) !== 6)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not an ip:port address like 0.0.0.0:9464, 127.0.0.1:9464 or [::]:9464`,
      });
      return z.NEVER;
    }
    if (port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: `"${value}": the port must be 1-65535` });
      return z.NEVER;
    }
    return value;
  });

/**
 * One start at a time per client: a burst of starts (each three brand-usage claims and a workflow
 * start) then takes a share of the machine the registrations already admitted can keep, and the
 * starts still outrun the admissions many times over (docs/operations.md, "Starts").
 */
export const DEFAULT_MAX_CONCURRENT_STARTS = 1;

/** A whole number of at least `min`; unset or blank is `fallback`. */
const whole = (fallback: number, min: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : fallback))
    .pipe(
      z
        .number({ message: 'must be a whole number' })
        .int('must be a whole number')
        .min(min, `must be at least ${min}`),
    );

/**
 * What one worker process takes on at once (docs/operations.md, "Sizing a worker", has the
 * measurements behind these defaults).
 */
export const WORKER_SIZING_DEFAULTS = {
  maxCachedWorkflows: 1000,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 100,
  workflowTaskPollers: 10,
  activityTaskPollers: 10,
  stickyQueueScheduleToStartTimeoutMs: 10_000,
} as const;

const envSchema = z.object({
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, 'must be an Account SID: AC followed by 32 hex digits'),
  TWILIO_AUTH_TOKEN: z
    .string({ message: 'is required' })
    .min(1, 'must be set (the account auth token or API secret)'),
  /** When set, Twilio calls go to this base URL (the bundled sandbox) instead of twilio.com. */
  TWILIO_API_BASE_URL: optionalUrl,
  /** The ISV's own approved primary customer profile, assigned to each starter profile (000 step 1.6). */
  A2P_PRIMARY_PROFILE_SID: z
    .string({ message: 'is required' })
    .regex(/^BU[0-9a-f]{32}$/, 'must be a Customer Profile SID: BU followed by 32 hex digits'),
  /** Public base URL of the webhook server, as Twilio reaches it (behind any proxy). */
  A2P_PUBLIC_WEBHOOK_URL: optionalUrl,
  /** 000: wait 30 s after each submission to catch synchronous validation errors. */
  A2P_SETTLE_DELAY: duration(SETTLE_DELAY_MS),
  /** How often a workflow fetches a status itself when no callback has arrived. */
  A2P_POLL_INTERVAL: duration('15m'),
  /** The poll backs off from A2P_POLL_INTERVAL to this: a review of weeks costs a few fetches a day. */
  A2P_POLL_MAX_INTERVAL: duration('6h'),
  /** 000 3.2: the OTP is valid 24 hours; re-send after that while the brand is unverified. */
  A2P_OTP_RESEND_INTERVAL: duration(OTP_VALIDITY_MS),
  /** How long a brand may stay unverified before the registration ends as otp-expired. */
  A2P_OTP_DEADLINE: duration(OTP_COMPLETION_DEADLINE_MS),
  /** Comma-separated `id:base64key` AES-256 keys, newest first. Default: a key file under A2P_DATA_DIR. */
  A2P_ENCRYPTION_KEYS: z.string().trim().optional(),
  A2P_DATA_DIR: z.string().trim().default('.data'),
  /**
   * Base64 32-byte key for the keyed hashes the brand-usage count keeps instead of mobile numbers,
   * emails and addresses. Default: a key file under A2P_DATA_DIR. Never rotate it: the count
   * would start over.
   */
  A2P_BRAND_USAGE_KEY: z.string().trim().optional(),
  /** Optional account-wide pace of brand submissions (per second, all workers together). */
  A2P_BRAND_SUBMISSIONS_PER_SECOND: optionalRate,
  /** Optional account-wide pace of campaign submissions (per second, all workers together). */
  A2P_CAMPAIGN_SUBMISSIONS_PER_SECOND: optionalRate,
  /**
   * Pace at which new registrations start their steps (per second, all workers together).
   * Default: 1.25 times A2P_BRAND_SUBMISSIONS_PER_SECOND when that is set, else unpaced.
   */
  A2P_REGISTRATION_ADMISSIONS_PER_SECOND: optionalRate,
  /** Workflows kept in memory between their tasks; one evicted replays its whole history next time. */
  A2P_WORKER_MAX_CACHED_WORKFLOWS: whole(WORKER_SIZING_DEFAULTS.maxCachedWorkflows, 2),
  /** Workflow tasks in progress at once (each holds a slot from poll to completion). */
  A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: whole(
    WORKER_SIZING_DEFAULTS.maxConcurrentWorkflowTaskExecutions,
    2,
  ),
  /** Activities in progress at once, per task queue. */
  A2P_WORKER_MAX_CONCURRENT_ACTIVITIES: whole(WORKER_SIZING_DEFAULTS.maxConcurrentActivityTaskExecutions, 1),
  A2P_WORKER_WORKFLOW_TASK_POLLERS: whole(WORKER_SIZING_DEFAULTS.workflowTaskPollers, 1),
  A2P_WORKER_ACTIVITY_TASK_POLLERS: whole(WORKER_SIZING_DEFAULTS.activityTaskPollers, 1),
  /** How long a task waits on this worker's sticky queue before any worker may take it (with a full replay). */
  A2P_WORKER_STICKY_QUEUE_TIMEOUT: duration(
    `${WORKER_SIZING_DEFAULTS.stickyQueueScheduleToStartTimeoutMs}ms`,
  ),
  /** Where the worker serves Prometheus metrics (`ip:port`, path /metrics); off when unset. */
  A2P_METRICS_BIND_ADDRESS: optionalBindAddress,
  /** Registrations one client starts at once; the rest of a burst of starts waits its turn. */
  A2P_MAX_CONCURRENT_STARTS: whole(DEFAULT_MAX_CONCURRENT_STARTS, 1),
  /**
   * Pace at which one client starts registrations (per second). Default: STARTS_PER_ADMISSION
   * times the admission pace when that is paced, else unpaced.
   */
  A2P_STARTS_PER_SECOND: optionalRate,
});

export type Env = z.output<typeof envSchema>;

export interface Config {
  twilio: { accountSid: string; authToken: string; apiBaseUrl?: string };
  primaryProfileSid: string;
  publicWebhookUrl?: string;
  timings: RegistrationTimings;
  dataDir: string;
  keyRing: KeyRing;
  /** The key of the brand-usage count's hashes (src/encryption/usage-keys.ts). */
  brandUsageKey: Buffer;
  /** Account-wide submission and admission pace; unset = as fast as the workflows go. */
  pacing: {
    brandSubmissionsPerSecond?: number;
    campaignSubmissionsPerSecond?: number;
    registrationAdmissionsPerSecond?: number;
  };
  worker: WorkerSizing;
  /** Where the worker's Temporal runtime serves Prometheus metrics; undefined: no metrics endpoint. */
  metricsBindAddress?: string;
  /** How many registrations a client starts at once (RegistrarClient). */
  maxConcurrentStarts: number;
  /** How many registrations a client starts a second at most; unset: as fast as they go. */
  startsPerSecond?: number;
}

/** Worker.create's options of the same names (the pollers as `simple-maximum` poller behaviours). */
export interface WorkerSizing {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  workflowTaskPollers: number;
  activityTaskPollers: number;
  stickyQueueScheduleToStartTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const worker: WorkerSizing = {
    maxCachedWorkflows: e.A2P_WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: e.A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: e.A2P_WORKER_MAX_CONCURRENT_ACTIVITIES,
    workflowTaskPollers: e.A2P_WORKER_WORKFLOW_TASK_POLLERS,
    activityTaskPollers: e.A2P_WORKER_ACTIVITY_TASK_POLLERS,
    stickyQueueScheduleToStartTimeoutMs: e.A2P_WORKER_STICKY_QUEUE_TIMEOUT,
  };
  const sizingProblems = [
    // The SDK would quietly lower the task slots to the cache size: say so instead.
    worker.maxConcurrentWorkflowTaskExecutions > worker.maxCachedWorkflows &&
      `A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed A2P_WORKER_MAX_CACHED_WORKFLOWS (${worker.maxCachedWorkflows}): a task in progress keeps its workflow cached`,
    worker.workflowTaskPollers > worker.maxConcurrentWorkflowTaskExecutions &&
      `A2P_WORKER_WORKFLOW_TASK_POLLERS: must not exceed A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${worker.maxConcurrentWorkflowTaskExecutions}): each poll holds a task slot`,
    worker.activityTaskPollers > worker.maxConcurrentActivityTaskExecutions &&
      `A2P_WORKER_ACTIVITY_TASK_POLLERS: must not exceed A2P_WORKER_MAX_CONCURRENT_ACTIVITIES (${worker.maxConcurrentActivityTaskExecutions}): each poll holds an activity slot`,
    worker.stickyQueueScheduleToStartTimeoutMs < 1_000 &&
      'A2P_WORKER_STICKY_QUEUE_TIMEOUT: must be at least 1s',
  ].filter((p): p is string => typeof p === 'string');
  if (sizingProblems.length > 0) throw new ConfigError(sizingProblems);
  const dataDir = resolve(e.A2P_DATA_DIR);
  let keyRing: KeyRing;
  try {
    keyRing = loadKeyRing(e.A2P_ENCRYPTION_KEYS, dataDir);
  } catch (err) {
    throw new ConfigError([`A2P_ENCRYPTION_KEYS: ${(err as Error).message}`]);
  }
  let brandUsageKey: Buffer;
  try {
    brandUsageKey = loadBrandUsageKey(e.A2P_BRAND_USAGE_KEY, dataDir);
  } catch (err) {
    throw new ConfigError([`A2P_BRAND_USAGE_KEY: ${(err as Error).message}`]);
  }
  const registrationAdmissionsPerSecond =
    e.A2P_REGISTRATION_ADMISSIONS_PER_SECOND ??
    (e.A2P_BRAND_SUBMISSIONS_PER_SECOND &&
      ADMISSIONS_PER_BRAND_SUBMISSION * e.A2P_BRAND_SUBMISSIONS_PER_SECOND);
  return {
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      apiBaseUrl: e.TWILIO_API_BASE_URL,
    },
    primaryProfileSid: e.A2P_PRIMARY_PROFILE_SID,
    publicWebhookUrl: e.A2P_PUBLIC_WEBHOOK_URL,
    timings: {
      settleDelayMs: e.A2P_SETTLE_DELAY,
      pollIntervalMs: e.A2P_POLL_INTERVAL,
      pollMaxIntervalMs: Math.max(e.A2P_POLL_MAX_INTERVAL, e.A2P_POLL_INTERVAL),
      otpResendIntervalMs: e.A2P_OTP_RESEND_INTERVAL,
      otpDeadlineMs: e.A2P_OTP_DEADLINE,
    },
    dataDir,
    keyRing,
    brandUsageKey,
    pacing: {
      brandSubmissionsPerSecond: e.A2P_BRAND_SUBMISSIONS_PER_SECOND,
      campaignSubmissionsPerSecond: e.A2P_CAMPAIGN_SUBMISSIONS_PER_SECOND,
      registrationAdmissionsPerSecond,
    },
    worker,
    metricsBindAddress: e.A2P_METRICS_BIND_ADDRESS,
    maxConcurrentStarts: e.A2P_MAX_CONCURRENT_STARTS,
    startsPerSecond:
      e.A2P_STARTS_PER_SECOND ??
      (registrationAdmissionsPerSecond && STARTS_PER_ADMISSION * registrationAdmissionsPerSecond),
  };
}

/**
 * A2P_METRICS_BIND_ADDRESS alone, for a process that installs the Temporal runtime before it
 * loads the rest of its configuration (the embedded stack).
 */
export function loadMetricsBindAddress(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const parsed = optionalBindAddress.safeParse(env.A2P_METRICS_BIND_ADDRESS);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `A2P_METRICS_BIND_ADDRESS: ${i.message}`));
  return parsed.data;
}
