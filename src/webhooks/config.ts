import { z } from 'zod';
import { optionalBindAddress } from '../config';

/**
 * Environment of the webhook server (`npm run webhooks`). Validated once at start-up; a bad value
 * stops the process with a message naming each offending variable. The Temporal connection is read
 * by @temporalio/envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*).
 */

const httpUrl = z
  .string()
  .trim()
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not an absolute URL` });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must not have a query string or fragment' });
      return z.NEVER;
    }
    return value.replace(/\/+$/, '');
  });

const envSchema = z.object({
  WEBHOOK_PORT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'must be a port number (0-65535)')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be a port number (0-65535)')
    .default(4020),
  /** Loopback unless configured: exposing the server is a deliberate choice (0.0.0.0 behind a proxy). */
  WEBHOOK_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** The base URL Twilio calls (scheme, host, optional path prefix), as the proxy in front exposes it. */
  A2P_PUBLIC_WEBHOOK_URL: httpUrl.optional(),
  TWILIO_AUTH_TOKEN: z
    .string({ error: 'must be set: Twilio signs callbacks with the account auth token' })
    .min(1, 'must be set: Twilio signs callbacks with the account auth token'),
  /** Shared secret the TCR webhook presents; the TCR endpoint is off without it. */
  A2P_TCR_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Payload encryption keys, as for the worker (`id:base64key`, newest first). */
  A2P_ENCRYPTION_KEYS: z.string().trim().optional(),
  A2P_DATA_DIR: z.string().trim().min(1).default('.data'),
  /**
   * `ip:port` of a separate listener for GET /metrics; off when unset. Never the public webhook
   * port: what Twilio reaches must not hand out operational figures.
   */
  A2P_WEBHOOK_METRICS_BIND_ADDRESS: optionalBindAddress,
});

export interface WebhookConfig {
  port: number;
  host: string;
  /** A2P_PUBLIC_WEBHOOK_URL, or the local listening URL when it is not set. */
  publicBaseUrl: string;
  /** True when A2P_PUBLIC_WEBHOOK_URL was not set (only local senders such as the sandbox will verify). */
  publicBaseUrlDefaulted: boolean;
  authToken: string;
  tcrSecret?: string;
  encryptionKeys?: string;
  dataDir: string;
  /** Where GET /metrics listens; undefined: no metrics. */
  metrics?: { host: string; port: number };
}

export class WebhookConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid webhook server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WebhookConfigError';
  }
}

/** Host as it appears in a URL: loopback for wildcard addresses, brackets for IPv6. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `ip:port` (as A2P_WEBHOOK_METRICS_BIND_ADDRESS gives it) as a host and a port to listen on. */
export function splitBindAddress(bindAddress: string): { host: string; port: number } {
  const at = bindAddress.lastIndexOf(':');
  return {
    host: bindAddress.slice(0, at).replace(/^\[(.*)\]$/, '$1'),
    port: Number(bindAddress.slice(at + 1)),
  };
}

export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  // An empty variable counts as unset.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new WebhookConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return {
    port: e.WEBHOOK_PORT,
    host: e.WEBHOOK_HOST,
    publicBaseUrl: e.A2P_PUBLIC_WEBHOOK_URL ?? `http://${urlHost(e.WEBHOOK_HOST)}:${e.WEBHOOK_PORT}`,
    publicBaseUrlDefaulted: e.A2P_PUBLIC_WEBHOOK_URL === undefined,
    authToken: e.TWILIO_AUTH_TOKEN,
    tcrSecret: e.A2P_TCR_WEBHOOK_SECRET,
    encryptionKeys: e.A2P_ENCRYPTION_KEYS,
    dataDir: e.A2P_DATA_DIR,
    metrics: e.A2P_WEBHOOK_METRICS_BIND_ADDRESS
      ? splitBindAddress(e.A2P_WEBHOOK_METRICS_BIND_ADDRESS)
      : undefined,
  };
}
