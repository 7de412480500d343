/**
 * Spaces the starts of the calls that pass through it at least `intervalMs` apart, in the order
 * they ask, within this process.
 *
 * The worker paces brand and campaign creation with the task queue's
 * `maxTaskQueueActivitiesPerSecond`, which the Temporal server enforces across every worker
 * process. Its limiter lets a burst through: `npm run bench` saw two brand creates reach Twilio
 * within 5 ms of each other at a pace of one per second. A gate in front of the activities of
 * that queue removes such a burst within a process, at the cost of starting the call after it up
 * to one interval later; the server's limit still holds the rate of all processes together.
 */
export class PacingGate {
  /** When the last call to ask was let through (or will be). */
  private last: Promise<number> = Promise.resolve(-Infinity);

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves when this call may start: an interval after the call before it actually started, so
   * a timer that fires late widens the gap after it instead of narrowing the next one.
   */
  turn(): Promise<void> {
    const mine = this.last.then(async (previous) => {
      const wait = previous + this.intervalMs - this.now();
      if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
      return this.now();
    });
    this.last = mine;
    return mine.then(() => undefined);
  }
}

/**
 * The same activities, each starting through one gate that keeps them `1 / perSecond` s apart
 * (unchanged when `perSecond` is unset: no pace configured).
 */
export function pacedActivities<T extends object>(activities: T, perSecond: number | undefined): T {
  if (!perSecond) return activities;
  const gate = new PacingGate(1000 / perSecond);
  const paced: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    paced[name] =
      typeof fn === 'function'
        ? async (...args: unknown[]): Promise<unknown> => {
            await gate.turn();
            return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          }
        : fn;
  }
  return paced as T;
}
