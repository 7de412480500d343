import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { eventTypeName } from '../test/helpers/load';

const { EventType } = temporal.api.enums.v1;

/** The activities that create a brand or a campaign: the calls Twilio's pace applies to. */
export const PACED_ACTIVITIES = { brand: 'ensureBrand', campaign: 'ensureCampaign' } as const;
export type PacedKind = keyof typeof PACED_ACTIVITIES;

/** One paced activity of one registration, from its history. */
export interface PacedCall {
  registration: string;
  scheduledAt: number;
  /** When the attempt that completed started; its `attempt` number with it. */
  startedAt: number;
  attempt: number;
}

/**
 * Where the registrations' time went, summed over every execution (each registration and its
 * campaign children), in ms. Intervals of different kinds overlap in wall-clock time (a parent
 * waits while its child runs), so the sums are for comparing causes, not for adding up.
 */
export interface TimeBreakdown {
  executions: number;
  /** WorkflowTaskScheduled → WorkflowTaskStarted: a task waiting for a worker slot or poller. */
  workflowTaskQueue: Spread;
  /** WorkflowTaskStarted → WorkflowTaskCompleted: the worker running workflow code (and replaying). */
  workflowTaskRun: Spread;
  /**
   * WorkflowTaskStarted → WorkflowTaskFailed: tasks the server refused (a completion racing a
   * signal: its commands are dropped and the worker, evicting the run, replays it whole next).
   */
  workflowTaskFailed: Spread;
  /** WorkflowTaskStarted → WorkflowTaskCompleted of the task after a failed one: that replay. */
  workflowTaskRunAfterFailure: Spread;
  /** ActivityTaskScheduled → ActivityTaskStarted of the final attempt, by activity type. */
  activityQueue: Map<string, Spread>;
  /** ActivityTaskStarted → Completed of the final attempt, by activity type. */
  activityRun: Map<string, Spread>;
  /** Attempts beyond the first (429s, timeouts), by activity type. */
  activityRetries: Map<string, number>;
  /** Timer fired later than its duration: TimerFired − TimerStarted − startToFireTimeout. */
  timerLateness: Spread;
  /** Completed → next WorkflowTaskStarted after an activity: the time before workflow code saw its result. */
  activityResultToTask: Spread;
  /** Signal received → next WorkflowTaskStarted: the time before workflow code saw a signal. */
  signalToTask: Spread;
  /** StartChildWorkflowExecutionInitiated → ChildWorkflowExecutionStarted. */
  childStart: Spread;
}

export class Spread {
  readonly values: number[] = [];
  add(ms: number): void {
    this.values.push(ms);
  }
  get count(): number {
    return this.values.length;
  }
  get total(): number {
    return this.values.reduce((a, b) => a + b, 0);
  }
  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }
}

function spreadOf(map: Map<string, Spread>, key: string): Spread {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Spread()));
  return s;
}

export interface HistoryReading {
  paced: Record<PacedKind, PacedCall[]>;
  breakdown: TimeBreakdown;
  /** Each registration's own history (its earliest run's), by workflow id. */
  histories: Map<string, temporal.api.history.v1.IHistoryEvent[]>;
}

/**
 * Reads the history of every registration in `registrationIds` (workflow ids) and of their
 * campaign children, in the client's namespace, and returns the paced calls, the time breakdown
 * and the registrations' own histories.
 */
export async function readHistories(
  client: Client,
  registrationIds: ReadonlySet<string>,
): Promise<HistoryReading> {
  const executions: WorkflowExecutionInfo[] = [];
  for await (const e of client.workflow.list()) {
    const root = e.rootExecution?.workflowId ?? e.parentExecution?.workflowId ?? e.workflowId;
    if (registrationIds.has(e.workflowId) || registrationIds.has(root)) executions.push(e);
  }
  const paced: HistoryReading['paced'] = { brand: [], campaign: [] };
  const histories: HistoryReading['histories'] = new Map();
  const b: TimeBreakdown = {
    executions: executions.length,
    workflowTaskQueue: new Spread(),
    workflowTaskRun: new Spread(),
    workflowTaskFailed: new Spread(),
    workflowTaskRunAfterFailure: new Spread(),
    activityQueue: new Map(),
    activityRun: new Map(),
    activityRetries: new Map(),
    timerLateness: new Spread(),
    activityResultToTask: new Spread(),
    signalToTask: new Spread(),
    childStart: new Spread(),
  };
  let next = 0;
  const readOne = async (): Promise<void> => {
    while (next < executions.length) {
      const e = executions[next++];
      const registration = registrationIds.has(e.workflowId)
        ? e.workflowId
        : (e.rootExecution?.workflowId ?? e.parentExecution?.workflowId ?? e.workflowId);
      const history = await client.workflow.getHandle(e.workflowId, e.runId).fetchHistory();
      const events = history.events ?? [];
      const kept = histories.get(e.workflowId);
      if (
        registration === e.workflowId &&
        (!kept || tsToMs(events[0]?.eventTime) < tsToMs(kept[0]?.eventTime))
      )
        histories.set(e.workflowId, events);
      const byId = new Map<number, temporal.api.history.v1.IHistoryEvent>();
      let wftScheduledAt: number | undefined;
      let wftStartedAt: number | undefined;
      let afterFailure = false;
      // Results and signals waiting for the next workflow task to start.
      let pendingResults: number[] = [];
      let pendingSignals: number[] = [];
      for (const event of events) {
        const id = Number(event.eventId);
        byId.set(id, event);
        const at = tsToMs(event.eventTime);
        switch (event.eventType) {
          case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            wftScheduledAt = at;
            break;
          case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            if (wftScheduledAt !== undefined) b.workflowTaskQueue.add(at - wftScheduledAt);
            wftStartedAt = at;
            for (const t of pendingResults) b.activityResultToTask.add(at - t);
            for (const t of pendingSignals) b.signalToTask.add(at - t);
            pendingResults = [];
            pendingSignals = [];
            break;
          case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            if (wftStartedAt !== undefined) {
              b.workflowTaskRun.add(at - wftStartedAt);
              if (afterFailure) b.workflowTaskRunAfterFailure.add(at - wftStartedAt);
            }
            afterFailure = false;
            break;
          case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            if (wftStartedAt !== undefined) b.workflowTaskFailed.add(at - wftStartedAt);
            afterFailure = true;
            break;
          case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
            const a = event.activityTaskStartedEventAttributes;
            const scheduled = byId.get(Number(a?.scheduledEventId));
            const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
            const scheduledAt = tsToMs(scheduled?.eventTime);
            const attempt = a?.attempt ?? 1;
            spreadOf(b.activityQueue, type).add(at - scheduledAt);
            if (attempt > 1) b.activityRetries.set(type, (b.activityRetries.get(type) ?? 0) + attempt - 1);
            for (const [kind, name] of Object.entries(PACED_ACTIVITIES) as [PacedKind, string][])
              if (type === name) paced[kind].push({ registration, scheduledAt, startedAt: at, attempt });
            break;
          }
          case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
            const started = byId.get(Number(event.activityTaskCompletedEventAttributes?.startedEventId));
            const scheduled = byId.get(Number(started?.activityTaskStartedEventAttributes?.scheduledEventId));
            const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
            spreadOf(b.activityRun, type).add(at - tsToMs(started?.eventTime));
            pendingResults.push(at);
            break;
          }
          case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            pendingSignals.push(at);
            break;
          case EventType.EVENT_TYPE_TIMER_FIRED: {
            const started = byId.get(Number(event.timerFiredEventAttributes?.startedEventId));
            const duration = optionalTsToMs(started?.timerStartedEventAttributes?.startToFireTimeout) ?? 0;
            b.timerLateness.add(at - tsToMs(started?.eventTime) - duration);
            break;
          }
          case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: {
            const initiated = byId.get(
              Number(event.childWorkflowExecutionStartedEventAttributes?.initiatedEventId),
            );
            b.childStart.add(at - tsToMs(initiated?.eventTime));
            break;
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, readOne));
  return { paced, breakdown: b, histories };
}

/** A paced call as an ideal flow would make it: when it could be scheduled at the earliest. */
export interface IdealArrival {
  registration: string;
  /** The registration's start plus the mandated waits before this call. */
  arrivesAt: number;
  /** Breaks ties between equal arrivals: the order the calls were actually made in. */
  order: number;
}

/**
 * The wait Twilio's pace alone imposes on each registration: its call, arriving at the earliest
 * the mandated waits allow, goes through an ideal queue that starts one call per `1 / perSecond` s
 * and never idles while a call waits. Returns each registration's wait and ideal start. When 200
 * registrations start at once the 200th waits 199 s here, whatever the worker did meanwhile; a
 * registration that finishes later than its ideal start plus the rest of its mandated waits shows
 * the difference as overhead, so a limiter slower than the pace, or a worker too busy to reach
 * the call by its turn, stays in the overhead.
 */
export function mandatedPacingWaits(
  calls: readonly IdealArrival[],
  perSecond: number,
): Map<string, { waitMs: number; startsAt: number }> {
  const gap = 1000 / perSecond;
  const waits = new Map<string, { waitMs: number; startsAt: number }>();
  let free = -Infinity;
  for (const call of [...calls].sort((a, b) => a.arrivesAt - b.arrivesAt || a.order - b.order)) {
    const startsAt = Math.max(call.arrivesAt, free);
    free = startsAt + gap;
    waits.set(call.registration, { waitMs: startsAt - call.arrivesAt, startsAt });
  }
  return waits;
}

/** The smallest gap between two consecutive times, in ms (NaN for fewer than two). */
export function smallestGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let min = NaN;
  for (let i = 1; i < sorted.length; i++)
    min = Math.min(Number.isNaN(min) ? Infinity : min, sorted[i] - sorted[i - 1]);
  return min;
}

/** Creates in the busiest 1 s window (any start), and the mean rate from first to last. */
export function achievedPace(times: readonly number[]): { max1s: number; meanPerSecond: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let max1s = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= 1000) i++;
    max1s = Math.max(max1s, j - i + 1);
  }
  const span = sorted.length > 1 ? (sorted[sorted.length - 1] - sorted[0]) / 1000 : 0;
  return { max1s, meanPerSecond: span > 0 ? (sorted.length - 1) / span : NaN };
}

/**
 * A history up to the start of its first `until` activity, a line per event: its time after the
 * workflow's start, its type, and the activity or timer it concerns.
 */
export function timelineLines(
  events: readonly temporal.api.history.v1.IHistoryEvent[],
  until: string,
): string[] {
  const start = tsToMs(events[0]?.eventTime);
  const activityOf = new Map<number, string>();
  const lines: string[] = [];
  for (const event of events) {
    const at = ((tsToMs(event.eventTime) - start) / 1000).toFixed(3).padStart(8);
    const type = eventTypeName(event).toLowerCase();
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityOf.set(Number(event.eventId), scheduled.activityType?.name ?? '?');
    const scheduledId = scheduled
      ? event.eventId
      : (event.activityTaskStartedEventAttributes?.scheduledEventId ??
        event.activityTaskCompletedEventAttributes?.scheduledEventId);
    const activity = scheduledId == null ? undefined : activityOf.get(Number(scheduledId));
    lines.push([at, type, activity ?? event.timerStartedEventAttributes?.timerId].filter(Boolean).join(' '));
    if (event.activityTaskStartedEventAttributes && activity === until) break;
  }
  return lines;
}
