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

/**
 * `no-target`: no running workflow takes the event (yet); `ended`: the workflows that carry the
 * event's SID have all closed, so none ever will.
 */
export type DeliveryOutcome =
  'delivered' | 'no-target' | 'ended' | 'duplicate' | 'busy' | 'failed' | 'timeout';

export interface DispatcherTuning {
  /**
   * Waits between the attempts of a background delivery that found no running workflow (its
   * search attribute not visible yet) or could not signal (Temporal refused): the event is kept
   * meanwhile, outside the queue, and given up after the last wait.
   */
  retryDelaysMs: readonly number[];
  /** Events kept for a later attempt at most; beyond it a new one is given up at once (and logged). */
  maxKept: number;
  /** How long a request that answers with the signal's outcome waits for it. */
  syncTimeoutMs: number;
}

/** What became of the events this server took, since it started. */
export interface DeliveryStats {
  /** Events that reached the workflows they were meant for. */
  delivered: number;
  /** Of those, events that needed more than one attempt (no workflow visible at first, or a refusal). */
  redelivered: number;
  /** Events waiting now for their next attempt. */
  kept: number;
  /** Events that found no workflow, or could not be signalled, until their last attempt. */
  givenUp: number;
  /** Exact duplicates dropped. */
  duplicates: number;
}

/** A summary of an error that is safe to log (no payloads). */
export function errorSummary(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 500) };
  return { name: 'Error', message: String(err).slice(0, 500) };
}

/**
 * Delivers events to workflows through the bounded queue, either answering with the outcome
 * (`deliverNow`, when the sender should retry a failure) or in the background (`enqueue`).
 *
 * An attempt is one look-up and one signal per workflow; nothing waits while it holds a place in
 * the queue. Under load a workflow's search attribute becomes visible seconds after its upsert,
 * and Temporal may refuse signals for a while: a background event that meets either is kept and
 * tried again later, so that neither loses a Twilio event (Event Streams does not send an event
 * again once it was acknowledged) nor blocks the events behind it.
 */
export class Dispatcher {
  /** Events queued, running or kept: a copy arriving meanwhile is a duplicate. */
  private readonly reserved = new Set<string>();
  private closed = false;
  /** Events waiting for their next attempt, by key, with the timer that brings them back. */
  private readonly kept = new Map<string, NodeJS.Timeout>();
  private readonly counts = { delivered: 0, redelivered: 0, givenUp: 0, duplicates: 0 };

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
      this.counts.duplicates++;
      return 'duplicate';
    }
    const settled = this.queue.submit(() => this.attempt(delivery, new Set()));
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
      const outcome = result.ok ? result.value : 'failed';
      if (outcome === 'delivered') this.counts.delivered++;
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Queue deliveries to run after the reply, each kept and tried again until delivered or given
   * up. Exact duplicates of a delivered, queued or kept event are dropped. False when the queue
   * cannot take them all (nothing is queued then).
   */
  enqueue(deliveries: readonly Delivery[]): boolean {
    const fresh: Delivery[] = [];
    const keys = new Set<string>();
    for (const delivery of deliveries) {
      const key = keyOf(delivery);
      if (this.recent.has(key) || this.reserved.has(key) || keys.has(key)) {
        this.log.info({ ...delivery.context, eventId: delivery.eventId }, 'duplicate event dropped');
        this.counts.duplicates++;
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
      this.reserved.add(keyOf(delivery));
      // hasRoom() was checked for all of them and nothing else runs in between.
      if (!this.tryInQueue(delivery, 0, new Set()))
        throw new Error('delivery queue refused a task it had room for');
    }
    return true;
  }

  stats(): DeliveryStats {
    return { ...this.counts, kept: this.kept.size };
  }

  /** Stop: kept events are dropped (and counted in the log); queued ones make their attempt. */
  close(): void {
    this.closed = true;
    if (this.kept.size > 0)
      this.log.warn({ events: this.kept.size }, 'shutting down: events kept for a later attempt are dropped');
    for (const timer of this.kept.values()) clearTimeout(timer);
    this.kept.clear();
  }

  /** One attempt through the queue; false when the queue is full. */
  private tryInQueue(delivery: Delivery, attemptsBefore: number, signalled: Set<string>): boolean {
    const settled = this.queue.submit(() => this.attempt(delivery, signalled));
    if (!settled) return false;
    void settled.then((result) =>
      this.settle(delivery, result.ok ? result.value : 'failed', attemptsBefore + 1, signalled),
    );
    return true;
  }

  /** After a background attempt: done, or kept for the next one, or given up after the last. */
  private settle(
    delivery: Delivery,
    outcome: DeliveryOutcome,
    attempts: number,
    signalled: Set<string>,
  ): void {
    const key = keyOf(delivery);
    const context = { ...delivery.context, eventId: delivery.eventId };
    if (outcome === 'delivered') {
      this.counts.delivered++;
      if (attempts > 1) this.counts.redelivered++;
      this.reserved.delete(key);
      return;
    }
    // A workflow named by id that is not running has closed (or never was): nothing to wait for.
    const mayAppear = outcome === 'failed' || (outcome === 'no-target' && 'matches' in delivery.target);
    if (!mayAppear) {
      this.reserved.delete(key);
      return;
    }
    const wait = this.tuning.retryDelaysMs[attempts - 1];
    const full = this.kept.size >= this.tuning.maxKept;
    if (wait === undefined || this.closed || full) {
      this.reserved.delete(key);
      this.counts.givenUp++;
      const why = this.closed ? 'shutting down' : full ? 'too many events kept' : 'no attempts left';
      this.log.error(
        { ...context, outcome, attempts, why },
        outcome === 'failed' ? 'could not signal workflow' : 'event given up',
      );
      return;
    }
    this.log.info(
      { ...context, outcome, attempts, inMs: wait },
      outcome === 'failed' ? 'signal failed; retrying' : 'event kept for re-delivery',
    );
    const timer = setTimeout(() => {
      this.kept.delete(key);
      // A full queue is one more attempt that did not get through.
      if (!this.tryInQueue(delivery, attempts, signalled))
        this.settle(delivery, 'failed', attempts + 1, signalled);
    }, wait);
    timer.unref();
    this.kept.set(key, timer);
  }

  /** One look-up (unless the workflow is named) and one signal to each workflow not yet signalled. */
  private async attempt(delivery: Delivery, signalled: Set<string>): Promise<DeliveryOutcome> {
    const context = { ...delivery.context, eventId: delivery.eventId };
    const { target } = delivery;
    try {
      const workflowIds =
        'workflowId' in target
          ? [target.workflowId]
          : await this.signaller.findRunningWorkflowIds(target.matches);
      for (const workflowId of workflowIds) {
        if (signalled.has(workflowId)) continue;
        if ((await delivery.send(this.signaller, workflowId)) === 'signalled') signalled.add(workflowId);
      }
      if (signalled.size === 0) {
        // A workflow named by id that is not running has closed: nothing will ever take the event.
        if ('workflowId' in target) {
          this.log.info(context, 'no running workflow for event; acknowledged');
          return 'no-target';
        }
        // A registration that has ended still carries its SIDs (a number registration event
        // after completion, say): acknowledged. None at all: visibility has not caught up yet.
        if (await this.signaller.anyClosedWorkflowCarries(target.matches)) {
          this.log.info(context, 'the workflows for event have ended; acknowledged');
          return 'ended';
        }
        this.log.info(context, 'no running workflow for event');
        return 'no-target';
      }
      this.recent.remember(keyOf(delivery));
      this.log.info({ ...context, workflowIds: [...signalled] }, 'workflow signalled');
      return 'delivered';
    } catch (err) {
      this.log.warn({ ...context, err: errorSummary(err) }, 'signal failed');
      return 'failed';
    }
  }
}

function keyOf(delivery: Delivery): string {
  return `${delivery.kind}:${delivery.eventId}`;
}
