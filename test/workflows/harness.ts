import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { noopMetricMeter } from '@temporalio/common';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain/registration';
import type { RegistrationRequest } from '../../src/domain/registration';
import type { StandardRegistrationRequest } from '../../src/domain/standard-registration';
import type { soleProprietorRegistration } from '../../src/workflows';
import {
  BRAND_SUBMISSION_TASK_QUEUE,
  CAMPAIGN_SUBMISSION_TASK_QUEUE,
  OTP_API_TASK_QUEUE,
  progressQuery,
  registrationWorkflowId,
  type RegistrationProgress,
  type RegistrationTimings,
} from '../../src/shared';
import { registrationMetricSinks } from '../../src/worker';
import { FakeTwilio } from './fake-twilio';

export const TIMINGS: RegistrationTimings = {
  settleDelayMs: 30_000,
  pollIntervalMs: 60 * 60_000,
  pollMaxIntervalMs: 6 * 60 * 60_000,
  otpResendIntervalMs: 24 * 60 * 60_000,
  otpDeadlineMs: 30 * 24 * 60 * 60_000,
};

let counter = 0;

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
  } = {},
): Promise<void> {
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
  const sideQueues = await Promise.all(
    [OTP_API_TASK_QUEUE, BRAND_SUBMISSION_TASK_QUEUE, CAMPAIGN_SUBMISSION_TASK_QUEUE].map((queue) =>
      Worker.create({ connection: env.nativeConnection, taskQueue: queue, activities }),
    ),
  );
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
      const progress = () => handle.query(progressQuery);
      const until = async (pred: (p: RegistrationProgress) => boolean, what: string) => {
        for (let i = 0; i < 400; i++) {
          const p = await progress();
          if (pred(p)) return p;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`Timed out waiting for ${what}; progress: ${JSON.stringify(await progress())}`);
      };
      try {
        await body({ handle, fake, progress, until });
      } finally {
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
