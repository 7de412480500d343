/**
 * Bounded, tracked background work. Signalling happens after the HTTP reply, so every task lives
 * here: at most `concurrency` run at once, at most `maxPending` exist (running or waiting), and
 * `idle()` resolves when all of them have finished. A task's promise never rejects.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class DeliveryQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly concurrency: number,
    private readonly maxPending: number,
  ) {
    if (!(concurrency >= 1) || !(maxPending >= 1))
      throw new Error('concurrency and maxPending must be at least 1');
  }

  /** Tasks running or waiting. */
  get pending(): number {
    return this.inFlight.size;
  }

  hasRoom(count = 1): boolean {
    return this.inFlight.size + count <= this.maxPending;
  }

  /** Queue a task; `undefined` when the queue is full (the caller answers 503 so the sender retries). */
  submit<T>(task: () => Promise<T>): Promise<Settled<T>> | undefined {
    if (!this.hasRoom()) return undefined;
    const settled = this.run(task);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return settled;
  }

  /** Resolves once every queued task has finished (including ones queued meanwhile). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run<T>(task: () => Promise<T>): Promise<Settled<T>> {
    await this.acquire();
    try {
      return { ok: true, value: await task() };
    } catch (error) {
      return { ok: false, error };
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiting task.
    if (next) next();
    else this.running--;
  }
}

/**
 * Event keys delivered recently, so an exact redelivery within the window is dropped before it
 * costs a Temporal call. Bounded by count and age; workflows deduplicate by event id regardless.
 */
export class RecentEvents {
  private readonly delivered = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const at = this.delivered.get(key);
    if (at === undefined) return false;
    if (this.now() - at >= this.windowMs) {
      this.delivered.delete(key);
      return false;
    }
    return true;
  }

  remember(key: string): void {
    if (this.windowMs <= 0 || this.capacity <= 0) return;
    this.delivered.delete(key);
    this.delivered.set(key, this.now());
    while (this.delivered.size > this.capacity) {
      const oldest = this.delivered.keys().next().value;
      if (oldest === undefined) break;
      this.delivered.delete(oldest);
    }
  }
}
