import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type Config, DEFAULT_MAX_CONCURRENT_STARTS, loadConfig } from './config';
import {
  type AnyRegistrationRequest,
  type CampaignFinding,
  type ExternalCampaignRequest,
  findingsAsIssues,
  formatIssues,
  type FieldIssue,
  isRecord,
  isStandard,
  isStandardRequest,
  parseAnyRegistrationRequest,
  parseExternalCampaignRequest,
  parseStandardCorrection,
  parseStandardRegistrationRequest,
  parseRegistrationCorrection,
  type RegistrationRequest,
  type RegistrationCorrection,
  reviewCorrectionCampaign,
  reviewRegistrationCampaign,
  reviewStandardCampaign,
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
  type StandardRegistrationRequest,
} from './domain';
import { CUSTOMER_ID_PATTERN, FEE_USD } from './domain/rules';
import { brandUsageKeys, createDataConverter, requestBrandUsageKeys } from './encryption';
import {
  A2P_BRAND_STATUS,
  BRAND_USAGE_EXCEEDED,
  BRAND_USAGE_TASK_QUEUE,
  brandUsageWorkflowId,
  type BrandUsageConflict,
  type BrandUsageKeys,
  claimBrandUsageUpdate,
  releaseBrandUsageUpdate,
  A2P_CAMPAIGN_STATUS,
  A2P_PHASE,
  correctionFee,
  type CorrectionFee,
  customerIdFromWorkflowId,
  deregistrationWorkflowId,
  type DeregistrationProgress,
  EXTERNAL_CAMPAIGN_ID_PREFIX,
  type ExternalCampaignProgress,
  externalCampaignProgressQuery,
  externalCampaignWorkflowId,
  PERSON_WAIT_PHASES,
  progressQuery,
  REGISTRATION_TASK_QUEUE,
  type RegistrationProgress,
  registrationWorkflowId,
  resendOtpSignal,
  REVIEW_PHASES,
  type StepName,
  submitCorrectionUpdate,
} from './shared';
import { connectClient } from './temporal';
import type {
  brandUsage,
  deregistration,
  externalCampaignRegistration,
  soleProprietorRegistration,
  standardRegistration,
} from './workflows';

/** The request (or correction) failed validation; nothing was started and nothing reached Twilio. */
export class ValidationError extends Error {
  constructor(
    readonly issues: FieldIssue[],
    readonly subject: 'request' | 'correction' | 'option' = 'request',
  ) {
    super(`Invalid ${subject}:\n${formatIssues(issues)}`);
    this.name = 'ValidationError';
  }
}

/**
 * The registration exists but has ended (completed, failed, cancelled, ...): it takes no more
 * corrections, OTP re-sends or cancellations. Its progress can still be read.
 */
export class RegistrationClosedError extends Error {
  constructor(
    readonly workflowId: string,
    readonly status: string,
    readonly phase?: string,
  ) {
    const id = customerIdFromWorkflowId(workflowId) ?? workflowId;
    super(
      `${workflowId} is closed (${status}${phase ? `, phase ${phase}` : ''}): it takes no more corrections, ` +
        `OTP re-sends or cancellations. See how it ended: a2p status ${id}`,
    );
    this.name = 'RegistrationClosedError';
  }
}

/** A correction was sent to a registration that is not waiting for one. */
export class NoCorrectionAwaitedError extends Error {
  constructor(
    readonly customerId: string,
    readonly phase: string,
  ) {
    super(
      `${registrationWorkflowId(customerId)} is not waiting for a correction (phase ${phase}); ` +
        `a2p status ${customerId} shows what it waits for`,
    );
    this.name = 'NoCorrectionAwaitedError';
  }
}

/**
 * The correction would cost a fee (another campaign vetting, a brand resubmission) that the caller
 * did not accept. Nothing was sent. Pass `acceptFee: true` (`a2p correct ... --accept-fee`).
 */
export class CorrectionFeeError extends Error {
  constructor(readonly fee: CorrectionFee) {
    super(
      `This correction costs ${fee.text}: the registration submits again to Twilio once it is applied. ` +
        'Send it with acceptFee: true (a2p correct ... --accept-fee) to go ahead.',
    );
    this.name = 'CorrectionFeeError';
  }
}

/**
 * The campaign has pre-vetting warnings (docs/campaign-review.md) the caller did not accept:
 * Twilio's review would likely reject it, and each rejection costs another vetting fee. Nothing was
 * started or sent. Fix the campaign, or pass `acceptWarnings: true` (`a2p ... --accept-warnings`).
 */
export class CampaignWarningsError extends Error {
  /** `prefix` is where the findings' fields sit: `campaign` (Sole Proprietor) or '' (Standard: `campaigns.N.…`). */
  constructor(
    readonly warnings: CampaignFinding[],
    prefix = 'campaign',
  ) {
    super(
      `The campaign has ${warnings.length} pre-vetting warning${warnings.length === 1 ? '' : 's'}: ` +
        "Twilio's review would likely reject it. Fix them, or accept them " +
        '(acceptWarnings: true, or --accept-warnings):\n' +
        formatIssues(findingsAsIssues(warnings, prefix)),
    );
    this.name = 'CampaignWarningsError';
  }
}

/** How a registration or correction treats the campaign's pre-vetting warnings. */
export interface CampaignWarningOptions {
  /** Go ahead despite warnings (they are returned, and recorded by the registration). */
  acceptWarnings?: boolean;
}

export interface CorrectionOptions extends CampaignWarningOptions {
  /** Go ahead although the correction leads to a paid resubmission (see `correctionFee`). */
  acceptFee?: boolean;
}

/** What `correctionTemplate` answers: what is being asked and a JSON shape to fill in. */
export interface CorrectionRequest {
  customerId: string;
  /** The step waiting for corrected data. */
  step: StepName;
  /** Twilio's reason, as the registration recorded it. */
  why: string;
  /** The fee sending a correction now leads to, if any. */
  fee?: CorrectionFee;
  /** The fields of the step, each with a placeholder: keep the ones to change, drop the others. */
  template: Record<string, unknown>;
}

/** A running registration that waits on a person, or on a review longer than expected. */
export interface StuckRegistration {
  customerId: string;
  phase: string;
  waitingFor: string;
  since: string;
  why?: string;
  next?: string;
}

/**
 * A registration under this id already ended successfully. Starting it again would register a
 * second brand (and pay for it); deregister first, or use a new customer id.
 */
export class RegistrationExistsError extends Error {
  constructor(
    readonly workflowId: string,
    readonly runId: string,
  ) {
    super(
      `${workflowId} already completed (run ${runId}); a new registration would pay for a second brand. ` +
        'Deregister it first (a2p deregister) or use another customer id.',
    );
    this.name = 'RegistrationExistsError';
  }
}

/**
 * The registration would use a mobile number, email or address for more brands than TCR allows
 * (000: a mobile number three times, an email or an address ten times, across all providers, for
 * life). Nothing was started and nothing was paid: the brand would fail at TCR after its fee.
 * `conflicts` names, for each value used up, the registrations of this ISV that used it.
 */
export class BrandUsageError extends Error {
  constructor(readonly conflicts: BrandUsageConflict[]) {
    const what = { mobile: 'mobile number', email: 'email', address: 'address' } as const;
    super(
      'TCR would refuse this brand: ' +
        conflicts
          .map(
            (c) =>
              `the ${what[c.kind]} has been used for ${c.usedBy.length} brands already (TCR allows ${c.limit}), ` +
              `by ${c.usedBy.map((id) => customerIdFromWorkflowId(id) ?? id).join(', ')}`,
          )
          .join('; ') +
        '. Use another value; nothing was started or paid.',
    );
    this.name = 'BrandUsageError';
  }
}

export interface StartedRegistration {
  workflowId: string;
  runId: string;
  /** True when a registration for this id was already running and was returned as is. */
  alreadyStarted: boolean;
}

export interface StartedSoleProprietorRegistration extends StartedRegistration {
  /** The campaign's pre-vetting warnings, accepted with `acceptWarnings` (empty when it had none). */
  campaignWarnings: CampaignFinding[];
}

/** How `startRegistrations` treats a batch. */
export interface BulkStartOptions extends CampaignWarningOptions {
  /** How many registrations are being started at any moment (default 8). */
  concurrency?: number;
  /** Called with each request's result as soon as it is known (to show progress). */
  onResult?: (result: BulkStartResult) => void;
  /** How a request is named in a message about another one (default `request <n>`, from 1). */
  describe?: (index: number) => string;
}

/** What became of one request of a batch; `index` is its position in the batch. */
export type BulkStartResult =
  | {
      index: number;
      status: 'started';
      customerId: string;
      workflowId: string;
      runId: string;
      /** The campaign's pre-vetting warnings, accepted with `acceptWarnings`. */
      campaignWarnings: CampaignFinding[];
    }
  | {
      index: number;
      /** Its registration was running or had completed: nothing was started again. */
      status: 'already-started';
      customerId: string;
      workflowId: string;
      runId: string;
      completed: boolean;
    }
  | {
      index: number;
      /** Refused before anything was started or sent to Twilio. */
      status: 'invalid';
      customerId?: string;
      issues: FieldIssue[];
    }
  | {
      index: number;
      /** Valid, but the start itself failed (TCR usage limits, Temporal refusing): `reason` says why. */
      status: 'failed';
      customerId: string;
      reason: string;
      error: unknown;
    };

/** One request of a batch checked: the request to start, or why it cannot be started. */
export type CheckedRegistration =
  | { ok: true; request: AnyRegistrationRequest; warnings: CampaignFinding[] }
  | { ok: false; customerId?: string; issues: FieldIssue[] };

export interface AcceptedCorrection {
  accepted: true;
  /** The phase the registration was in when it accepted the correction. */
  phase: string;
  /** Pre-vetting warnings of the corrected campaign fields, accepted with `acceptWarnings`. */
  campaignWarnings: CampaignFinding[];
  /** The fee the correction leads to, accepted with `acceptFee`. */
  fee?: CorrectionFee;
}

export interface RegistrationSummary {
  workflowId: string;
  kind: 'sole-proprietor' | 'external-campaign';
  /** The ISV's customer id (sole proprietor registrations). */
  customerId?: string;
  /** TCR campaign id (external campaigns). */
  campaignId?: string;
  /** The workflow execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ... */
  status: string;
  phase?: string;
  brandStatus?: string;
  campaignStatus?: string;
  startTime: Date;
  closeTime?: Date;
}

export interface ListFilter {
  phase?: string;
  brandStatus?: string;
  campaignStatus?: string;
  /** Only these customers' registrations (a bulk import watches its own rows). */
  customerIds?: readonly string[];
}

export type DeregistrationTarget = string | { customerId: string } | { campaignId: string };

/** What the client needs from the configuration: the workflows' timings, the key ring, the usage key. */
export type ClientConfig = Pick<Config, 'timings' | 'keyRing' | 'brandUsageKey'> &
  Partial<Pick<Config, 'maxConcurrentStarts' | 'startsPerSecond'>>;

/**
 * At most `size` calls of `run` in progress, each starting at least `intervalMs` after the one
 * before it; the others wait, in the order they came. A client's starts go through it, so a
 * burst of sign-ups or an import leaves the machine to the registrations already admitted
 * (docs/operations.md, "Starts").
 */
class StartSlots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];
  private nextAt = 0;

  constructor(
    private readonly size: number,
    private readonly intervalMs: number,
  ) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.inUse >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse += 1;
    try {
      const wait = this.nextAt - Date.now();
      if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
      this.nextAt = Date.now() + this.intervalMs;
      return await call();
    } finally {
      // A waiting call takes the slot over as it is; otherwise it is free again.
      const next = this.waiting.shift();
      if (next) next();
      else this.inUse -= 1;
    }
  }
}

/** Search-attribute values are status words; anything else would change the visibility query. */
const KEYWORD = /^[A-Za-z0-9_.-]{1,64}$/;

const REGISTRATION_WORKFLOW_TYPES = [
  'soleProprietorRegistration',
  'standardRegistration',
  'externalCampaignRegistration',
] as const;

/** Outcomes after which a registration may be started again under the same id. */
const RESTARTABLE_OUTCOMES: ReadonlySet<string> = new Set(['otp-expired', 'brand-authentication-expired']);

/**
 * The visibility query behind `listRegistrations`: registrations of either kind, narrowed by the
 * typed search attributes. Filter values must be plain status words.
 */
export function buildListQuery(filter: ListFilter = {}): string {
  const clauses = [`WorkflowType IN (${REGISTRATION_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ')})`];
  const issues: FieldIssue[] = [];
  for (const [name, key, value] of [
    ['phase', A2P_PHASE.name, filter.phase],
    ['brandStatus', A2P_BRAND_STATUS.name, filter.brandStatus],
    ['campaignStatus', A2P_CAMPAIGN_STATUS.name, filter.campaignStatus],
  ] as const) {
    if (value === undefined) continue;
    if (!KEYWORD.test(value)) issues.push({ path: name, message: 'must be a plain status word' });
    else clauses.push(`${key} = '${value}'`);
  }
  if (filter.customerIds) {
    const bad = filter.customerIds.find((id) => !CUSTOMER_ID_PATTERN.test(id));
    if (bad !== undefined) issues.push({ path: 'customerIds', message: `"${bad}" is not a customer id` });
    else if (filter.customerIds.length === 0)
      issues.push({ path: 'customerIds', message: 'must not be empty' });
    else
      clauses.push(
        `WorkflowId IN (${filter.customerIds.map((id) => `'${registrationWorkflowId(id)}'`).join(', ')})`,
      );
  }
  if (issues.length) throw new ValidationError(issues);
  return clauses.join(' AND ');
}

/**
 * The library API the ISV's backend calls. Every input is validated before anything is started,
 * and starting is idempotent on the customer id: a second start returns the running registration.
 */
export class RegistrarClient {
  /**
   * Starts in progress: at most `maxConcurrentStarts` (default 1), at most `startsPerSecond`
   * (default unpaced); the others wait their turn.
   */
  private readonly starts: StartSlots;

  constructor(
    readonly temporal: Client,
    private readonly config: Omit<ClientConfig, 'keyRing'>,
    private readonly ownsConnection = false,
  ) {
    this.starts = new StartSlots(
      config.maxConcurrentStarts ?? DEFAULT_MAX_CONCURRENT_STARTS,
      config.startsPerSecond ? 1000 / config.startsPerSecond : 0,
    );
  }

  /**
   * Starts the Sole Proprietor registration of one customer (workflow `a2p-registration-<id>`).
   * - Running already: returns it with `alreadyStarted: true`.
   * - Failed, cancelled, terminated or timed out before: starts a new run; the activities find
   *   what the earlier run created at Twilio instead of paying for it again.
   * - Ended as otp-expired (or, for a public company, brand-authentication-expired): starts a new
   *   run (the brand was never verified; nothing is paid twice).
   * - Completed and deregistered since: starts a new run, which finds the brand and bundles the
   *   first one made (they outlive a deregistration) instead of paying for them again.
   * - Completed: throws RegistrationExistsError.
   *
   * The request is validated first (ValidationError names each bad field, blocking campaign
   * pre-vetting findings included); a campaign with pre-vetting warnings is refused with
   * CampaignWarningsError unless `acceptWarnings` is set; a mobile number, email or address this
   * ISV's registrations have used up at TCR is refused with BrandUsageError. Either way nothing is
   * started.
   */
  async startRegistration(
    input: unknown,
    options: CampaignWarningOptions = {},
  ): Promise<StartedSoleProprietorRegistration> {
    if (isStandardRequest(input)) return this.startStandardRegistration(input, options);
    const parsed = parseAnyRegistrationRequest(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    // Not a Standard request (checked above): a Sole Proprietor one, its brandType dropped.
    const request = parsed.value as RegistrationRequest;
    const { warnings } = reviewRegistrationCampaign(request);
    if (warnings.length > 0 && !options.acceptWarnings) throw new CampaignWarningsError(warnings);
    const workflowId = registrationWorkflowId(request.customerId);
    const started = await this.starts.run(async () => {
      await this.claimBrandUsage(workflowId, requestBrandUsageKeys(this.config.brandUsageKey, request));
      return this.startOnce(workflowId, (workflowIdReusePolicy, followsEarlierRun) =>
        this.temporal.workflow.start<typeof soleProprietorRegistration>('soleProprietorRegistration', {
          taskQueue: REGISTRATION_TASK_QUEUE,
          workflowId,
          // A run over a closed one looks for what that run created before each create; a first
          // run creates without listing.
          args: [
            { request, timings: this.config.timings, ...(followsEarlierRun ? { followsEarlierRun } : {}) },
          ],
          workflowIdReusePolicy,
          typedSearchAttributes: [{ key: A2P_PHASE, value: 'customer-profile' }],
          staticSummary: `A2P 10DLC Sole Proprietor registration of customer ${request.customerId}`,
          staticDetails: registrationStaticDetails(request.customerId),
        }),
      );
    });
    return { ...started, campaignWarnings: warnings };
  }

  /**
   * Starts the Standard or Low-Volume Standard registration of one customer (a request with
   * `brandType`), under the same workflow id and the same rules of idempotency as
   * `startRegistration`, which calls this for such a request. Each campaign is pre-vetted: a
   * blocking finding is a ValidationError at its field, warnings need `acceptWarnings`.
   */
  async startStandardRegistration(
    input: unknown,
    options: CampaignWarningOptions = {},
  ): Promise<StartedSoleProprietorRegistration> {
    const parsed = parseStandardRegistrationRequest(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    const request = parsed.value;
    const warnings = standardCampaignWarnings(request);
    if (warnings.length > 0 && !options.acceptWarnings) throw new CampaignWarningsError(warnings, '');
    const workflowId = registrationWorkflowId(request.customerId);
    const kind = request.brandType === 'STANDARD' ? 'Standard' : 'Low-Volume Standard';
    const started = await this.starts.run(() =>
      this.startOnce(workflowId, (workflowIdReusePolicy, followsEarlierRun) =>
        this.temporal.workflow.start<typeof standardRegistration>('standardRegistration', {
          taskQueue: REGISTRATION_TASK_QUEUE,
          workflowId,
          args: [
            { request, timings: this.config.timings, ...(followsEarlierRun ? { followsEarlierRun } : {}) },
          ],
          workflowIdReusePolicy,
          typedSearchAttributes: [
            { key: A2P_PHASE, value: request.subaccount ? 'subaccount' : 'customer-profile' },
          ],
          staticSummary: `A2P 10DLC ${kind} registration of customer ${request.customerId}`,
          staticDetails: registrationStaticDetails(request.customerId, request.brandType),
        }),
      ),
    );
    return { ...started, campaignWarnings: warnings };
  }

  /**
   * Starts the registrations of many customers (an ISV onboarding its customer base). Every
   * request is checked first, as `startRegistration` checks one (fields, campaign pre-vetting,
   * warnings unless `acceptWarnings`), and a customer id given twice is refused the second time
   * (whether or not the first was valid);
   * then the valid ones are started, `concurrency` at a time, each through `startRegistration`, so
   * a registration already running or completed is reported `already-started` and not started
   * again. Nothing throws for one request: each gets its result, in the order given.
   *
   * No Twilio pacing here: Twilio limits brand and campaign creation account-wide (1 request/s),
   * and the workers already run those calls on their own task queues at a pace the Temporal
   * server enforces across all workers (src/worker.ts, A2P_BRAND_SUBMISSIONS_PER_SECOND and
   * A2P_CAMPAIGN_SUBMISSIONS_PER_SECOND). The starts themselves still go through the client's
   * start slots (A2P_MAX_CONCURRENT_STARTS, default 1, and A2P_STARTS_PER_SECOND), so at most
   * that many of the `concurrency` requests in progress are starting at any moment.
   */
  async startRegistrations(
    inputs: readonly unknown[],
    options: BulkStartOptions = {},
  ): Promise<BulkStartResult[]> {
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new ValidationError(
        [{ path: 'concurrency', message: 'must be a positive whole number' }],
        'option',
      );
    const checked = checkRegistrations(inputs, options);
    const results: BulkStartResult[] = [];
    const report = (result: BulkStartResult) => {
      results[result.index] = result;
      options.onResult?.(result);
    };
    const queue: { index: number; request: AnyRegistrationRequest }[] = [];
    checked.forEach((c, index) => {
      if (c.ok) queue.push({ index, request: c.request });
      else report({ index, status: 'invalid', customerId: c.customerId, issues: c.issues });
    });
    const startOne = async (index: number, request: AnyRegistrationRequest): Promise<BulkStartResult> => {
      const { customerId } = request;
      try {
        const started = await this.startRegistration(request, { acceptWarnings: options.acceptWarnings });
        const { workflowId, runId } = started;
        return started.alreadyStarted
          ? { index, status: 'already-started', customerId, workflowId, runId, completed: false }
          : {
              index,
              status: 'started',
              customerId,
              workflowId,
              runId,
              campaignWarnings: started.campaignWarnings,
            };
      } catch (err) {
        if (err instanceof RegistrationExistsError)
          return {
            index,
            status: 'already-started',
            customerId,
            workflowId: err.workflowId,
            runId: err.runId,
            completed: true,
          };
        // A Temporal call's own message ("Failed to start workflow") says why only with its cause.
        const reason =
          err instanceof Error
            ? err.message + (err.cause instanceof Error ? `: ${err.cause.message}` : '')
            : String(err);
        return { index, status: 'failed', customerId, reason, error: err };
      }
    };
    let next = 0;
    const lane = async () => {
      while (next < queue.length) {
        const { index, request } = queue[next++];
        report(await startOne(index, request));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
    return results;
  }

  /**
   * Starts a workflow, or returns the one already running under the same id. The default reuse
   * policy lets a new run follow a failed/cancelled/terminated one only; a completed run is
   * started again only when its outcome says the registration did not happen. `start` learns
   * whether an earlier run of the id exists (the reuse policy lets a new run follow a failed one
   * without an error, so this asks first).
   */
  private async startOnce(
    workflowId: string,
    start: (
      policy: 'ALLOW_DUPLICATE_FAILED_ONLY' | 'ALLOW_DUPLICATE',
      followsEarlierRun: boolean,
    ) => Promise<WorkflowHandleWithFirstExecutionRunId>,
  ): Promise<StartedRegistration> {
    let policy: 'ALLOW_DUPLICATE_FAILED_ONLY' | 'ALLOW_DUPLICATE' = 'ALLOW_DUPLICATE_FAILED_ONLY';
    let followsEarlierRun = await this.hasRun(workflowId);
    for (;;) {
      try {
        const handle = await start(policy, followsEarlierRun);
        return { workflowId, runId: handle.firstExecutionRunId, alreadyStarted: false };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      followsEarlierRun = true;
      const handle = this.temporal.workflow.getHandle(workflowId);
      const { runId, status } = await handle.describe();
      if (status.name === 'RUNNING') return { workflowId, runId, alreadyStarted: true };
      const outcome = await closedOutcome(handle);
      const restartable =
        (outcome !== undefined && RESTARTABLE_OUTCOMES.has(outcome)) || (await this.deregistered(workflowId));
      if (policy === 'ALLOW_DUPLICATE' || !restartable) throw new RegistrationExistsError(workflowId, runId);
      policy = 'ALLOW_DUPLICATE';
    }
  }

  /** Whether any run (open or closed) of the workflow id exists. */
  private async hasRun(workflowId: string): Promise<boolean> {
    try {
      await this.temporal.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Claims each of the values a registration's brand will use in its own brand-usage workflow
   * (started on first use, by the same call), all at once, before anything reaches Twilio. Each
   * workflow handles claims one at a time, so of two registrations racing for a number's last use
   * exactly one gets it. When one value is used up, the claims this call added are taken back (the
   * registration never starts, so it used none of them) and BrandUsageError names the conflicts.
   */
  private async claimBrandUsage(registrationId: string, keys: BrandUsageKeys): Promise<void> {
    const kinds = (['mobile', 'email', 'address'] as const).filter((kind) => keys[kind]);
    const claims = await Promise.allSettled(
      kinds.map(async (kind) => {
        const workflowId = brandUsageWorkflowId(kind, keys[kind] as string);
        // One call whether the value's workflow runs already or not: the server starts it if
        // needed, and the claim arrives with its first workflow task rather than in one of its own.
        const claimed = await this.temporal.workflow.executeUpdateWithStart(claimBrandUsageUpdate, {
          args: [{ registrationId }],
          startWorkflowOperation: new WithStartWorkflowOperation<typeof brandUsage>('brandUsage', {
            taskQueue: BRAND_USAGE_TASK_QUEUE,
            workflowId,
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [{ state: { kind, registrations: [] } }],
            staticSummary: `TCR brand usage of one ${kind === 'mobile' ? 'mobile number' : kind} (keyed hash)`,
          }),
        });
        const handle = this.temporal.workflow.getHandle<typeof brandUsage>(workflowId);
        return { handle, added: claimed.added };
      }),
    );
    const refused = claims.filter((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (refused.length === 0) return;
    await Promise.all(
      claims.map(async (c) => {
        if (c.status === 'fulfilled' && c.value.added)
          await c.value.handle.executeUpdate(releaseBrandUsageUpdate, { args: [{ registrationId }] });
      }),
    );
    const conflicts: BrandUsageConflict[] = [];
    for (const { reason } of refused) {
      const cause = reason instanceof WorkflowUpdateFailedError ? reason.cause : undefined;
      if (!(cause instanceof ApplicationFailure && cause.type === BRAND_USAGE_EXCEEDED)) throw reason;
      conflicts.push(...(cause.details as BrandUsageConflict[]));
    }
    throw new BrandUsageError(conflicts);
  }

  /** Whether the deregistration of this registration has run to the end. */
  private async deregistered(workflowId: string): Promise<boolean> {
    try {
      const { status } = await this.temporal.workflow
        .getHandle(deregistrationWorkflowId(workflowId))
        .describe();
      return status.name === 'COMPLETED';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** The registration's progress (the workflow's `progress` query). */
  async getProgress(customerId: string): Promise<RegistrationProgress> {
    return this.registration(customerId).query(progressQuery);
  }

  /** Asks the workflow to have Twilio send the customer a fresh OTP now. */
  async resendOtp(customerId: string): Promise<void> {
    await this.whileOpen(customerId, (h) => h.signal(resendOtpSignal));
  }

  /**
   * What a registration waiting in needs-correction asks for: the step, Twilio's reason, the fee a
   * correction leads to, and the JSON shape of a correction for that step.
   */
  async correctionTemplate(customerId: string): Promise<CorrectionRequest> {
    const progress = await this.getProgress(customerId);
    const step = (Object.keys(progress.steps) as StepName[]).find(
      (name) => progress.steps[name].status === 'needs-correction',
    );
    if (progress.phase !== 'needs-correction' || !step)
      throw new NoCorrectionAwaitedError(customerId, progress.phase);
    return {
      customerId,
      step,
      why: progress.waitingFor?.why ?? progress.guidance ?? 'Twilio refused the data',
      fee: correctionFee(progress),
      template: progress.standard
        ? standardCorrectionTemplateFor(step, progress)
        : correctionTemplateFor(step),
    };
  }

  /**
   * Sends corrected data to a registration waiting in phase needs-correction. The correction's own
   * fields are validated and pre-vetted first (blocking findings: ValidationError; warnings:
   * CampaignWarningsError unless `acceptWarnings`); the registration then checks the campaign the
   * correction leaves, merged with its request, and refuses it if that is blocked.
   */
  async submitCorrection(
    customerId: string,
    input: unknown,
    options: CorrectionOptions = {},
  ): Promise<AcceptedCorrection> {
    const current = await this.getProgress(customerId);
    if (current.standard) {
      // A Standard registration's correction is checked merged with its request by the workflow.
      const standard = parseStandardCorrection(input);
      if (!standard.ok) throw new ValidationError(standard.issues, 'correction');
      const standardFee = current.phase === 'needs-correction' ? correctionFee(current) : undefined;
      if (standardFee && !options.acceptFee) throw new CorrectionFeeError(standardFee);
      const result = await this.whileOpen(customerId, (h) =>
        h.executeUpdate(submitCorrectionUpdate, { args: [standard.value] }),
      );
      return { ...result, campaignWarnings: [], ...(standardFee ? { fee: standardFee } : {}) };
    }
    const parsed = parseRegistrationCorrection(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues, 'correction');
    const correction: RegistrationCorrection = parsed.value;
    const review = reviewCorrectionCampaign(correction);
    if (review.blocking.length > 0)
      throw new ValidationError(findingsAsIssues(review.blocking), 'correction');
    if (review.warnings.length > 0 && !options.acceptWarnings)
      throw new CampaignWarningsError(review.warnings);
    const progress = await this.getProgress(customerId);
    const fee = progress.phase === 'needs-correction' ? correctionFee(progress) : undefined;
    if (fee && !options.acceptFee) throw new CorrectionFeeError(fee);
    await this.claimBrandUsage(
      registrationWorkflowId(customerId),
      correctionBrandUsageKeys(this.config.brandUsageKey, correction),
    );
    const result = await this.whileOpen(customerId, (h) =>
      h.executeUpdate(submitCorrectionUpdate, { args: [correction] }),
    );
    return { ...result, campaignWarnings: review.warnings, ...(fee ? { fee } : {}) };
  }

  /** Cancels a running registration; it removes what it can and records what remains. */
  async cancelRegistration(customerId: string): Promise<void> {
    await this.whileOpen(customerId, async (h) => {
      // The server takes a cancellation request for a closed run without complaint.
      const { status, typedSearchAttributes } = await h.describe();
      if (status.name !== 'RUNNING')
        throw new RegistrationClosedError(h.workflowId, status.name, typedSearchAttributes.get(A2P_PHASE));
      await h.cancel();
    });
  }

  /** Connects a TCR-registered campaign to a Messaging Service (workflow `a2p-external-campaign-<id>`). */
  async startExternalCampaign(input: unknown): Promise<StartedRegistration> {
    const parsed = parseExternalCampaignRequest(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    const request: ExternalCampaignRequest = parsed.value;
    const workflowId = externalCampaignWorkflowId(request.campaignId);
    return this.startOnce(workflowId, (workflowIdReusePolicy) =>
      this.temporal.workflow.start<typeof externalCampaignRegistration>('externalCampaignRegistration', {
        taskQueue: REGISTRATION_TASK_QUEUE,
        workflowId,
        args: [{ request, timings: this.config.timings }],
        workflowIdReusePolicy,
        typedSearchAttributes: [{ key: A2P_PHASE, value: 'messaging-service' }],
        staticSummary: `External TCR campaign ${request.campaignId}`,
      }),
    );
  }

  async getExternalCampaignProgress(campaignId: string): Promise<ExternalCampaignProgress> {
    return this.temporal.workflow
      .getHandle(externalCampaignWorkflowId(campaignId))
      .query(externalCampaignProgressQuery);
  }

  /**
   * Undoes a registration (a customer id, or `{ campaignId }` for an external campaign): cancels
   * it if it is still running, then runs the deregistration workflow with what it recorded, and
   * returns what was removed and what only Twilio support or TCR can remove.
   */
  async deregister(
    target: DeregistrationTarget,
    options: { deleteMessagingService?: boolean } = {},
  ): Promise<DeregistrationProgress> {
    const external = typeof target === 'object' && 'campaignId' in target;
    const workflowId = external
      ? externalCampaignWorkflowId(target.campaignId)
      : registrationWorkflowId(typeof target === 'string' ? target : target.customerId);
    const handle = this.temporal.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') {
      await handle.cancel();
      // The cancelled run removes what it can before it ends; its result is the cancellation.
      await handle.result().catch(() => undefined);
    }
    let messagingServiceSid: string | undefined;
    let phoneNumberSids: string[];
    let remainsAtTwilio: string[];
    /** What the registration removed itself when it was cancelled. */
    let removedOnCancel: string[] = [];
    if (external) {
      const p = await handle.query(externalCampaignProgressQuery);
      messagingServiceSid = p.messagingServiceSid;
      phoneNumberSids = p.phoneNumberSids;
      remainsAtTwilio = [`TCR campaign ${p.campaignId} (delete it in the TCR portal or API)`];
    } else {
      const p = await handle.query(progressQuery);
      messagingServiceSid =
        p.steps.messagingService.status === 'removed' ? undefined : p.steps.messagingService.sid;
      phoneNumberSids =
        p.steps.phoneNumber.status === 'done' && p.steps.phoneNumber.sid ? [p.steps.phoneNumber.sid] : [];
      remainsAtTwilio = (['brand', 'trustBundle', 'customerProfile'] as const)
        .filter((s) => p.steps[s].sid)
        .map((s) => `${s} ${p.steps[s].sid} (only Twilio support can remove it)`);
      removedOnCancel = (['phoneNumber', 'campaign', 'messagingService'] as const)
        .filter((s) => p.steps[s].status === 'removed')
        .map((s) =>
          [s, p.steps[s].sid, '(removed when the registration was cancelled)'].filter(Boolean).join(' '),
        );
    }
    const result = await this.temporal.workflow.execute<typeof deregistration>('deregistration', {
      taskQueue: REGISTRATION_TASK_QUEUE,
      workflowId: deregistrationWorkflowId(workflowId),
      args: [
        {
          registrationWorkflowId: workflowId,
          messagingServiceSid,
          phoneNumberSids,
          deleteMessagingService: options.deleteMessagingService ?? false,
          remainsAtTwilio,
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `Deregister ${workflowId}`,
    });
    return { ...result, removed: [...removedOnCancel, ...result.removed] };
  }

  /** Registrations by phase and statuses, newest first, from the typed search attributes (no PII). */
  async listRegistrations(filter: ListFilter = {}, limit = 100): Promise<RegistrationSummary[]> {
    const query = buildListQuery(filter);
    const rows: RegistrationSummary[] = [];
    if (limit <= 0) return rows;
    for await (const wf of this.temporal.workflow.list({ query })) {
      const external = wf.workflowId.startsWith(EXTERNAL_CAMPAIGN_ID_PREFIX);
      rows.push({
        workflowId: wf.workflowId,
        kind: external ? 'external-campaign' : 'sole-proprietor',
        customerId: customerIdFromWorkflowId(wf.workflowId),
        campaignId: external ? wf.workflowId.slice(EXTERNAL_CAMPAIGN_ID_PREFIX.length) : undefined,
        status: wf.status.name,
        phase: wf.typedSearchAttributes.get(A2P_PHASE),
        brandStatus: wf.typedSearchAttributes.get(A2P_BRAND_STATUS),
        campaignStatus: wf.typedSearchAttributes.get(A2P_CAMPAIGN_STATUS),
        startTime: wf.startTime,
        closeTime: wf.closeTime,
      });
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /**
   * Running registrations that wait on a person (a correction, the customer's OTP reply), or on
   * Twilio's review for longer than `reviewOlderThanMs` (default 3 days); with `olderThanMs`, only
   * waits that began longer ago than that. Oldest wait first, each with why and what un-sticks it.
   */
  async listStuck(
    options: { olderThanMs?: number; reviewOlderThanMs?: number; now?: Date } = {},
    limit = 100,
  ): Promise<StuckRegistration[]> {
    const now = (options.now ?? new Date()).getTime();
    const olderThan = options.olderThanMs ?? 0;
    const reviewOlderThan = Math.max(olderThan, options.reviewOlderThanMs ?? 3 * 86_400_000);
    const phases = [...PERSON_WAIT_PHASES, ...REVIEW_PHASES].map((p) => `'${p}'`).join(', ');
    const query =
      `WorkflowType IN ('soleProprietorRegistration', 'standardRegistration') AND ExecutionStatus = 'Running' AND ` +
      `${A2P_PHASE.name} IN (${phases})`;
    const rows: StuckRegistration[] = [];
    for await (const wf of this.temporal.workflow.list({ query })) {
      const customerId = customerIdFromWorkflowId(wf.workflowId);
      if (!customerId) continue;
      const progress = await this.getProgress(customerId).catch(() => undefined);
      const w = progress?.waitingFor;
      if (!progress || !w) continue;
      const age = now - Date.parse(w.since);
      const review = REVIEW_PHASES.includes(progress.phase);
      if (review ? !w.what.endsWith('review') || age < reviewOlderThan : age < olderThan) continue;
      rows.push({
        customerId,
        phase: progress.phase,
        waitingFor: w.what,
        since: w.since,
        why: w.why,
        next: w.next,
      });
    }
    return rows.sort((a, b) => Date.parse(a.since) - Date.parse(b.since)).slice(0, limit);
  }

  /** Closes the Temporal connection if this client opened it (not one passed in). */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.temporal.connection.close();
  }

  private registration(customerId: string): WorkflowHandle<typeof soleProprietorRegistration> {
    return this.temporal.workflow.getHandle(registrationWorkflowId(customerId));
  }

  /**
   * Runs a call that needs a running registration. The server answers "not found" both for an id
   * it never saw and for a run that has ended; the latter becomes RegistrationClosedError.
   */
  private async whileOpen<T>(
    customerId: string,
    call: (handle: WorkflowHandle<typeof soleProprietorRegistration>) => Promise<T>,
  ): Promise<T> {
    const handle = this.registration(customerId);
    try {
      return await call(handle);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const described = await handle.describe().catch(() => undefined);
      if (!described || described.status.name === 'RUNNING') throw err;
      const phase = described.typedSearchAttributes.get(A2P_PHASE);
      throw new RegistrationClosedError(handle.workflowId, described.status.name, phase);
    }
  }
}

/**
 * Checks a batch of registration requests as `startRegistration` checks one, before anything is
 * started: each request's fields and campaign pre-vetting (blocking findings, and warnings unless
 * `acceptWarnings`), and that no customer id comes twice (the second would be the first's
 * registration, with other data). `describe` names the earlier request in that message.
 */
export function checkRegistrations(
  inputs: readonly unknown[],
  options: CampaignWarningOptions & { describe?: (index: number) => string } = {},
): CheckedRegistration[] {
  const describe = options.describe ?? ((i: number) => `request ${i + 1}`);
  const firstIndex = new Map<string, number>();
  return inputs.map((input, index): CheckedRegistration => {
    const given =
      isRecord(input) && typeof input.customerId === 'string' && input.customerId.trim() !== ''
        ? input.customerId.trim()
        : undefined;
    const first = given === undefined ? undefined : firstIndex.get(given);
    if (given !== undefined && first === undefined) firstIndex.set(given, index);
    const duplicate: FieldIssue[] =
      first === undefined
        ? []
        : [
            {
              path: 'customerId',
              message: `"${given}" is also ${describe(first)}: each customer registers once per batch`,
            },
          ];
    const parsed = parseAnyRegistrationRequest(input);
    if (!parsed.ok) return { ok: false, customerId: given, issues: [...duplicate, ...parsed.issues] };
    if (duplicate.length > 0) return { ok: false, customerId: given, issues: duplicate };
    const request = parsed.value;
    const warnings = isStandard(request)
      ? standardCampaignWarnings(request)
      : reviewRegistrationCampaign(request).warnings;
    if (warnings.length > 0 && !options.acceptWarnings)
      return {
        ok: false,
        customerId: request.customerId,
        issues: findingsAsIssues(warnings, isStandard(request) ? '' : 'campaign').map((i) => ({
          ...i,
          message: `pre-vetting warning (accept it with acceptWarnings, or --accept-warnings): ${i.message}`,
        })),
      };
    return { ok: true, request, warnings };
  });
}

/** The pre-vetting warnings of every campaign of a Standard request, each at its campaign's field. */
function standardCampaignWarnings(request: StandardRegistrationRequest): CampaignFinding[] {
  return request.campaigns.flatMap((_, i) =>
    reviewStandardCampaign(request, i).warnings.map((w) => ({ ...w, field: `campaigns.${i}.${w.field}` })),
  );
}

/**
 * The Web UI's static Details of a registration: who it is for (the ISV's id, never PII), what
 * kind of brand, what it pays Twilio and where to read its progress. The fees so far are in the
 * Current Details.
 */
export function registrationStaticDetails(
  customerId: string,
  brandType: 'SOLE_PROPRIETOR' | 'STANDARD' | 'LOW_VOLUME_STANDARD' = 'SOLE_PROPRIETOR',
): string {
  const brand = {
    SOLE_PROPRIETOR: 'Brand type: SOLE_PROPRIETOR (Sole Proprietor A2P 10DLC, one number on one campaign)',
    STANDARD:
      'Brand type: STANDARD (secondary vetting; up to five campaigns, each on its own Messaging Service)',
    LOW_VOLUME_STANDARD:
      'Brand type: STANDARD with skipAutomaticSecVet (Low-Volume Standard: no secondary vetting)',
  }[brandType];
  const vetting = brandType === 'STANDARD' ? `secondary vetting $${FEE_USD['secondary-vetting']} once; ` : '';
  return (
    [
      `Customer id: ${customerId}`,
      brand,
      `Fees it pays Twilio: brand registration about $${FEE_USD['brand-registration']} once; ${vetting}` +
        `campaign vetting $${FEE_USD['campaign-vetting']} per campaign submission; ` +
        `a brand resubmission about $${FEE_USD['brand-resubmission']} each (after a FAILED brand is corrected)`,
      `Fees so far, phase and what it waits for: Current Details, the progress query, or \`a2p status ${customerId}\``,
    ]
      .join('\n')
      // The Web UI renders details as Markdown, where two $ on a line start a formula.
      .replace(/\$/g, '\\$')
  );
}

const placeholder = (field: string) => `<corrected ${field}>`;
const shape = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, placeholder(f)]));
const SOLE_PROPRIETOR_FIELDS = Object.keys(SAMPLE_REGISTRATION_REQUEST.soleProprietor);
const ADDRESS_FIELDS = Object.keys(SAMPLE_REGISTRATION_REQUEST.address);

/** The correction fields a step's data comes from, as a shape to fill in. */
export function correctionTemplateFor(step: StepName): Record<string, unknown> {
  const { campaign } = SAMPLE_REGISTRATION_REQUEST;
  switch (step) {
    case 'customerProfile':
      return {
        soleProprietor: shape(['firstName', 'lastName', 'email', 'phoneNumber']),
        address: shape(ADDRESS_FIELDS),
      };
    case 'trustBundle':
      return { soleProprietor: shape(['brandName', 'mobilePhoneNumber', 'vertical', 'email']) };
    case 'brand':
      return { soleProprietor: shape(SOLE_PROPRIETOR_FIELDS), address: shape(ADDRESS_FIELDS) };
    case 'campaign':
      return {
        campaign: {
          ...shape(['description', 'messageFlow']),
          messageSamples: [placeholder('message sample 1'), placeholder('message sample 2')],
          hasEmbeddedLinks: campaign.hasEmbeddedLinks,
          hasEmbeddedPhone: campaign.hasEmbeddedPhone,
        },
      };
    case 'messagingService':
    case 'phoneNumber':
      return { messagingServiceSid: placeholder('Messaging Service SID (MG...)') };
  }
}

const STANDARD_CAMPAIGN_FIELDS = [
  'usecase',
  'description',
  'messageFlow',
  'privacyPolicyUrl',
  'termsAndConditionsUrl',
] as const;

/** A correction of campaign `index` (a key of `campaigns`): the fields named, or all of its own. */
function standardCampaignShape(fields: readonly string[] | undefined): Record<string, unknown> {
  if (fields) return shape(fields);
  const [campaign] = SAMPLE_STANDARD_REQUEST.campaigns;
  return {
    ...shape(STANDARD_CAMPAIGN_FIELDS),
    messageSamples: [placeholder('message sample 1'), placeholder('message sample 2')],
    hasEmbeddedLinks: campaign.hasEmbeddedLinks,
    hasEmbeddedPhone: campaign.hasEmbeddedPhone,
  };
}

/**
 * A Standard registration's correction for a step, as a shape to fill in: the profile's business,
 * representatives (the whole list is replaced) and address; the messaging profile; and for a
 * campaign step `campaigns: { "<index>": {...} }` for the campaigns that need it. Those are the
 * ones the step's latest issue names (`campaigns.1.usecase`: that field alone), else the FAILED
 * ones, else every campaign not yet done.
 */
export function standardCorrectionTemplateFor(
  step: StepName,
  progress: Pick<RegistrationProgress, 'issues' | 'standard'>,
): Record<string, unknown> {
  const { business, authorizedRepresentatives, address } = SAMPLE_STANDARD_REQUEST;
  const campaigns = progress.standard?.campaigns ?? [];
  const named = new Map<string, string[] | undefined>();
  const issue = progress.issues.filter((i) => i.step === step && !i.resolvedAt).at(-1);
  for (const field of issue?.fields ?? []) {
    const match = /^campaigns\.(\d+)(?:\.(\w+))?/.exec(field);
    if (!match) continue;
    const [, index, name] = match;
    const fields = named.has(index) ? named.get(index) : [];
    // A whole campaign named once stays whole.
    named.set(index, fields && name ? [...new Set([...fields, name])] : undefined);
  }
  const byIndex = (pick: (c: (typeof campaigns)[number]) => boolean, fields?: string[]) =>
    Object.fromEntries(
      campaigns.filter(pick).map((c) => [String(c.index), standardCampaignShape(fields)] as const),
    );
  const open = (c: (typeof campaigns)[number]) => !c.done;
  switch (step) {
    case 'customerProfile':
      return {
        business: shape(Object.keys(business)),
        authorizedRepresentatives: [shape(Object.keys(authorizedRepresentatives[0]))],
        address: shape(Object.keys(address)),
      };
    case 'trustBundle':
      return {
        messagingProfile: shape(['companyType', 'stockExchange', 'stockTicker', 'brandContactEmail']),
      };
    case 'brand':
      return {
        business: shape(Object.keys(business)),
        messagingProfile: shape(['companyType', 'stockExchange', 'stockTicker', 'brandContactEmail']),
      };
    case 'campaign': {
      if (named.size > 0)
        return {
          campaigns: Object.fromEntries(
            [...named].map(([index, fields]) => [index, standardCampaignShape(fields)]),
          ),
        };
      const failed = byIndex((c) => c.status === 'FAILED');
      return { campaigns: Object.keys(failed).length > 0 ? failed : byIndex(open) };
    }
    case 'messagingService':
      return {
        campaigns: byIndex((c) => open(c) && !c.messagingServiceSid, ['messagingServiceSid']),
      };
    case 'phoneNumber':
      return {
        campaigns: Object.fromEntries(
          campaigns
            .filter(open)
            .map((c) => [String(c.index), { phoneNumberSids: [placeholder('phone number SID (PN...)')] }]),
        ),
      };
  }
}

/**
 * A correction's new values for the brand-usage count: a mobile number or email it sets, and the
 * address when it names all of it (a partial address cannot be compared without the rest).
 */
function correctionBrandUsageKeys(key: Buffer, correction: RegistrationCorrection): BrandUsageKeys {
  const a = correction.address;
  const whole = a && a.street && a.city && a.region && a.postalCode && a.isoCountry;
  return brandUsageKeys(key, {
    mobile: correction.soleProprietor?.mobilePhoneNumber,
    email: correction.soleProprietor?.email,
    address: whole ? (a as Parameters<typeof brandUsageKeys>[1]['address']) : undefined,
  });
}

/** The `outcome` a closed registration returned, if it completed with one. */
async function closedOutcome(handle: WorkflowHandle): Promise<string | undefined> {
  try {
    const result: unknown = await handle.result();
    if (result && typeof result === 'object' && 'outcome' in result && typeof result.outcome === 'string')
      return result.outcome;
  } catch {
    // Failed or cancelled: the server's reuse policy already allowed those.
  }
  return undefined;
}

/**
 * The configuration a client needs, from the environment: the workflows' timings (A2P_SETTLE_DELAY,
 * A2P_POLL_INTERVAL, A2P_OTP_RESEND_INTERVAL, A2P_OTP_DEADLINE), the key ring
 * (A2P_ENCRYPTION_KEYS, or the key file under A2P_DATA_DIR) and the start slots
 * (A2P_MAX_CONCURRENT_STARTS, A2P_STARTS_PER_SECOND, by default twice the admission pace that
 * A2P_REGISTRATION_ADMISSIONS_PER_SECOND or A2P_BRAND_SUBMISSIONS_PER_SECOND set). Twilio
 * credentials and the primary profile are the worker's business: an operator running `a2p status` does not need them, so
 * they are not required here (and ignored if set).
 */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const { timings, keyRing, brandUsageKey, maxConcurrentStarts, startsPerSecond } = loadConfig({
    ...env,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'not-used-by-the-client',
    A2P_PRIMARY_PROFILE_SID: `BU${'0'.repeat(32)}`,
  });
  return { timings, keyRing, brandUsageKey, maxConcurrentStarts, startsPerSecond };
}

/**
 * A client for the ISV's backend. Without `client`, it connects to the Temporal the environment
 * names (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS; see temporal.ts) with the
 * project's encryption data converter, and `close()` closes that connection. A `client` passed in
 * must use the same data converter; it stays open on `close()`.
 */
export async function createRegistrarClient(
  options: { client?: Client; config?: ClientConfig; connectTimeoutMs?: number } = {},
): Promise<RegistrarClient> {
  const config = options.config ?? loadClientConfig();
  if (options.client) return new RegistrarClient(options.client, config);
  const client = await connectClient(createDataConverter(config.keyRing), {
    connectTimeoutMs: options.connectTimeoutMs,
  });
  return new RegistrarClient(client, config, true);
}

export { WorkflowNotFoundError };
export { TemporalUnreachableError } from './temporal';
export { correctionFee, type CorrectionFee } from './shared';

/** The campaign pre-vetting alone, for a signup form: a whole request or its campaign object. */
export { checkCampaign, type CampaignCheck, type CampaignFinding } from './domain';
