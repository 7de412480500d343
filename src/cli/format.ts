import type { RegistrationProgress, StepName } from '../shared';
import type { RegistrationSummary } from '../client';

const STEP_LABELS: Record<StepName, string> = {
  customerProfile: 'Starter customer profile',
  trustBundle: 'A2P trust bundle',
  brand: 'Brand',
  messagingService: 'Messaging Service',
  campaign: 'Campaign',
  phoneNumber: 'Phone number',
};

function table(rows: string[][]): string {
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

/** `a2p status`: one screen that says where a registration is and what it waits for. */
export function formatProgress(p: RegistrationProgress): string {
  const lines = [
    `Customer ${p.customerId}: ${p.phase}${p.outcome ? ` (${p.outcome})` : ''}`,
    p.waitingFor ? `Waiting for ${p.waitingFor.what} since ${p.waitingFor.since}` : undefined,
    p.guidance ? `Next: ${p.guidance}` : undefined,
    '',
    table([
      ['STEP', 'STATUS', 'TWILIO STATUS', 'SID'],
      ...(Object.keys(STEP_LABELS) as StepName[]).map((name) => [
        STEP_LABELS[name],
        p.steps[name].status,
        p.steps[name].twilioStatus ?? '',
        p.steps[name].sid ?? '',
      ]),
    ]),
    '',
    `Brand: ${p.brand.status ?? '-'}, identity ${p.brand.identityStatus ?? '-'}, OTPs sent ${p.brand.otpSends}, resubmissions ${p.brand.resubmissions}`,
    `Campaign: ${p.campaign.status ?? '-'}, submission #${p.campaign.attempt}`,
  ];
  if (p.issues.length) {
    lines.push('', "Twilio's latest errors:");
    for (const issue of p.issues.slice(-5)) {
      lines.push(`  [${issue.at}] ${STEP_LABELS[issue.step]}: ${issue.message}`);
      for (const field of issue.fields ?? []) lines.push(`      - ${field}`);
    }
  }
  lines.push(
    '',
    p.fees.length ? `Fees: ${p.fees.map((f) => `${f.kind} (${f.sid})`).join(', ')}` : 'Fees: none yet',
  );
  return lines.filter((l): l is string => l !== undefined).join('\n');
}

/** `a2p list`. */
export function formatList(rows: RegistrationSummary[]): string {
  if (rows.length === 0) return 'No registrations match.';
  return table([
    ['WORKFLOW', 'STATUS', 'PHASE', 'BRAND', 'CAMPAIGN', 'STARTED'],
    ...rows.map((r) => [
      r.workflowId,
      r.status,
      r.phase ?? '',
      r.brandStatus ?? '',
      r.campaignStatus ?? '',
      r.startTime.toISOString(),
    ]),
  ]);
}
