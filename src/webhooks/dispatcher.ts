import { setTimeout as sleep } from 'node:timers/promises';
import type { SignalDefinition } from '@temporalio/common';
import type { FastifyBaseLogger } from 'fastify';
import { type DeliveryQueue, type RecentEvents } from './queue';
import type { SearchAttributeMatch, SignalOutcome, WorkflowSignaller } from './targets';

/** One event on its way to one or more workflows. */
export interface Delivery {
  kind: 'trust-hub' | 'brand' | 'campaign' | 'campaign-share' | 'number';
  eventId: string;
  /** What may be logged about the event: SIDs, ids, event type. Never names, phones or emails. */
  context: Record<string, string | undefined>;
  /** A workflow named by the request itself, or the running workflows carrying a search attribute. */
  target: { workflowId: string } | { matches: SearchAttributeMatch[] };
  send(signaller: WorkflowSignaller, workflowId: string): Promise<SignalOutcome>;
}

export function makeDelivery<T>(
  fields: Omit<Delivery, 'send'> & { signal: SignalDefinition<[T]>; payload: T },
): Delivery {
  const { signal, payload, ...rest } = fields;
  return { ...rest, send: (signaller, workflowId) => signaller.signalWorkflow(workflowId, signal, payload) };
}

export type DeliveryOutcome = 'delivered' | 'no-target' | 'duplicate' | 'busy' | 'failed' | 'timeout';

export interface DispatcherTuning {
  /** Waits between attempts of a background delivery whose signal failed (one retry per entry). */
  retryDelaysMs: readonly number[];
  /** Waits before looking a search attribute up again when no workflow carries it yet (visibility lags). */
  lookupRetryDelaysMs: readonly number[];
  /** How long a request that answers with the signal's outcome waits for it. */
  syncTimeoutMs: number;
}

/** A summary of an error that is safe to log (no payloads). */
export function errorSummary(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 500) };
  return { name: 'Error', message: String(err).slice(0, 500) };
}

/**
 * Delivers events to workflows through the bounded queue, either answering with the outcome
 * (`deliverNow`, when the sender should retry a failure) or in the background (`enqueue`).
 */
export class Dispatcher {
  private readonly reserved = new Set<string>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly signaller: WorkflowSignaller,
    private readonly queue: DeliveryQueue,
    private readonly recent: RecentEvents,
    private readonly log: FastifyBaseLogger,
    private readonly tuning: DispatcherTuning,
  ) {}

  /**
   * Deliver and report the outcome within `syncTimeoutMs`: one attempt, because the sender retries
   * on a 503. After a timeout the attempt still finishes in the background (it stays tracked).
   */
  async deliverNow(delivery: Delivery): Promise<DeliveryOutcome> {
    if (this.recent.has(keyOf(delivery))) {
      this.log.info({ ...delivery.context, eventId: delivery.eventId }, 'duplicate event dropped');
      return 'duplicate';
    }
    const settled = this.queue.submit(() => this.attempt(delivery, 0, 0));
    if (!settled) {
      this.log.warn({ ...delivery.context }, 'delivery queue full');
      return 'busy';
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.tuning.syncTimeoutMs);
    });
    try {
      const result = await Promise.race([settled, timeout]);
      if (result === 'timeout') {
        this.log.warn({ ...delivery.context }, 'signal did not complete in time');
        return 'timeout';
      }
      return result.ok ? result.value : 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Queue deliveries to run after the reply, with retries. Exact duplicates of a delivered or
   * queued event are dropped. False when the queue cannot take them all (nothing is queued then).
   */
  enqueue(deliveries: readonly Delivery[]): boolean {
    const fresh: Delivery[] = [];
    const keys = new Set<string>();
    for (const delivery of deliveries) {
      const key = keyOf(delivery);
      if (this.recent.has(key) || this.reserved.has(key) || keys.has(key)) {
        this.log.info({ ...delivery.context, eventId: delivery.eventId }, 'duplicate event dropped');
        continue;
      }
      keys.add(key);
      fresh.push(delivery);
    }
    if (!this.queue.hasRoom(fresh.length)) {
      this.log.warn({ events: fresh.length, pending: this.queue.pending }, 'delivery queue full');
      return false;
    }
    for (const delivery of fresh) {
      const key = keyOf(delivery);
      this.reserved.add(key);
      const settled = this.queue.submit(() =>
        this.attempt(delivery, this.tuning.retryDelaysMs.length, this.tuning.lookupRetryDelaysMs.length),
      );
      // hasRoom() was checked for all of them and nothing else runs in between.
      if (!settled) throw new Error('delivery queue refused a task it had room for');
      void settled.then(() => this.reserved.delete(key));
    }
    return true;
  }

  /** Stop waiting between retries; queued deliveries make at most their current attempt. */
  close(): void {
    this.shutdown.abort();
  }

  private async attempt(
    delivery: Delivery,
    retries: number,
    lookupRetries: number,
  ): Promise<DeliveryOutcome> {
    const signalled = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      try {
        const workflowIds = await this.resolve(delivery, lookupRetries);
        let found = signalled.size > 0;
        for (const workflowId of workflowIds) {
          if (signalled.has(workflowId)) continue;
          if ((await delivery.send(this.signaller, workflowId)) === 'signalled') {
            signalled.add(workflowId);
            found = true;
          }
        }
        if (!found) {
          this.log.info(
            { ...delivery.context, eventId: delivery.eventId },
            'no running workflow for event; acknowledged',
          );
          return 'no-target';
        }
        this.recent.remember(keyOf(delivery));
        this.log.info(
          { ...delivery.context, eventId: delivery.eventId, workflowIds: [...signalled] },
          'workflow signalled',
        );
        return 'delivered';
      } catch (err) {
        const wait = attempt < retries ? this.tuning.retryDelaysMs[attempt] : undefined;
        if (wait !== undefined && !this.shutdown.signal.aborted) {
          this.log.warn(
            { ...delivery.context, err: errorSummary(err), attempt: attempt + 1 },
            'signal failed; retrying',
          );
          if (await this.pause(wait)) continue;
        }
        this.log.error(
          {
            ...delivery.context,
            eventId: delivery.eventId,
            err: errorSummary(err),
            attempts: attempt + 1,
            shuttingDown: this.shutdown.signal.aborted,
          },
          'could not signal workflow',
        );
        return 'failed';
      }
    }
  }

  private async resolve(delivery: Delivery, lookupRetries: number): Promise<string[]> {
    const { target } = delivery;
    if ('workflowId' in target) return [target.workflowId];
    for (let lookup = 0; ; lookup++) {
      const ids = await this.signaller.findRunningWorkflowIds(target.matches);
      const wait = lookup < lookupRetries ? this.tuning.lookupRetryDelaysMs[lookup] : undefined;
      if (ids.length > 0 || wait === undefined || !(await this.pause(wait))) return ids;
    }
  }

  /** Sleep unless shutting down; false when interrupted. */
  private async pause(ms: number): Promise<boolean> {
    if (this.shutdown.signal.aborted) return false;
    try {
      await sleep(ms, undefined, { signal: this.shutdown.signal });
      return true;
    } catch {
      return false;
    }
  }
}

function keyOf(delivery: Delivery): string {
  return `${delivery.kind}:${delivery.eventId}`;
}
