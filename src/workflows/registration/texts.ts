import {
  correctionFee,
  feesSoFar,
  type RegistrationProgress,
  type StepName,
  type WaitingFor,
} from '../../shared';

/**
 * What operators read about a registration: the Web UI's Current Details (one block: where it
 * is and since when, why, what to do next, the fees so far) and the `why` / `next` of each wait,
 * which `a2p status` and `a2p list --stuck` print too. No PII, only ids and SIDs; commands are in
 * backticks, which the Web UI's Markdown shows as code (and keeps `--` from becoming a dash).
 */

export type WaitExplanation = Pick<WaitingFor, 'why' | 'next'>;

/** The Current Details of a registration, from its progress and what it is doing right now. */
export function currentDetails(progress: RegistrationProgress, activity?: string): string {
  const w = progress.waitingFor;
  const lines = w
    ? [
        `${progress.phase} since ${w.since}: waiting for ${w.what}${w.why ? ` — ${w.why}` : ''}.`,
        ...(w.next ? [`Next: ${w.next}.`] : []),
      ]
    : [
        `${progress.phase} since ${progress.phaseSince ?? progress.updatedAt}: ${activity ?? progress.phase}.`,
      ];
  // The Web UI renders details as Markdown, where two $ on a line start a formula.
  return [...lines, `Fees so far: ${feesSoFar(progress.fees)}.`].join('\n').replace(/\$/g, '\\$');
}

/** The open issue Twilio raised last for a step (or for any step), with the fields it named. */
export function latestIssue(progress: RegistrationProgress, step: StepName): string | undefined {
  const open = progress.issues.filter((i) => !i.resolvedAt);
  const issue = open.filter((i) => i.step === step).at(-1) ?? open.at(-1);
  if (!issue) return undefined;
  return `${issue.message}${issue.fields?.length ? ` (${issue.fields.join('; ')})` : ''}`;
}

/** The wait for a correction: Twilio's reason, the command that sends one, and any fee it costs. */
export function correctionWait(
  progress: RegistrationProgress,
  step: StepName,
  guidance: string,
): WaitExplanation {
  const id = progress.customerId;
  const fee = correctionFee(progress);
  return {
    why: latestIssue(progress, step) ?? guidance,
    next:
      `${guidance}: run \`a2p correct ${id} fix.json\` (\`a2p correct --template ${id}\` prints what to send)` +
      (fee ? `; it costs ${fee.text}, so add \`--accept-fee\`` : ''),
  };
}

/** The wait for the customer's OTP reply. */
export function otpWait(progress: RegistrationProgress, deadline: string): WaitExplanation {
  const { brand, customerId: id } = progress;
  return {
    why:
      `brand ${progress.steps.brand.sid ?? ''} is approved and Twilio texted a one-time code to the ` +
      `customer's mobile number; it is verified once they reply (${brand.otpSends} sent, the last at ` +
      `${brand.lastOtpSentAt ?? '-'}; unanswered by ${deadline} the registration ends as otp-expired)`,
    next:
      `ask the customer to reply to the text; \`a2p resend-otp ${id}\` sends a fresh code ` +
      `(in the sandbox, \`a2p sandbox otp ${id}\` replies as the customer)`,
  };
}

/** The wait for Twilio's or the carriers' review of the brand or the campaign. */
export function reviewWait(step: 'brand' | 'campaign', sid: string | undefined): WaitExplanation {
  return {
    why:
      step === 'brand'
        ? `Twilio and TCR review brand ${sid ?? ''}, usually within minutes for a Sole Proprietor brand, sometimes days`
        : `carriers vet campaign ${sid ?? ''}, usually within days, sometimes weeks`,
    next: 'nothing to do: Twilio calls back when the review is over (and the registration checks in case a callback is lost)',
  };
}

/** The pause after a submission that Twilio advises. */
export function settleWait(what: string, delayMs: number, until: string): WaitExplanation {
  return {
    why: `Twilio advises waiting ${Math.round(delayMs / 1000)} s after submitting the ${what} for validation errors to surface; a rejection ends the pause at once`,
    next: `nothing to do: it goes on at ${until}`,
  };
}
