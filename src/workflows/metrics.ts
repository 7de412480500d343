import { metricMeter, proxySinks, type Sinks } from '@temporalio/workflow';
import type { RegistrationOutcome, RegistrationPhase } from '../shared';
import { REGISTRATION_METRICS, type WaitStep } from '../shared/metrics';

/**
 * A registration's series, emitted through the workflow's metric meter (which adds namespace,
 * task_queue and workflow_type). A metric is not a command and the meter stays silent while a
 * workflow replays its history, so these calls change no history and count each event once,
 * whatever the cache evictions and worker restarts.
 */

export function countRegistrationStarted(): void {
  metricMeter.createCounter(REGISTRATION_METRICS.started, undefined, 'Registrations started').add(1);
}

/**
 * The worker's sink that counts a registration's end (`a2p_registrations_ended_total` and the
 * terminal phase's `a2p_registration_phase_entered_total`) once per run. The meter alone would
 * count the last workflow task again whenever the SDK re-runs it live after the run has closed
 * (which the e2e test saw happen), so the worker side keeps the runs it has counted.
 */
export interface RegistrationMetricSinks extends Sinks {
  registrationMetrics: { ended(outcome: RegistrationOutcome): void };
}

const { registrationMetrics } = proxySinks<RegistrationMetricSinks>();

export function countRegistrationEnded(outcome: RegistrationOutcome): void {
  registrationMetrics.ended(outcome);
}

export function countPhaseEntered(phase: RegistrationPhase): void {
  metricMeter
    .createCounter(REGISTRATION_METRICS.phaseEntered, undefined, 'Registrations entering each phase')
    .add(1, { phase });
}

/** The steps' waits by what they wait for (`Registration.waiting`'s first argument). */
const WAIT_STEPS: Record<string, WaitStep> = {
  'a start slot': 'admission',
  'the pause after submitting the starter customer profile': 'customer-profile-settle',
  'the pause after submitting the A2P trust bundle': 'trust-bundle-settle',
  'the pause after submitting the secondary customer profile': 'customer-profile-settle',
  'the pause after submitting the A2P messaging profile': 'trust-bundle-settle',
  'the brand contact to answer the Authentication+ email': 'brand-authentication',
  'the carriers to register the numbers': 'number-registration',
  'the pause after submitting the brand': 'brand-settle',
  'brand review': 'brand-review',
  'the customer to answer the OTP': 'otp',
  'campaign review': 'campaign-review',
  'corrected registration data': 'correction',
};

export function waitStep(what: string): WaitStep {
  return WAIT_STEPS[what] ?? 'other';
}

/** A wait that ended after `ms` (workflow time, so a wait across continue-as-new counts whole). */
export function recordWait(what: string, ms: number): void {
  metricMeter
    .createHistogram(REGISTRATION_METRICS.waitSeconds, 'float', 's', 'Time a registration waited, by step')
    .record(Math.max(0, ms) / 1000, { step: waitStep(what) });
}
