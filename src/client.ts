import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { type Config, loadConfig } from './config';
import {
  type ExternalCampaignRequest,
  formatIssues,
  type FieldIssue,
  parseExternalCampaignRequest,
  parseRegistrationCorrection,
  parseRegistrationRequest,
  type RegistrationCorrection,
} from './domain';
import { createDataConverter } from './encryption';
import {
  A2P_BRAND_STATUS,
  A2P_CAMPAIGN_STATUS,
  A2P_PHASE,
  deregistrationWorkflowId,
  type DeregistrationProgress,
  type ExternalCampaignProgress,
  externalCampaignProgressQuery,
  externalCampaignWorkflowId,
  progressQuery,
  REGISTRATION_TASK_QUEUE,
  type RegistrationProgress,
  registrationWorkflowId,
  resendOtpSignal,
  submitCorrectionUpdate,
} from './shared';
import { connectClient } from './temporal';
import type { deregistration, externalCampaignRegistration, soleProprietorRegistration } from './workflows';

/** The request failed validation; nothing was started and nothing reached Twilio. */
export class ValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid request:\n${formatIssues(issues)}`);
    this.name = 'ValidationError';
  }
}

export interface StartedRegistration {
  workflowId: string;
  runId: string;
  /** True when a registration for this customer was already running and was returned as is. */
  alreadyStarted: boolean;
}

export interface RegistrationSummary {
  workflowId: string;
  customerId?: string;
  status: string;
  phase?: string;
  brandStatus?: string;
  campaignStatus?: string;
  startTime: Date;
}

export interface ListFilter {
  phase?: string;
  brandStatus?: string;
  campaignStatus?: string;
}

const KEYWORD = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The library API the ISV's backend calls. Every input is validated before anything is started,
 * and starting is idempotent on the customer id: a second start returns the running registration.
 */
export class RegistrarClient {
  constructor(
    readonly temporal: Client,
    private readonly config: Pick<Config, 'timings'>,
  ) {}

  async startRegistration(input: unknown): Promise<StartedRegistration> {
    const parsed = parseRegistrationRequest(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    const request = parsed.value;
    const workflowId = registrationWorkflowId(request.customerId);
    return this.startOnce(workflowId, () =>
      this.temporal.workflow.start<typeof soleProprietorRegistration>('soleProprietorRegistration', {
        taskQueue: REGISTRATION_TASK_QUEUE,
        workflowId,
        args: [{ request, timings: this.config.timings }],
        // A finished registration that failed or was cancelled may be started again; a completed
        // one may not (its brand exists and was paid for).
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        typedSearchAttributes: [{ key: A2P_PHASE, value: 'customer-profile' }],
        staticSummary: `A2P 10DLC Sole Proprietor registration of customer ${request.customerId}`,
      }),
    );
  }

  /** Starts a workflow, or returns the one already running under the same id. */
  private async startOnce(
    workflowId: string,
    start: () => Promise<WorkflowHandleWithFirstExecutionRunId>,
  ): Promise<StartedRegistration> {
    try {
      const handle = await start();
      return { workflowId, runId: handle.firstExecutionRunId, alreadyStarted: false };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { runId } = await this.temporal.workflow.getHandle(workflowId).describe();
      return { workflowId, runId, alreadyStarted: true };
    }
  }

  async getProgress(customerId: string): Promise<RegistrationProgress> {
    return this.registration(customerId).query(progressQuery);
  }

  async resendOtp(customerId: string): Promise<void> {
    await this.registration(customerId).signal(resendOtpSignal);
  }

  /** Sends corrected data to a registration waiting in phase needs-correction. */
  async submitCorrection(customerId: string, input: unknown): Promise<{ accepted: true; phase: string }> {
    const parsed = parseRegistrationCorrection(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    const correction: RegistrationCorrection = parsed.value;
    return this.registration(customerId).executeUpdate(submitCorrectionUpdate, { args: [correction] });
  }

  /** Cancels a running registration; it removes what it can and records what remains. */
  async cancelRegistration(customerId: string): Promise<void> {
    await this.registration(customerId).cancel();
  }

  async startExternalCampaign(input: unknown): Promise<StartedRegistration> {
    const parsed = parseExternalCampaignRequest(input);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    const request: ExternalCampaignRequest = parsed.value;
    const workflowId = externalCampaignWorkflowId(request.campaignId);
    return this.startOnce(workflowId, () =>
      this.temporal.workflow.start<typeof externalCampaignRegistration>('externalCampaignRegistration', {
        taskQueue: REGISTRATION_TASK_QUEUE,
        workflowId,
        args: [{ request, timings: this.config.timings }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
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
   * Undoes a registration (a customer id, or an external campaign's TCR id): cancels it if it is
   * still running, then runs the deregistration workflow with what the registration recorded.
   */
  async deregister(
    target: { customerId: string } | { campaignId: string },
    options: { deleteMessagingService?: boolean } = {},
  ): Promise<DeregistrationProgress> {
    const external = 'campaignId' in target;
    const workflowId = external
      ? externalCampaignWorkflowId(target.campaignId)
      : registrationWorkflowId(target.customerId);
    const handle = this.temporal.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') {
      await handle.cancel();
      await handle.result().catch(() => undefined);
    }
    let messagingServiceSid: string | undefined;
    let phoneNumberSids: string[];
    let remainsAtTwilio: string[];
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
    }
    return this.temporal.workflow.execute<typeof deregistration>('deregistration', {
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
  }

  /** Registrations by phase and statuses, from the typed search attributes (no PII in them). */
  async listRegistrations(filter: ListFilter = {}, limit = 100): Promise<RegistrationSummary[]> {
    const clauses = [`WorkflowType IN ('soleProprietorRegistration', 'externalCampaignRegistration')`];
    for (const [key, value] of [
      [A2P_PHASE.name, filter.phase],
      [A2P_BRAND_STATUS.name, filter.brandStatus],
      [A2P_CAMPAIGN_STATUS.name, filter.campaignStatus],
    ] as const) {
      if (value === undefined) continue;
      if (!KEYWORD.test(value))
        throw new ValidationError([{ path: key, message: 'must be a plain status word' }]);
      clauses.push(`${key} = '${value}'`);
    }
    const rows: RegistrationSummary[] = [];
    for await (const wf of this.temporal.workflow.list({ query: clauses.join(' AND ') })) {
      rows.push({
        workflowId: wf.workflowId,
        customerId: wf.workflowId.startsWith('a2p-registration-')
          ? wf.workflowId.slice('a2p-registration-'.length)
          : undefined,
        status: wf.status.name,
        phase: wf.typedSearchAttributes.get(A2P_PHASE),
        brandStatus: wf.typedSearchAttributes.get(A2P_BRAND_STATUS),
        campaignStatus: wf.typedSearchAttributes.get(A2P_CAMPAIGN_STATUS),
        startTime: wf.startTime,
      });
      if (rows.length >= limit) break;
    }
    return rows;
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
  }

  private registration(customerId: string): WorkflowHandle<typeof soleProprietorRegistration> {
    return this.temporal.workflow.getHandle(registrationWorkflowId(customerId));
  }
}

/** Connects with the environment's configuration and the project's encryption data converter. */
export async function createRegistrarClient(
  options: { client?: Client; config?: Config } = {},
): Promise<RegistrarClient> {
  const config = options.config ?? loadConfig();
  const client = options.client ?? (await connectClient(createDataConverter(config.keyRing)));
  return new RegistrarClient(client, config);
}

export { WorkflowNotFoundError };
