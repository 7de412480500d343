import type { Review, ReviewKind, StateData } from '../state';
import { isoDate } from '../wire';
import { ConflictError } from './errors';

/** What the scheduler needs from the engine core. */
export interface ReviewHost {
  state: StateData;
  closed: boolean;
  now(): number;
  changed(): void;
  warn(message: string): void;
  batched<T>(run: () => T): T;
  /** The account the current step acts for, every account, and running as one. */
  readonly accountSid: string;
  accounts(): string[];
  stateOf(sid: string): StateData | undefined;
  inAccount<T>(sid: string, run: () => T): T;
}

/** How a resource module takes part: it moves its reviews on, and says what its subject's status is. */
export interface ReviewHandler {
  step(review: Review): void;
  status(subject: string): string;
}

export interface PendingReviewView {
  id: string;
  kind: ReviewKind;
  subject: string;
  stage: string;
  status: string;
  dueAt: string | null;
  waitingFor: string | null;
}

/**
 * Reviews that run after a delay (real timers, unref'd), when the sandbox clock passes their time,
 * or when the control API advances them. Each review kind belongs to one resource module, which
 * registers the step that moves it on. Reviews live in the state, so they survive a restart.
 */
export class Reviews {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly handlers: Partial<Record<ReviewKind, ReviewHandler>> = {};

  constructor(private readonly host: ReviewHost) {}

  register(kind: ReviewKind, handler: ReviewHandler): void {
    this.handlers[kind] = handler;
  }

  id(kind: ReviewKind, subject: string): string {
    return `${kind}-${subject}`;
  }

  get(kind: ReviewKind, subject: string): Review | undefined {
    return this.host.state.reviews[this.id(kind, subject)];
  }

  /** True when the review exists and waits on something else rather than on time. */
  waiting(kind: ReviewKind, subject: string): boolean {
    const review = this.get(kind, subject);
    return review !== undefined && review.dueAt === null;
  }

  schedule(kind: ReviewKind, subject: string, stage: string, delayMs: number): void {
    const id = this.put(kind, subject, stage, this.host.now() + delayMs, null);
    this.arm(id, delayMs, this.host.accountSid);
  }

  /** The account whose state holds review `id` (the current one first). */
  private accountOf(id: string): string | undefined {
    if (this.host.state.reviews[id]) return this.host.accountSid;
    return this.host.accounts().find((a) => this.host.stateOf(a)?.reviews[id] !== undefined);
  }

  /** Every account's reviews, with the account they belong to. */
  private all(): { account: string; review: Review }[] {
    return this.host
      .accounts()
      .flatMap((account) =>
        Object.values(this.host.stateOf(account)?.reviews ?? {}).map((review) => ({ account, review })),
      );
  }

  wait(kind: ReviewKind, subject: string, stage: string, waitingFor: string): void {
    this.disarm(this.put(kind, subject, stage, null, waitingFor));
  }

  private put(
    kind: ReviewKind,
    subject: string,
    stage: string,
    dueAt: number | null,
    waitingFor: string | null,
  ): string {
    const id = this.id(kind, subject);
    const createdAt = this.host.state.reviews[id]?.createdAt ?? this.host.now();
    this.host.state.reviews[id] = { id, kind, subject, stage, dueAt, waitingFor, createdAt };
    return id;
  }

  finish(kind: ReviewKind, subject: string): void {
    const id = this.id(kind, subject);
    this.disarm(id);
    delete this.host.state.reviews[id];
  }

  /** Moves a review on by one step, with the outcome its data selects. */
  advance(id: string): Review | undefined {
    const account = this.accountOf(id);
    if (account === undefined) throw new ConflictError(`no pending review ${id}`);
    return this.host.inAccount(account, () => this.advanceHere(id));
  }

  private advanceHere(id: string): Review | undefined {
    const review = this.host.state.reviews[id];
    if (!review) throw new ConflictError(`no pending review ${id}`);
    if (review.dueAt === null)
      throw new ConflictError(
        `${id} is waiting for ${review.waitingFor ?? 'something else'}; decide it instead`,
      );
    const handler = this.handlers[review.kind];
    if (!handler) throw new Error(`no handler for ${review.kind} reviews`);
    this.host.batched(() => handler.step(review));
    this.host.changed();
    return this.host.state.reviews[id];
  }

  /** The scheduled reviews, soonest first. */
  private scheduled(): Review[] {
    return this.all()
      .map((a) => a.review)
      .filter((r) => r.dueAt !== null)
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  /** Runs every scheduled review until none is left to run (reviews waiting on others stay). */
  advanceAll(maxSteps = 1000): number {
    let steps = 0;
    for (;;) {
      const next = this.scheduled()[0];
      if (!next || steps >= maxSteps) return steps;
      this.advance(next.id);
      steps += 1;
    }
  }

  /** Runs the reviews whose time has come on the sandbox clock. */
  runDue(): void {
    const due = this.scheduled().filter((r) => (r.dueAt ?? 0) <= this.host.now());
    for (const r of due) if (this.accountOf(r.id) !== undefined) this.advance(r.id);
  }

  list(): PendingReviewView[] {
    return this.all().map(({ account, review: r }) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      stage: r.stage,
      status: this.host.inAccount(account, () => this.handlers[r.kind]?.status(r.subject) ?? 'deleted'),
      dueAt: r.dueAt === null ? null : isoDate(r.dueAt),
      waitingFor: r.waitingFor,
    }));
  }

  /** After a restart: timers for the reviews still due. */
  rearm(): void {
    for (const { account, review: r } of this.all())
      if (r.dueAt !== null) this.arm(r.id, r.dueAt - this.host.now(), account);
  }

  clearTimers(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private arm(id: string, delayMs: number, account: string): void {
    this.disarm(id);
    if (this.host.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        try {
          const review = this.host.stateOf(account)?.reviews[id];
          if (review && review.dueAt !== null) this.host.inAccount(account, () => this.advanceHere(id));
        } catch (err) {
          this.host.warn(`review ${id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  private disarm(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }
}
