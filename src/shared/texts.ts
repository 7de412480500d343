import { FEE_USD } from '../domain/rules';
import type { FeeKind, FeeRecord, RegistrationPhase, RegistrationProgress, StepName } from './types';

/** Names operators read, shared by the workflow's current details, `a2p` and the Web UI views. */

export const STEP_LABELS: Record<StepName, string> = {
  customerProfile: 'Starter customer profile',
  trustBundle: 'A2P trust bundle',
  brand: 'Brand',
  messagingService: 'Messaging Service',
  campaign: 'Campaign',
  phoneNumber: 'Phone number',
};

export const FEE_LABELS: Record<FeeKind, string> = {
  'brand-registration': 'Brand registration',
  'brand-resubmission': 'Brand resubmission',
  'secondary-vetting': 'Secondary vetting',
  'authentication-plus': 'Authentication+',
  'campaign-vetting': 'Campaign vetting',
};

/** Phases in which a registration waits for a person (an operator or the customer). */
export const PERSON_WAIT_PHASES: readonly RegistrationPhase[] = ['needs-correction', 'brand-verification'];

/** Phases in which a registration waits for Twilio's or the carriers' review. */
export const REVIEW_PHASES: readonly RegistrationPhase[] = ['brand', 'campaign'];

/** A fee the next step after a correction will be billed, which the caller must accept. */
export interface CorrectionFee {
  kinds: FeeKind[];
  usd: number;
  /** `a new campaign submission's vetting fee ($15)` */
  text: string;
}

/**
 * The fee a correction sent now leads to, if any: a campaign correction submits the campaign again
 * (another vetting fee), and a FAILED brand is resubmitted once its data is corrected (a brand
 * resubmission), whichever step the correction is for.
 */
export function correctionFee(
  progress: Pick<RegistrationProgress, 'steps' | 'brand'>,
): CorrectionFee | undefined {
  if (progress.steps.campaign.status === 'needs-correction')
    return {
      kinds: ['campaign-vetting'],
      usd: FEE_USD['campaign-vetting'],
      text: `a new campaign submission's vetting fee ($${FEE_USD['campaign-vetting']})`,
    };
  if (progress.brand.status === 'FAILED')
    return {
      kinds: ['brand-resubmission'],
      usd: FEE_USD['brand-resubmission'],
      text: `a brand resubmission (about $${FEE_USD['brand-resubmission']})`,
    };
  return undefined;
}

/** `Brand registration $4, Campaign vetting $15 (total $19)`, or `none yet`. */
export function feesSoFar(fees: readonly FeeRecord[]): string {
  if (fees.length === 0) return 'none yet';
  const total = fees.reduce((sum, f) => sum + FEE_USD[f.kind], 0);
  return `${fees.map((f) => `${FEE_LABELS[f.kind]} $${FEE_USD[f.kind]}`).join(', ')} (total $${total})`;
}
