import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type Activities, createActivities } from '../../../src/activities';
import { addressForTwilio, SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../../src/domain';
import {
  SOLE_PROPRIETOR_TRUST_POLICY_SID,
  STARTER_CUSTOMER_PROFILE_POLICY_SID,
} from '../../../src/domain/rules';
import { type FaultSettings, type RunningSandbox, startSandbox } from '../../../src/sandbox';
import { createTwilioClient } from '../../../src/twilio/client';
import { MANUAL } from '../sandbox/helpers';

/**
 * The real activities (the real twilio package) against a real in-process sandbox, each call run
 * as Temporal runs an activity: attempt after attempt in a MockActivityEnvironment until one
 * succeeds, a retryable failure starting the next attempt, a non-retryable one ending the run.
 */
export interface ActivitySandbox {
  sandbox: RunningSandbox;
  activities: Activities;
  close(): Promise<void>;
}

/** Each attempt's Twilio requests time out after this long (the activity's own timeout in CI terms). */
export const ATTEMPT_TIMEOUT_MS = 1_000;

export async function startActivitySandbox(): Promise<ActivitySandbox> {
  const sandbox = await startSandbox({ port: 0, timings: MANUAL });
  const activities = createActivities({
    twilio: createTwilioClient({
      accountSid: sandbox.accountSid,
      authToken: sandbox.authToken,
      apiBaseUrl: sandbox.url,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
    }),
    primaryProfileSid: sandbox.primaryProfileSid,
  });
  return { sandbox, activities, close: () => sandbox.close() };
}

/** Failed attempts are expected here; the test reports what matters. */
const SILENT: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Thrown into an attempt the test abandons, as a killed worker or an expired timeout abandons it. */
export class AttemptAbandoned extends Error {}

export interface Retried<T> {
  result: T;
  attempts: number;
  /** Why each failed attempt failed. */
  failures: string[];
}

/**
 * Runs `call` as an activity with Temporal's retries: every attempt in a fresh
 * MockActivityEnvironment (attempt number counting up). `abandon` lets a test end an attempt from
 * the outside (the worker died, the start-to-close timeout expired): the attempt's requests go
 * on, unheard, and the next attempt starts at once.
 */
export async function retried<T>(
  call: () => Promise<T>,
  options: { maxAttempts?: number; abandon?: (abandonNow: () => void) => void } = {},
): Promise<Retried<T>> {
  const failures: string[] = [];
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const env = new MockActivityEnvironment({ attempt }, { logger: SILENT });
    let abandonNow: () => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandonNow = () => {
        env.cancel('CANCELLED');
        reject(new AttemptAbandoned(`attempt ${attempt} abandoned`));
      };
    });
    options.abandon?.(abandonNow);
    const running = env.run<[], T, () => Promise<T>>(call);
    running.catch(() => undefined);
    try {
      const result = await Promise.race([running, abandoned]);
      return { result, attempts: attempt, failures };
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
      failures.push(err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err));
      if (attempt >= maxAttempts)
        throw new Error(`gave up after ${attempt} attempts: ${failures.join('; ')}`);
    }
  }
}

/** The faults of the matrix: each aimed at exactly the first call to one endpoint. */
export type FaultKind = 'commit-then-drop' | '429' | '5xx' | 'answer-after-timeout' | 'killed-after-commit';

export const FAULT_KINDS: FaultKind[] = [
  'commit-then-drop',
  '429',
  '5xx',
  'answer-after-timeout',
  'killed-after-commit',
];

/** Sandbox fault settings for a fault kind aimed at one endpoint (the kill is a commit hook instead). */
export function faultSettings(
  kind: Exclude<FaultKind, 'killed-after-commit'>,
  endpoint: string,
): Partial<FaultSettings>;
export function faultSettings(kind: FaultKind, endpoint: string): Partial<FaultSettings> | undefined;
export function faultSettings(kind: FaultKind, endpoint: string): Partial<FaultSettings> | undefined {
  const once = { endpoints: [`${endpoint}$`], times: 1 };
  switch (kind) {
    case 'commit-then-drop':
      return { ...once, dropAfterCommitFraction: 1 };
    case '429':
      return { ...once, rateLimitFraction: 1 };
    case '5xx':
      return { ...once, serverErrorFraction: 1 };
    case 'answer-after-timeout':
      return { ...once, holdAfterCommitMs: ATTEMPT_TIMEOUT_MS * 2 };
    case 'killed-after-commit':
      return undefined;
  }
}

/** The request-log `fault` (or hook) that proves a fault of this kind really hit the call. */
export const FAULT_MARK: Record<Exclude<FaultKind, 'killed-after-commit'>, string[]> = {
  'commit-then-drop': ['drop-after-commit'],
  '429': ['rate-limit'],
  '5xx': ['server-error-500', 'server-error-503'],
  'answer-after-timeout': ['hold-after-commit'],
};

let seq = 0;

/** One registration's data and workflow id, unique per call so TCR's reuse limits never trip. */
export function registration(overrides: (r: RegistrationRequest) => void = () => undefined): {
  workflowId: string;
  request: RegistrationRequest;
} {
  seq += 1;
  const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
  r.customerId = `act-${seq}-${Date.now()}`;
  r.soleProprietor.mobilePhoneNumber = `+1415556${String(1000 + seq).slice(-4)}`;
  r.soleProprietor.email = `owner${seq}.${Date.now()}@example.com`;
  r.address.street = `${seq} Activity St`;
  overrides(r);
  return { workflowId: `a2p-registration-${r.customerId}`, request: r };
}

/**
 * Builds, with the activities themselves, everything a step needs before it runs, so each cell
 * of the matrix starts from exactly the state a registration has when it gets there.
 */
export function prerequisites(a: Activities, sandbox: RunningSandbox) {
  async function profile(r = registration()) {
    const { workflowId, request } = r;
    const bundle = await a.ensureBundle({
      kind: 'customer-profile',
      workflowId,
      policySid: STARTER_CUSTOMER_PROFILE_POLICY_SID,
      email: request.soleProprietor.email,
    });
    const endUser = await a.ensureStarterProfileEndUser({ workflowId, info: request.soleProprietor });
    const address = await a.ensureAddress({ workflowId, address: addressForTwilio(request) });
    const document = await a.ensureAddressDocument({ workflowId, addressSid: address.sid });
    await a.ensureAssignments({
      kind: 'customer-profile',
      bundleSid: bundle.sid,
      objectSids: [endUser.sid, document.sid],
      includePrimaryProfile: true,
    });
    await a.evaluateBundle({
      kind: 'customer-profile',
      bundleSid: bundle.sid,
      policySid: STARTER_CUSTOMER_PROFILE_POLICY_SID,
    });
    return { ...r, profileSid: bundle.sid };
  }

  async function trustBundle(r = registration()) {
    const p = await profile(r);
    await a.submitBundle({ kind: 'customer-profile', bundleSid: p.profileSid });
    const bundle = await a.ensureBundle({
      kind: 'trust-product',
      workflowId: p.workflowId,
      policySid: SOLE_PROPRIETOR_TRUST_POLICY_SID,
      email: p.request.soleProprietor.email,
    });
    const endUser = await a.ensureSoleProprietorEndUser({
      workflowId: p.workflowId,
      info: p.request.soleProprietor,
    });
    await a.ensureAssignments({
      kind: 'trust-product',
      bundleSid: bundle.sid,
      objectSids: [endUser.sid, p.profileSid],
    });
    await a.evaluateBundle({
      kind: 'trust-product',
      bundleSid: bundle.sid,
      policySid: SOLE_PROPRIETOR_TRUST_POLICY_SID,
    });
    return { ...p, trustProductSid: bundle.sid };
  }

  async function brandInputs(r = registration()) {
    const t = await trustBundle(r);
    await a.submitBundle({ kind: 'trust-product', bundleSid: t.trustProductSid });
    return {
      ...t,
      brand: { customerProfileSid: t.profileSid, trustProductSid: t.trustProductSid, mock: false },
    };
  }

  /** A brand TCR failed: what a resubmission (a paid brand update) starts from. */
  async function failedBrand() {
    const b = await brandInputs();
    const brand = await a.ensureBrand(b.brand);
    await sandbox.control.decideBrand(brand.sid, 'fail', { reason: 'test' });
    return { ...b, brandSid: brand.sid };
  }

  /** An approved, verified brand and a Messaging Service: what a campaign is created on. */
  async function campaignInputs() {
    const b = await brandInputs();
    const brand = await a.ensureBrand(b.brand);
    await sandbox.control.decideBrand(brand.sid, 'approve');
    await sandbox.control.answerOtp(brand.sid);
    const service = await a.ensureMessagingService({ workflowId: b.workflowId });
    return {
      ...b,
      brandSid: brand.sid,
      campaign: { messagingServiceSid: service.sid, brandSid: brand.sid, campaign: b.request.campaign },
    };
  }

  /** A TCR campaign shared with Twilio and accepted, and the service it is associated with. */
  async function externalInputs() {
    const campaignId = `C${(Date.now() + seq++).toString(36).toUpperCase().slice(-6)}`;
    await sandbox.control.shareExternalCampaign(campaignId, true);
    const service = await a.ensureMessagingService({ workflowId: `a2p-external-campaign-${campaignId}` });
    return { messagingServiceSid: service.sid, campaignId };
  }

  return { profile, trustBundle, brandInputs, failedBrand, campaignInputs, externalInputs };
}
