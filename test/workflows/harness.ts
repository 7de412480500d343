import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { noopMetricMeter } from '@temporalio/common';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain/registration';
import type { RegistrationRequest } from '../../src/domain/registration';
import type { StandardRegistrationRequest } from '../../src/domain/standard-registration';
import type { soleProprietorRegistration } from '../../src/workflows';
import {
  BRAND_SUBMISSION_TASK_QUEUE,
  CAMPAIGN_SUBMISSION_TASK_QUEUE,
  OTP_API_TASK_QUEUE,
  progressQuery,
  REGISTRATION_ADMISSION_TASK_QUEUE,
  registrationWorkflowId,
  type RegistrationProgress,
  type RegistrationTimings,
} from '../../src/shared';
import { registrationMetricSinks } from '../../src/worker';
import { FakeTwilio } from './fake-twilio';
import { eventTypeName } from '../helpers/load';

export const TIMINGS: RegistrationTimings = {
  settleDelayMs: 30_000,
  pollIntervalMs: 60 * 60_000,
  pollMaxIntervalMs: 6 * 60 * 60_000,
  otpResendIntervalMs: 24 * 60 * 60_000,
  otpDeadlineMs: 30 * 24 * 60 * 60_000,
};

let counter = 0;

/**
 * The task queues a registration's activities run on besides its own (the start slot, the OTP
 * API, the paced brand and campaign creates), as the worker serves them: a worker for each, with
 * `activities`.
 */
export function sideQueueWorkers(
  env: TestWorkflowEnvironment,
  activities: ReturnType<FakeTwilio['activities']>,
): Promise<Worker[]> {
  return Promise.all(
    [
      REGISTRATION_ADMISSION_TASK_QUEUE,
      OTP_API_TASK_QUEUE,
      BRAND_SUBMISSION_TASK_QUEUE,
      CAMPAIGN_SUBMISSION_TASK_QUEUE,
    ].map((taskQueue) => Worker.create({ connection: env.nativeConnection, taskQueue, activities })),
  );
}

export interface Registration {
  handle: WorkflowHandleWithFirstExecutionRunId<typeof soleProprietorRegistration>;
  fake: FakeTwilio;
  progress(): Promise<RegistrationProgress>;
  /** Polls the progress query until `pred` holds; the workflow moves on its own meanwhile. */
  until(pred: (p: RegistrationProgress) => boolean, what: string): Promise<RegistrationProgress>;
}

/**
 * Runs `body` with workers for the registration and OTP task queues (activities faked), and one
 * registration started with a unique customer id.
 */
export async function withRegistration(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  body: (r: Registration) => Promise<void>,
  options: {
    configure?: (fake: FakeTwilio) => void;
    request?: Partial<RegistrationRequest>;
    /** Start a Standard registration with this request (its customerId is replaced) instead. */
    standardRequest?: StandardRegistrationRequest;
    timings?: RegistrationTimings;
    continueAsNewAfterEvents?: number;
    /** How long `body` may take, below the test's own timeout (jest's default here is 60 s). */
    deadlineMs?: number;
  } = {},
): Promise<void> {
  const deadlineMs = options.deadlineMs ?? 50_000;
  // Activity time is the server's (skipped) time, not the test process's wall clock.
  const fake = new FakeTwilio(() => Context.current().info.currentAttemptScheduledTimestampMs);
  options.configure?.(fake);
  const taskQueue = `registration-test-${++counter}`;
  const activities = fake.activities();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
    sinks: registrationMetricSinks(noopMetricMeter),
  });
  const sideQueues = await sideQueueWorkers(env, activities);
  const customerId = `cust-${counter}-${Date.now()}`;
  const request = { ...SAMPLE_REGISTRATION_REQUEST, customerId, ...options.request };
  fake.workflowId = registrationWorkflowId(customerId);
  await runAll(
    sideQueues,
    worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof soleProprietorRegistration>(
        options.standardRequest ? 'standardRegistration' : 'soleProprietorRegistration',
        {
          taskQueue,
          workflowId: registrationWorkflowId(customerId),
          args: [
            {
              // The Standard workflow takes the same input with its own kind of request.
              request: options.standardRequest
                ? ({ ...options.standardRequest, customerId } as unknown as RegistrationRequest)
                : request,
              timings: options.timings ?? TIMINGS,
              continueAsNewAfterEvents: options.continueAsNewAfterEvents,
            },
          ],
        },
      );
      // The test server skips time while a workflow task is in flight: what a test does next
      // (env.sleep, result()) must not overtake the task that answers a signal or shows a state.
      const signal = handle.signal.bind(handle);
      handle.signal = async (def: string, ...args: unknown[]) => {
        await signal(def, ...args);
        await settled(env, handle.workflowId);
      };
      const progress = () => handle.query(progressQuery);
      const until = async (pred: (p: RegistrationProgress) => boolean, what: string) => {
        for (let i = 0; i < 400; i++) {
          const p = await progress();
          if (pred(p)) {
            await settled(env, handle.workflowId);
            return p;
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`Timed out waiting for ${what}; progress: ${JSON.stringify(await progress())}`);
      };
      // A registration stuck past the deadline fails its own test with its history's tail, and
      // its workers stop here rather than keep polling into the next test.
      let watchdog: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        watchdog = setTimeout(() => {
          Promise.all([historyTail(env, handle.workflowId), clockReport(env)]).then(
            ([tail, clock]) =>
              reject(new Error(`Still not done after ${deadlineMs} ms; the history ends ${tail}; ${clock}`)),
            reject,
          );
        }, deadlineMs);
      });
      try {
        await Promise.race([body({ handle, fake, progress, until }), stuck]);
      } finally {
        clearTimeout(watchdog);
        // A registration left running would hold the test server's clock for the next test.
        await terminateIfRunning(handle);
      }
    }),
  );
}

/**
 * The history of every run of a workflow, first to last, following continue-as-new from the run
 * the handle was started with.
 */
export async function historiesOfAllRuns(
  env: TestWorkflowEnvironment,
  handle: WorkflowHandleWithFirstExecutionRunId,
): Promise<temporal.api.history.v1.IHistoryEvent[][]> {
  const runs: temporal.api.history.v1.IHistoryEvent[][] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await env.client.workflow
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.push(events);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

const { EventType } = temporal.api.enums.v1;
/** A run's last event once it is closed (a continued run is followed to the next: no end here). */
const CLOSED = new Set([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
]);
const TASK_ENDS = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/**
 * Waits until the workflow's current run has no workflow task in flight and has finished one
 * since its last signal: the server then holds the commands (timers among them) of everything
 * the workflow has shown or been told so far.
 */
export async function settled(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    let inFlight = false;
    let lastSignal = 0;
    let lastTaskEnd = 0;
    for (const e of events) {
      const id = Number(e.eventId);
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) inFlight = true;
      else if (TASK_ENDS.has(e.eventType ?? 0)) [inFlight, lastTaskEnd] = [false, id];
      else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) lastSignal = id;
    }
    if (CLOSED.has(events.at(-1)?.eventType ?? 0) || (!inFlight && lastTaskEnd > lastSignal)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`workflow ${workflowId} kept a workflow task in flight`);
}

/**
 * How the test server's clock moves over a second of real time, for a failure message: about a
 * second means time skipping is held (something holds its lock), nothing at all that the clock
 * stopped, much more that it skips and the workflow is stuck for another reason.
 */
async function clockReport(env: TestWorkflowEnvironment): Promise<string> {
  const [before, startedAt] = [await env.currentTimeMs(), Date.now()];
  await new Promise((r) => setTimeout(r, 1_000));
  const after = await env.currentTimeMs();
  // What else the server runs (a child or another workflow with a task outstanding holds the clock).
  const open = await env.client.workflowService.listOpenWorkflowExecutions({
    namespace: env.namespace ?? 'default',
    maximumPageSize: 20,
  });
  const workflows = (open.executions ?? []).map(
    (e) => `${e.execution?.workflowId ?? '?'} (${e.type?.name ?? '?'})`,
  );
  return (
    `the test server's clock reads ${new Date(after).toISOString()} and moved ${after - before} ms ` +
    `in ${Date.now() - startedAt} ms of real time; open workflows: ${workflows.join(', ') || 'none'}`
  );
}

/** The last events of a workflow's current run, by id and type, for a failure message. */
async function historyTail(env: TestWorkflowEnvironment, workflowId: string, count = 12): Promise<string> {
  const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? [])
    .slice(-count)
    .map((e) => {
      const type = eventTypeName(e);
      const what =
        e.activityTaskScheduledEventAttributes?.activityType?.name ??
        e.timerStartedEventAttributes?.startToFireTimeout?.seconds?.toString() ??
        e.workflowExecutionSignaledEventAttributes?.signalName;
      return `${String(e.eventId)} ${type}${what ? ` (${what})` : ''}`;
    })
    .join(', ');
}

export async function terminateIfRunning(handle: WorkflowHandle): Promise<void> {
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') await handle.terminate('test finished');
}

/** Runs `main` with every worker in `others` running until it settles. */
export function runAll(others: Worker[], main: Promise<void>): Promise<void> {
  return others.reduce((inner, w) => w.runUntil(inner), main);
}

let eventSeq = 0;
/** A fresh event envelope, as the webhook handler builds it. */
export function envelope(at = new Date()): { eventId: string; occurredAt: string } {
  return { eventId: `evt-${++eventSeq}`, occurredAt: at.toISOString() };
}
