import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  A2P_PHASE,
  type FeeKind,
  type RegistrationOutcome,
  type RegistrationPhase,
  type StepName,
  type StepStatus,
} from '../../shared';
import type { RegistrationRequest } from '../../domain/registration';
import type { AnyRegistrationRequest } from '../../domain/standard-registration';
import { EventLog } from '../event-log';
import { countPhaseEntered, countRegistrationEnded, recordWait } from '../metrics';
import type { RegistrationState } from './state';
import { currentDetails, type WaitExplanation } from './texts';

/** Issues kept for operators; older ones drop off. */
const MAX_ISSUES = 20;

/**
 * A registration's state with the few operations every step uses to change what operators see:
 * the phase, a step's status, Twilio's issues, fees, search attributes. Plain data lives in
 * `state`; this class only adds behaviour.
 */
export class Registration<R extends AnyRegistrationRequest = RegistrationRequest> {
  readonly events: EventLog;
  /**
   * Trust Hub callbacks that name a status needing nothing (in review, approved) do not fetch the
   * bundles, and the OTP wait's first look fetches the brand alone. Set per run from a patch, so
   * histories recorded before keep their fetches on replay.
   */
  quietTrustHubCallbacks = false;
  /** Branches of the registration running side by side (a Standard registration's campaigns). */
  branches = 1;
  /** Of them, how many are at a wait now: the run continues as new only when all are. */
  parked = 0;

  constructor(readonly state: RegistrationState<R>) {
    this.events = new EventLog(state.events);
  }

  get progress() {
    return this.state.progress;
  }

  get request(): R {
    return this.state.request;
  }

  get timings() {
    return this.state.timings;
  }

  /** The customer's own subaccount the registration runs in, if any (absent: the main account). */
  get accountSid(): string | undefined {
    return this.progress.standard?.subaccountSid;
  }

  get workflowId(): string {
    return workflowInfo().workflowId;
  }

  now(): string {
    return new Date().toISOString();
  }

  /**
   * Whether the create `key` names may already have made its resource, so its activity must look
   * before it creates (the activity's `mayExist`): this registration follows an earlier run, this
   * run continues another whose state predates the record below, or the create was started before
   * (a step run again after a correction, a resubmission). Records the create as started. A clean
   * registration's first create of each resource answers false and lists nothing.
   */
  mayExist(key: string): boolean {
    const started = this.state.started;
    const before =
      this.state.followsEarlierRun === true ||
      started === undefined ||
      started.includes(key) ||
      (started.length === 0 && workflowInfo().continuedFromExecutionRunId !== undefined);
    if (started && !started.includes(key)) started.push(key);
    return before;
  }

  /** Moves to a phase, doing `activity` (what the Web UI's Current Details say until a wait starts). */
  enter(phase: RegistrationPhase, activity: string): void {
    if (this.progress.phase !== phase || !this.progress.phaseSince) countPhaseEntered(phase);
    this.moveTo(phase, activity);
  }

  /** `enter` without counting: a registration's end is counted once, by `finish`. */
  private moveTo(phase: RegistrationPhase, activity: string): void {
    if (this.progress.phase !== phase || !this.progress.phaseSince) this.progress.phaseSince = this.now();
    this.progress.phase = phase;
    this.endWait();
    this.state.activity = activity;
    this.attribute(A2P_PHASE, phase);
    this.touch();
    this.showDetails();
  }

  /**
   * Starts waiting for `what` (or refreshes why and what next of the same wait, keeping its
   * "since"); the Current Details then say since when, why and what un-sticks it.
   */
  waiting(what: string, explanation: WaitExplanation = {}): void {
    if (this.progress.waitingFor?.what !== what) {
      this.endWait();
      this.progress.waitingFor = { what, since: this.now() };
    }
    Object.assign(this.progress.waitingFor, explanation);
    this.touch();
    this.showDetails();
  }

  /** The current wait (if any) is over: its time goes to the wait histogram. */
  private endWait(): void {
    const wait = this.progress.waitingFor;
    if (wait) recordWait(wait.what, Date.now() - Date.parse(wait.since));
    this.progress.waitingFor = undefined;
  }

  /** Current Details are a query answer, not a command: setting them adds nothing to the history. */
  showDetails(): void {
    setCurrentDetails(currentDetails(this.progress, this.state.activity));
  }

  step(name: StepName, status?: StepStatus, extra: { sid?: string; twilioStatus?: string } = {}): void {
    const s = this.progress.steps[name];
    if (status) s.status = status;
    if (extra.sid) s.sid = extra.sid;
    if (extra.twilioStatus) s.twilioStatus = extra.twilioStatus;
    s.updatedAt = this.now();
    // The step went through: what Twilio objected to before no longer stands.
    if (status === 'done')
      for (const issue of this.progress.issues) if (issue.step === name) issue.resolvedAt ??= s.updatedAt;
    this.touch();
  }

  /** Records what Twilio said is wrong; the same open message for the same step is recorded once. */
  issue(name: StepName, message: string, fields?: string[]): void {
    const last = this.progress.issues.at(-1);
    if (last?.step === name && last.message === message && !last.resolvedAt) return;
    this.progress.issues.push({ step: name, message, ...(fields?.length ? { fields } : {}), at: this.now() });
    if (this.progress.issues.length > MAX_ISSUES) this.progress.issues.shift();
    this.touch();
  }

  fee(kind: FeeKind, sid: string): void {
    this.progress.fees.push({ kind, sid, at: this.now() });
    this.showDetails();
  }

  finish(outcome: RegistrationOutcome, guidance: string): void {
    this.progress.outcome = outcome;
    this.progress.guidance = guidance;
    this.moveTo(outcome, guidance);
    countRegistrationEnded(outcome);
  }

  /** Upserts a keyword search attribute only when its value changed: each upsert is a history event. */
  attribute(key: SearchAttributeKey<typeof SearchAttributeType.KEYWORD>, value: string): void {
    if (this.state.attributes[key.name] === value) return;
    this.state.attributes[key.name] = value;
    upsertSearchAttributes([{ key, value }]);
  }

  /** Upserts a keyword-list search attribute when its values changed (one history event each time). */
  attributeList(key: SearchAttributeKey<typeof SearchAttributeType.KEYWORD_LIST>, values: string[]): void {
    const joined = values.join(',');
    if (this.state.attributes[key.name] === joined) return;
    this.state.attributes[key.name] = joined;
    upsertSearchAttributes([{ key, value: values }]);
  }

  touch(): void {
    this.progress.updatedAt = this.now();
  }
}

/** A registration of either kind, for the steps both kinds share. */
export type AnyRegistration = Registration<AnyRegistrationRequest>;

/**
 * A registration that cannot go on, however the data is corrected: it ends with a named outcome
 * and guidance, and the workflow completes with its progress (the result says how it ended).
 */
export class RegistrationEnded extends Error {
  constructor(
    readonly outcome: Exclude<RegistrationOutcome, 'completed' | 'cancelled' | 'failed'>,
    readonly guidance: string,
  ) {
    super(guidance);
    this.name = 'RegistrationEnded';
  }
}
