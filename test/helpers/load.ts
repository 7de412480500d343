import { setMaxListeners } from 'node:events';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';
import { progressQuery, registrationWorkflowId, type RegistrationProgress } from '../../src/shared';
import type { E2EStack } from './e2e-stack';

const { EventType, TimeoutType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

/**
 * Event Streams retries a failed delivery "with exponential backoff plus jitter for up to 4 hours"
 * (reference/twilio-events/README.md), and so does the sandbox; its Trust Hub status callbacks
 * give up after four attempts within 1.5 s. A webhook server that answers a burst with 503 (its
 * queue full) relies on the sender's retries, so a load run has the sandbox retry those for about
 * four minutes too: 0.5 s, then doubling, ten attempts.
 */
export const TWILIO_LIKE_DELIVERY = { maxAttempts: 10, retryDelayMs: 500 } as const;

/**
 * One registration per phone number SID, each a different customer as TCR counts them: its own
 * customer id, mobile number, email and street address (a mobile number verifies at most three
 * brands, an email or address at most ten). `runId` keeps customer ids apart between runs.
 */
export function distinctRegistrations(
  runId: string,
  phoneNumberSids: readonly string[],
): RegistrationRequest[] {
  return phoneNumberSids.map((phoneNumberSid, i) => {
    const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    r.customerId = `${runId}-${i}`;
    r.phoneNumberSid = phoneNumberSid;
    // NANP: area code 415, exchange 6xx.
    r.soleProprietor.mobilePhoneNumber = `+1415${String(6_000_000 + i).padStart(7, '0')}`;
    r.soleProprietor.email = `owner${i}.${runId}@example.com`;
    r.address.street = `${i + 1} Jersey St`;
    return r;
  });
}

export interface RegistrationRun {
  customerId: string;
  /** Client clock, just before the start call (of the bulk call, for a run started in bulk). */
  startedAt: number;
  /** Client clock, when its result arrived. */
  endedAt?: number;
  /** The workflow's result, when it finished before the deadline. */
  result?: RegistrationProgress;
  /** Why the workflow failed (or could not start), when it did. */
  error?: string;
}

export interface LoadRun {
  startedAt: number;
  /** When the last registration ended, or the deadline if some had not. */
  endedAt: number;
  registrations: RegistrationRun[];
}

/**
 * How a run starts its registrations: `each` calls `startRegistration` for every request at once,
 * as that many customers signing up in the same instant would; `bulk` hands them all to
 * `startRegistrations`, the call `a2p import` makes when an ISV onboards its customer base, which
 * starts them `concurrency` at a time (default 8).
 */
export type StartMode = 'each' | 'bulk';

/**
 * Starts every registration (all at once, or through the bulk call) and waits until each has
 * ended or `timeoutMs` has passed. Never rejects because of a registration: what became of each
 * is in the returned runs. `onEnded` hears of each registration that ends, with how many have so
 * far.
 */
export async function runRegistrations(
  stack: E2EStack,
  requests: readonly RegistrationRequest[],
  timeoutMs: number,
  onEnded?: (ended: number) => void,
  start: StartMode = 'each',
): Promise<LoadRun> {
  const startedAt = Date.now();
  // At the deadline the result long-polls still open are cancelled, so nothing outlives the run.
  const deadline = new AbortController();
  // Every open long-poll listens for it (0: no limit, so no leak warning for hundreds of them).
  setMaxListeners(0, deadline.signal);
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  let ended = 0;
  const follow = async (run: RegistrationRun, started: Promise<{ workflowId: string }>) => {
    try {
      const { workflowId } = await started;
      const handle = stack.client.workflow.getHandle(workflowId);
      run.result = (await stack.client.connection.withAbortSignal(deadline.signal, () =>
        handle.result(),
      )) as RegistrationProgress;
    } catch (err) {
      if (deadline.signal.aborted) return run;
      run.error = err instanceof Error ? err.message : String(err);
    }
    run.endedAt = Date.now();
    onEnded?.(++ended);
    return run;
  };
  let registrations: RegistrationRun[];
  if (start === 'each') {
    registrations = await Promise.all(
      requests.map((request) => {
        const run: RegistrationRun = { customerId: request.customerId, startedAt: Date.now() };
        return follow(run, stack.registrar.startRegistration(request));
      }),
    );
  } else {
    // Each registration is followed from the moment its start is reported, while the rest start.
    const followed: Promise<RegistrationRun>[] = [];
    await stack.registrar.startRegistrations(requests, {
      onResult: (result) => {
        const run: RegistrationRun = { customerId: requests[result.index].customerId, startedAt };
        followed.push(
          follow(
            run,
            result.status === 'started' || result.status === 'already-started'
              ? Promise.resolve(result)
              : Promise.reject(
                  new Error(
                    result.status === 'failed'
                      ? result.reason
                      : `invalid: ${result.issues.map((i) => i.path).join(', ')}`,
                  ),
                ),
          ),
        );
      },
    });
    registrations = await Promise.all(followed);
  }
  clearTimeout(timer);
  const ends = registrations.map((r) => r.endedAt ?? Infinity);
  return { startedAt, endedAt: Math.min(Math.max(...ends), startedAt + timeoutMs), registrations };
}

/**
 * A line per registration that did not complete: its outcome if it ended otherwise, or where it
 * stands now (the `progress` query's phase and what it waits for) if it is still running.
 */
export async function describeUnfinished(
  stack: E2EStack,
  runs: readonly RegistrationRun[],
): Promise<string[]> {
  return Promise.all(
    runs
      .filter((r) => r.result?.outcome !== 'completed')
      .map(async (r) => {
        if (r.error) return `${r.customerId}: workflow failed: ${r.error}`;
        const p =
          r.result ??
          (await stack.client.workflow
            .getHandle(registrationWorkflowId(r.customerId))
            .query(progressQuery)
            .catch((err: unknown) => err as Error));
        if (p instanceof Error) return `${r.customerId}: still running; progress query failed: ${p.message}`;
        const where = [
          p.outcome ? `ended ${p.outcome}` : 'still running',
          `phase ${p.phase}`,
          p.waitingFor
            ? `waiting for ${p.waitingFor.what} since ${p.waitingFor.since}`
            : 'waiting for nothing',
          `brand ${p.steps.brand.twilioStatus ?? p.steps.brand.status}/${p.brand.identityStatus ?? '-'}`,
          `campaign ${p.steps.campaign.twilioStatus ?? p.steps.campaign.status}`,
        ];
        return `${r.customerId}: ${where.join(', ')}${p.guidance ? ` (${p.guidance})` : ''}`;
      }),
  );
}

/** A history event's type without its enum prefix: `ACTIVITY_TASK_SCHEDULED`, or `?` if unknown. */
export function eventTypeName(event: temporal.api.history.v1.IHistoryEvent): string {
  return (EventType[event.eventType ?? 0] ?? '?').replace('EVENT_TYPE_', '');
}

export interface WorkflowTaskTrouble {
  /** Workflow executions (runs) read, children included. */
  executions: number;
  /** Their history events, all together. */
  events: number;
  /** WorkflowTaskTimedOut events: START_TO_CLOSE is a task the worker took but did not finish in time. */
  timedOut: { startToClose: number; scheduleToStart: number };
  /** WorkflowTaskFailed events by cause. */
  failed: Record<string, number>;
  /** The executions with most trouble, worst first (at most five). */
  worst: { workflowId: string; timedOut: number; failed: number }[];
}

/**
 * Reads every history in the client's namespace that `query` selects and counts the workflow
 * tasks that timed out or failed: the symptom of a worker that cannot keep up.
 */
export async function workflowTaskTrouble(client: Client, query?: string): Promise<WorkflowTaskTrouble> {
  const executions: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list({ query })) executions.push(execution);
  const trouble: WorkflowTaskTrouble = {
    executions: executions.length,
    events: 0,
    timedOut: { startToClose: 0, scheduleToStart: 0 },
    failed: {},
    worst: [],
  };
  const perExecution: WorkflowTaskTrouble['worst'] = [];
  let next = 0;
  const readOne = async (): Promise<void> => {
    while (next < executions.length) {
      const { workflowId, runId } = executions[next++];
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const mine = { workflowId, timedOut: 0, failed: 0 };
      for (const event of history.events ?? []) {
        trouble.events++;
        if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
          mine.timedOut++;
          const type = event.workflowTaskTimedOutEventAttributes?.timeoutType;
          if (type === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) trouble.timedOut.scheduleToStart++;
          else trouble.timedOut.startToClose++;
        } else if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
          mine.failed++;
          const cause = event.workflowTaskFailedEventAttributes?.cause ?? 0;
          const name = WorkflowTaskFailedCause[cause] ?? String(cause);
          trouble.failed[name] = (trouble.failed[name] ?? 0) + 1;
        }
      }
      if (mine.timedOut + mine.failed > 0) perExecution.push(mine);
    }
  };
  await Promise.all(Array.from({ length: 8 }, readOne));
  trouble.worst = perExecution.sort((a, b) => b.timedOut + b.failed - (a.timedOut + a.failed)).slice(0, 5);
  return trouble;
}

/** Time from start to close of each registration workflow, from the server's own timestamps. */
export async function completionTimesMs(client: Client, customerIds: readonly string[]): Promise<number[]> {
  const ids = new Set(customerIds.map(registrationWorkflowId));
  const spans = new Map<string, { start: number; close: number }>();
  for await (const e of client.workflow.list({ query: `WorkflowType = 'soleProprietorRegistration'` })) {
    if (!ids.has(e.workflowId) || !e.closeTime) continue;
    // Runs after a continue-as-new share the id: the span is the first start to the last close.
    const span = spans.get(e.workflowId);
    const start = Math.min(e.startTime.getTime(), span?.start ?? Infinity);
    const close = Math.max(e.closeTime.getTime(), span?.close ?? 0);
    spans.set(e.workflowId, { start, close });
  }
  return [...spans.values()].map((s) => s.close - s.start);
}

/** The nearest-rank percentile (`p` in 0–100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
