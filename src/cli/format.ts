import type { RegistrationSummary, StuckRegistration } from '../client';
import type { CampaignCheck, CampaignFinding } from '../domain';
import type { SandboxInfo } from '../sandbox/control-client';
import {
  type DeregistrationProgress,
  type ExternalCampaignProgress,
  FEE_LABELS,
  type RegistrationProgress,
  type StandardCampaignProgress,
  type StandardProgress,
  STEP_LABELS,
  type StepName,
  type StepState,
  type TwilioIssue,
} from '../shared';

/** Pure renderers behind `a2p status`, `a2p list` and `a2p deregister`; the `now` makes ages testable. */

export { STEP_LABELS };

/**
 * A step's status as an operator reads it. A bundle is `done` once submitted, but Twilio keeps it
 * `in-review` until the brand is verified: that is not a contradiction, so it says so.
 */
export function stepStatus(step: StepState): string {
  if (step.status === 'done' && /review/i.test(step.twilioStatus ?? '')) return 'submitted';
  return step.status;
}

function issueLines(issue: TwilioIssue): string[] {
  return [
    `  ${issue.at}  ${STEP_LABELS[issue.step]}: ${issue.code ? `[${issue.code}] ` : ''}${issue.message}` +
      (issue.resolvedAt ? `  (resolved ${issue.resolvedAt})` : ''),
    ...(issue.fields ?? []).map((field) => `      - ${field}`),
    ...(issue.moreInfo ? [`      see ${issue.moreInfo}`] : []),
  ];
}

/** How many of Twilio's latest errors `a2p status` shows (all are in `--json`). */
export const ISSUES_SHOWN = 5;

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `3d 4h`, `2h 5m`, `4m 10s`, `12s`: the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [
    ['d', Math.floor(s / 86_400)],
    ['h', Math.floor(s / 3_600) % 24],
    ['m', Math.floor(s / 60) % 60],
    ['s', s % 60],
  ];
  const first = units.findIndex(([, n]) => n > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([u, n]) => `${n}${u}`)
    .join(' ');
}

/** An ISO time with how long ago it was: `2026-11-20T10:00:00.000Z (3d 2h ago)`. */
export function formatSince(iso: string, now: Date): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${iso} (${formatDuration(now.getTime() - at)} ago)`;
}

/**
 * Campaign pre-vetting findings, three lines each: level, Twilio code, field and problem; the fix;
 * an example. Fields are shown under `prefix` (`campaign.messageSamples`) when one is given.
 */
export function formatFindings(findings: readonly CampaignFinding[], prefix = ''): string {
  return findings
    .flatMap((f) => [
      `  ${f.level.toUpperCase().padEnd(8)} ${f.code}  ${prefix ? `${prefix}.` : ''}${f.field}: ${f.problem}`,
      `      fix: ${f.fix}`,
      `      e.g. ${f.example}`,
    ])
    .join('\n');
}

/** `a2p check`: what would refuse the campaign, what may get it rejected, and what was not checked. */
export function formatCampaignCheck(check: CampaignCheck): string {
  const lines: string[] = [];
  if (check.issues.length > 0) {
    lines.push(
      'Invalid fields (Twilio refuses such a campaign outright):',
      ...check.issues.map((i) => `  ${i.path}: ${i.message}`),
    );
  }
  const blocking = check.findings.filter((f) => f.level === 'blocking').length;
  const warnings = check.findings.length - blocking;
  if (check.findings.length > 0) {
    lines.push(
      `${blocking} blocking, ${warnings} warning${warnings === 1 ? '' : 's'}:`,
      formatFindings(check.findings),
    );
  }
  if (check.skipped.length > 0)
    lines.push(`Not checked: ${check.skipped.map((s) => `${s.rule} (${s.reason})`).join(', ')}`);
  lines.push(
    check.blocked
      ? 'Blocked: Twilio would reject this campaign; fix the blocking findings before registering it.'
      : warnings > 0
        ? `Passes with ${warnings} warning${warnings === 1 ? '' : 's'}: register it with --accept-warnings, or fix them first.`
        : "Passes: no finding against Twilio's documented rejection reasons.",
  );
  return lines.join('\n');
}

/** `a2p status`: one screen that says where a registration is, what it waits for and what it cost. */
export function formatProgress(p: RegistrationProgress, now: Date = new Date()): string {
  const lines: string[] = [
    `Customer ${p.customerId}: ${p.phase}${p.outcome ? ` (outcome: ${p.outcome})` : ''}`,
  ];
  if (p.waitingFor) {
    lines.push(`Waiting for ${p.waitingFor.what} since ${formatSince(p.waitingFor.since, now)}`);
    if (p.waitingFor.why) lines.push(`Why: ${p.waitingFor.why}`);
  }
  const next = p.guidance ?? p.waitingFor?.next;
  if (next) lines.push(`Next: ${next}`);
  lines.push(
    `Started ${formatSince(p.startedAt, now)}, last change ${formatSince(p.updatedAt, now)}`,
    '',
    table([
      ['STEP', 'STATUS', 'TWILIO STATUS', 'SID', 'UPDATED'],
      ...(Object.keys(STEP_LABELS) as StepName[]).map((name) => [
        STEP_LABELS[name],
        stepStatus(p.steps[name]),
        p.steps[name].twilioStatus ?? '-',
        p.steps[name].sid ?? '-',
        p.steps[name].updatedAt ?? '-',
      ]),
    ]),
    '',
  );
  if (p.standard) lines.push(...standardLines(p, p.standard, now));
  else
    lines.push(
      `Brand: status ${p.brand.status ?? '-'}, identity ${p.brand.identityStatus ?? '-'}, ` +
        `OTPs sent ${p.brand.otpSends}${p.brand.lastOtpSentAt ? ` (last ${formatSince(p.brand.lastOtpSentAt, now)})` : ''}, ` +
        `resubmissions ${p.brand.resubmissions}`,
      `Campaign: status ${p.campaign.status ?? '-'}, submission #${p.campaign.attempt}`,
    );
  const warnings = p.standard ? [] : (p.campaign.warnings ?? []);
  if (warnings.length > 0) {
    lines.push(
      `Campaign pre-vetting warnings (${warnings.length}, accepted):`,
      formatFindings(warnings, 'campaign'),
    );
  }
  const open = p.issues.filter((i) => !i.resolvedAt);
  const resolved = p.issues.filter((i) => i.resolvedAt);
  if (open.length) {
    const shown = open.slice(-ISSUES_SHOWN);
    const hidden = open.length - shown.length;
    lines.push(
      '',
      `Twilio's latest errors${hidden ? ` (${hidden} older in --json)` : ''}:`,
      ...shown.flatMap(issueLines),
    );
  }
  if (resolved.length) {
    const shown = resolved.slice(-ISSUES_SHOWN);
    const hidden = resolved.length - shown.length;
    lines.push(
      '',
      `Resolved errors (a later attempt of the step succeeded)${hidden ? ` (${hidden} older in --json)` : ''}:`,
      ...shown.flatMap(issueLines),
    );
  }
  lines.push('');
  if (p.fees.length) {
    lines.push(
      `Fees incurred (${p.fees.length}):`,
      ...p.fees.map((f) => `  ${f.at}  ${FEE_LABELS[f.kind] ?? f.kind}  ${f.sid}`),
    );
  } else {
    lines.push('Fees incurred: none yet');
  }
  return lines.join('\n');
}

const BRAND_TYPE_LABELS: Record<StandardProgress['brandType'], string> = {
  STANDARD: 'STANDARD (secondary vetting)',
  LOW_VOLUME_STANDARD: 'LOW_VOLUME_STANDARD (no secondary vetting)',
};

/** A number's state in its campaign's Messaging Service and with the carriers. */
function numberState(n: StandardCampaignProgress['numbers'][string]): string {
  if (!n.added) return 'not yet in the Messaging Service';
  const registration = n.registration ?? 'pending';
  return `in the Messaging Service, carrier registration ${registration}${n.failure ? `: ${n.failure}` : ''}`;
}

/** `campaigns.0: CUSTOMER_CARE, VERIFIED, submission #1, ...`, its errors, warnings and numbers. */
function standardCampaignLines(c: StandardCampaignProgress): string[] {
  const path = `campaigns.${c.index}`;
  // Known once the brand's use cases are listed; the registration records only a `true`.
  const postApproval = c.postApprovalRequired ? ', post-approval by Twilio needed' : '';
  const numbers = Object.entries(c.numbers);
  const warnings = c.warnings ?? [];
  return [
    `  ${path}: ${c.usecase}, status ${c.status ?? '-'}, submission #${c.attempt}, ` +
      `service ${c.messagingServiceSid ?? '-'}${postApproval}${c.sid ? `, ${c.sid}` : ''}`,
    ...(c.errors.length > 0 ? [`      errors: ${c.errors.join('; ')}`] : []),
    ...(warnings.length > 0
      ? [`      pre-vetting warnings (${warnings.length}, accepted):`, formatFindings(warnings, path)]
      : []),
    ...(numbers.length > 0
      ? numbers.map(([sid, n]) => `      ${sid}  ${numberState(n)}`)
      : ['      numbers: none added yet']),
  ];
}

/**
 * A Standard registration's own state: the brand type, the subaccount, TCR's vetting score and
 * feedback, the Authentication+ email wait of a public company, and every campaign.
 */
function standardLines(p: RegistrationProgress, s: StandardProgress, now: Date): string[] {
  const lines = [
    `Brand: ${BRAND_TYPE_LABELS[s.brandType]}, status ${p.brand.status ?? '-'}, ` +
      `identity ${p.brand.identityStatus ?? '-'}, resubmissions ${p.brand.resubmissions}`,
  ];
  if (s.subaccountSid)
    lines.push(
      `Subaccount: ${s.subaccountSid}` +
        (s.eventStream
          ? ` (Event Streams sink ${s.eventStream.sinkSid}, subscription ${s.eventStream.subscriptionSid})`
          : ''),
    );
  const feedback = s.vetting?.feedback ?? [];
  lines.push(
    `Vetting: score ${s.vetting?.score ?? '-'}${feedback.length > 0 ? `, feedback ${feedback.join(', ')}` : ''}`,
  );
  const auth = s.authentication;
  if (auth)
    lines.push(
      `Authentication+ email to ${auth.email}: sent ${formatSince(auth.since, now)}, ` +
        (auth.verifiedAt
          ? `verified ${auth.verifiedAt}`
          : `not answered yet${auth.clickedAt ? ` (link clicked ${auth.clickedAt})` : ''}`),
    );
  lines.push(`Campaigns (${s.campaigns.length}):`, ...s.campaigns.flatMap(standardCampaignLines));
  return lines;
}

/** `a2p status --external`. */
export function formatExternalProgress(p: ExternalCampaignProgress, now: Date = new Date()): string {
  const lines = [
    `External campaign ${p.campaignId}: ${p.phase}${p.outcome ? ` (outcome: ${p.outcome})` : ''}`,
  ];
  if (p.waitingFor)
    lines.push(`Waiting for ${p.waitingFor.what} since ${formatSince(p.waitingFor.since, now)}`);
  lines.push(
    `Started ${formatSince(p.startedAt, now)}, last change ${formatSince(p.updatedAt, now)}`,
    '',
    table([
      ['Messaging Service', p.messagingServiceSid ?? '-'],
      ['Phone numbers', p.phoneNumberSids.join(', ') || '-'],
      ['Campaign', p.campaignSid ?? '-'],
      ['Campaign status', p.campaignStatus ?? '-'],
      ['Associations made', String(p.associations)],
    ]),
  );
  if (p.shareFeedback) lines.push('', `TCR share feedback: ${p.shareFeedback}`);
  if (p.issues.length) {
    lines.push('', 'Latest errors:', ...p.issues.slice(-ISSUES_SHOWN).map((i) => `  ${i.at}  ${i.message}`));
  }
  return lines.join('\n');
}

/** `a2p list`. */
export function formatList(rows: RegistrationSummary[]): string {
  if (rows.length === 0) return 'No registrations match.';
  return table([
    ['ID', 'WORKFLOW STATUS', 'PHASE', 'BRAND', 'CAMPAIGN', 'STARTED'],
    ...rows.map((r) => [
      r.customerId ?? (r.campaignId ? `${r.campaignId} (external)` : r.workflowId),
      r.status,
      r.phase ?? '-',
      r.brandStatus ?? '-',
      r.campaignStatus ?? '-',
      r.startTime.toISOString(),
    ]),
  ]);
}

/** `a2p list --stuck`: who waits, on what, since when, why, and the command that un-sticks each. */
export function formatStuck(rows: StuckRegistration[], now: Date = new Date()): string {
  if (rows.length === 0)
    return 'Nothing is stuck: no running registration waits on a person or on a long review.';
  return rows
    .map((r) =>
      [
        `${r.customerId}  ${r.phase}  waiting for ${r.waitingFor} since ${formatSince(r.since, now)}`,
        ...(r.why ? [`  why:  ${r.why}`] : []),
        ...(r.next ? [`  next: ${r.next}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
}

/** `a2p sandbox numbers`: which of the sandbox account's numbers a new registration can use. */
export function formatNumbers(numbers: SandboxInfo['numbers']): string {
  const free = numbers.filter((n) => !n.messagingServiceSid).length;
  return [
    table([
      ['SID', 'NUMBER', 'HELD BY'],
      ...numbers.map((n) => [n.sid, n.phoneNumber, n.messagingServiceSid ?? 'free']),
    ]),
    '',
    `${free} of ${numbers.length} free. A registration's phoneNumberSid must be a free one` +
      (free === 0 ? '; a2p deregister <customerId> --delete-messaging-service frees one.' : '.'),
  ].join('\n');
}

/** `a2p deregister`: what is gone and what only Twilio support or TCR can remove. */
export function formatDeregistration(result: DeregistrationProgress): string {
  return [
    `Deregistered ${result.registrationWorkflowId}`,
    `Removed:${result.removed.length ? '' : ' nothing'}`,
    ...result.removed.map((r) => `  - ${r}`),
    ...(result.remaining.length ? ['Remaining:', ...result.remaining.map((r) => `  - ${r}`)] : []),
  ].join('\n');
}
