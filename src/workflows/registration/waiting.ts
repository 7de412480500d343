import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { AnyRegistration as Registration } from './context';

/**
 * A run's history should be handed over: the server suggests it, or the run holds more events
 * than the registration allows itself (Temporal warns at 10,240 and terminates at 51,200).
 */
export function historyIsLong(reg: Registration): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= reg.state.continueAsNewAfterEvents;
}

/**
 * Continues as new with the whole state once every handler has finished and every branch of the
 * registration is at a wait (a Standard registration runs its campaigns side by side), so no
 * activity with effects and no child workflow is running, and nothing is orphaned.
 */
export async function continueAsNewWithState(reg: Registration): Promise<never> {
  await condition(() => allHandlersFinished() && reg.parked >= reg.branches);
  const { request, timings, continueAsNewAfterEvents } = reg.state;
  return continueAsNew<(input: unknown) => Promise<unknown>>({
    request,
    timings,
    continueAsNewAfterEvents,
    state: reg.state,
  });
}

/**
 * From this patch on, a wait that ends because the history is long leaves its timer running
 * rather than cancelling it: the run continues as new and its timers end with it, so the cancel
 * was a command for nothing. It also avoids cancelling a timer that fired while the task that
 * cancels it was running (a buffered TimerFired): Temporal's server accepts that cancel, but the
 * time-skipping test server refuses it and leaves the run stuck (temporalio/sdk-java#2606).
 */
const LONG_HISTORY_KEEPS_TIMER_PATCH = 'long-history-keeps-wait-timer';

/**
 * Waits until `done()` (a signal or update changed the state), at most `timeoutMs`; true when
 * `done()` holds. A wait of weeks costs only the events of the signals that end it; when the
 * history grows long meanwhile, the workflow continues as new from here, and the new run comes
 * back to the same wait because its state says where it is.
 */
export async function waitUntil(
  reg: Registration,
  done: () => boolean,
  summary: string,
  timeoutMs?: number,
): Promise<boolean> {
  const ready = () => done() || historyIsLong(reg);
  reg.parked += 1;
  try {
    const ended =
      timeoutMs === undefined
        ? (await condition(ready), true)
        : patched(LONG_HISTORY_KEEPS_TIMER_PATCH)
          ? await timedWait(ready, done, timeoutMs, summary)
          : await condition(ready, timeoutMs, { summary });
    if (done()) return true;
    if (ended && historyIsLong(reg)) await continueAsNewWithState(reg);
    return false;
  } finally {
    reg.parked -= 1;
  }
}

/**
 * `condition(ready, timeoutMs)`, except that the timer is cancelled only when `done()` ended the
 * wait, not when a long history did. False when the timer fired first.
 */
async function timedWait(
  ready: () => boolean,
  done: () => boolean,
  timeoutMs: number,
  summary: string,
): Promise<boolean> {
  const timer = new CancellationScope();
  let fired = false;
  // A sleep rejects only when cancelled: by the cancel below, or with the whole workflow, which
  // also ends the condition.
  void timer
    .run(() => sleep(timeoutMs, { summary }))
    .then(
      () => (fired = true),
      () => undefined,
    );
  try {
    await condition(() => fired || ready());
  } finally {
    if (!fired && (done() || !ready())) timer.cancel();
  }
  return !fired || ready();
}

/**
 * The next wait between two polls: from `pollIntervalMs`, doubling up to `pollMaxIntervalMs`, so a
 * callback lost early in a review is noticed within minutes and a review of weeks costs a few
 * fetches (and a few dozen history events) a day.
 */
export function nextPollInterval(
  timings: { pollIntervalMs: number; pollMaxIntervalMs?: number },
  previous?: number,
): number {
  const max = Math.max(timings.pollMaxIntervalMs ?? timings.pollIntervalMs, timings.pollIntervalMs);
  return previous === undefined ? timings.pollIntervalMs : Math.min(previous * 2, max);
}

/**
 * Waits until `done()`. The resource is fetched at once (a state that changed before this
 * workflow could hear of it, or while it continued as new, is seen now), then again whenever the
 * poll interval passes without an event, in case a callback was lost.
 */
export async function waitWithPoll<T>(
  reg: Registration,
  done: () => boolean,
  summary: string,
  fetch: () => Promise<T>,
  apply: (found: T) => void,
): Promise<void> {
  let interval: number | undefined;
  while (!done()) {
    apply(await fetch());
    if (done()) return;
    interval = nextPollInterval(reg.timings, interval);
    await waitUntil(reg, done, summary, interval);
  }
}
