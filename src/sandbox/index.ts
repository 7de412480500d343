import type { AddressInfo } from 'node:net';
import { SandboxControl } from './control-client';
import { Engine, type SandboxTimings } from './engine';
import { Faults } from './faults';
import type { CommitListener } from './http';
import { buildServer } from './server';
import { PRIMARY_PROFILE_SID } from './state';

export { SandboxControl, SandboxControlError } from './control-client';
export type {
  Ledger,
  PendingReview,
  RequestLog,
  SandboxInfo,
  RegistrationErrorInput,
} from './control-client';
export type { DeliverySettings, DeliveryAttempt } from './callbacks';
export type { FaultSettings } from './faults';
export type { CommitListener, CommittedRequest } from './http';
export { campaignVerificationMs, DEFAULT_TIMINGS, FEES, type SandboxTimings } from './engine';
export { PRIMARY_PROFILE_SID, SEEDED_NUMBERS } from './state';
export { US_A2P_COMPLIANCE_SID } from './resources/messaging';
export * as testData from './outcomes';

/** Documented defaults (docs/sandbox.md); `npm run sandbox` prints them at start. */
export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_AUTH_TOKEN = 'sandbox-auth-token';
export const DEFAULT_PORT = 4010;

export interface SandboxOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  accountSid?: string;
  authToken?: string;
  /** Keep state in this JSON file across restarts (default: memory only). */
  stateFile?: string;
  /** Event Streams sink for brand and campaign CloudEvents. */
  eventSinkUrl?: string;
  /** TCR campaign-sharing webhook (003) and the secret it expects in `X-A2P-Webhook-Secret`. */
  tcrWebhookUrl?: string;
  tcrWebhookSecret?: string;
  timings?: Partial<SandboxTimings>;
  /** The customer answers each OTP this many ms after it is sent; null/undefined: never by themselves. */
  otpAutoReplyMs?: number | null;
  logger?: boolean;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:4010: give it to createTwilioClient as apiBaseUrl. */
  url: string;
  accountSid: string;
  authToken: string;
  /** The ISV's approved primary customer profile, seeded in every sandbox (000 1.6.3). */
  primaryProfileSid: string;
  control: SandboxControl;
  /**
   * Calls `listener` whenever a write has committed, before its answer is sent (in this process
   * only; the control API has no such hook). Returns the function that removes it.
   */
  onCommit(listener: CommitListener): () => void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
  if (!/^AC[0-9a-f]{32}$/.test(accountSid))
    throw new Error(`accountSid must be AC followed by 32 lowercase hex digits`);
  const engine = new Engine({
    accountSid,
    authToken,
    stateFile: options.stateFile,
    eventSinkUrl: options.eventSinkUrl ?? null,
    tcrWebhookUrl: options.tcrWebhookUrl ?? null,
    tcrWebhookSecret: options.tcrWebhookSecret ?? null,
    timings: options.timings,
    otpAutoReplyMs: options.otpAutoReplyMs ?? null,
    warn: options.logger ? (m) => console.warn(`[sandbox] ${m}`) : undefined,
  });
  const faults = new Faults();
  const commitListeners = new Set<CommitListener>();
  const app = buildServer(engine, faults, options.logger ?? false, commitListeners);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  } catch (err) {
    engine.close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    accountSid,
    authToken,
    primaryProfileSid: PRIMARY_PROFILE_SID,
    control: new SandboxControl(url),
    onCommit: (listener) => {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
    close: () => {
      closing ??= (async () => {
        engine.close();
        await app.close();
      })();
      return closing;
    },
  };
}
