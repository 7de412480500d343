import { RegistrarClient } from '../client';
import {
  type RegistrationRequest,
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
  type StandardRegistrationRequest,
} from '../domain';
import type { Ledger } from '../sandbox';
import type { RegistrationProgress, StepName } from '../shared';
import { createTwilioClient, type TwilioClient } from '../twilio/client';
import type { Logger, Stack } from './start';

const STEPS: StepName[] = [
  'customerProfile',
  'trustBundle',
  'brand',
  'messagingService',
  'campaign',
  'phoneNumber',
];
const DEMO_PREFIX = 'demo-';

/** One line that changes whenever something visible about the registration changes. */
export function progressLine(p: RegistrationProgress): string {
  const steps = STEPS.map(
    (s) => `${s}=${p.steps[s].status}${p.steps[s].twilioStatus ? `(${p.steps[s].twilioStatus})` : ''}`,
  );
  const identity = p.brand.identityStatus ? ` identity=${p.brand.identityStatus}` : '';
  const score = p.standard?.vetting?.score === undefined ? '' : ` score=${p.standard.vetting.score}`;
  // A Standard brand's campaigns: each one's status and its numbers' carrier registration.
  const campaigns = (p.standard?.campaigns ?? []).map((c) => {
    const numbers = Object.values(c.numbers).map((n) =>
      n.added ? (n.registration ?? 'pending') : 'not added',
    );
    return ` campaigns.${c.index}=${c.status ?? '-'}${numbers.length ? `[${numbers.join(',')}]` : ''}`;
  });
  return `${p.phase}${p.waitingFor ? ` · waiting for ${p.waitingFor.what}` : ''} | ${steps.join(' ')}${identity}${score}${campaigns.join('')}`;
}

/** A customer id no earlier demo used: `demo-20261123012140`. */
export function demoCustomerId(now: Date): string {
  return `${DEMO_PREFIX}${now
    .toISOString()
    .replace(/[-:T.Z]/g, '')
    .slice(0, 14)}`;
}

/**
 * The sample sole proprietor as a new person for this run. TCR lets one mobile number verify at
 * most 3 brands and an email or address serve at most 10 (000), and the sandbox keeps its state
 * across runs, so each run's mobile number, email and house number are derived from its id.
 */
export function demoRequest(customerId: string, phoneNumberSid: string): RegistrationRequest {
  let hash = 2166136261;
  for (const ch of customerId) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const sample = SAMPLE_REGISTRATION_REQUEST;
  return {
    ...sample,
    customerId,
    phoneNumberSid,
    soleProprietor: {
      ...sample.soleProprietor,
      // 555-0100 to 555-0199 are the fictional exchange's numbers; the rest of 555 is fictional too.
      mobilePhoneNumber: `+1415555${String(hash % 10_000).padStart(4, '0')}`,
      email: `jane.doe+${customerId}@example.com`,
    },
    address: { ...sample.address, street: `${1 + (hash % 9_000)} Jersey St` },
  };
}

/**
 * The sample LLC (a Standard brand, one customer-care campaign) for this run, on the given number.
 * Its contacts' emails are the run's own, as the sole proprietor's are.
 */
export function demoStandardRequest(customerId: string, phoneNumberSid: string): StandardRegistrationRequest {
  const sample = SAMPLE_STANDARD_REQUEST;
  const email = `ada+${customerId}@acmeplumbing.example.com`;
  return {
    ...sample,
    customerId,
    authorizedRepresentatives: sample.authorizedRepresentatives.map((r) => ({ ...r, email })),
    messagingProfile: { ...sample.messagingProfile, brandContactEmail: email },
    campaigns: sample.campaigns.map((c) => ({ ...c, phoneNumberSids: [phoneNumberSid] })),
  };
}

/** Phases in which the registration waits for a person: the demo has nobody to ask. */
const STUCK_PHASES = new Set(['needs-correction']);

/** Why a finished registration is not the demo's success, or undefined when it is. */
export function demoShortfall(p: RegistrationProgress): string | undefined {
  if (p.outcome !== 'completed')
    return `the registration ended as ${p.outcome ?? p.phase}${p.guidance ? `: ${p.guidance}` : ''}`;
  if (p.standard) {
    for (const c of p.standard.campaigns) {
      if (c.status !== 'VERIFIED') return `campaigns.${c.index} is ${c.status ?? 'missing'}, not VERIFIED`;
      const numbers = Object.entries(c.numbers);
      if (numbers.length === 0) return `campaigns.${c.index} has no number in its Messaging Service`;
      const missing = numbers.find(([, n]) => !n.added);
      if (missing) return `campaigns.${c.index}'s number ${missing[0]} is not in its Messaging Service`;
    }
    return undefined;
  }
  if (p.campaign.status !== 'VERIFIED')
    return `the campaign is ${p.campaign.status ?? 'missing'}, not VERIFIED`;
  if (p.steps.phoneNumber.status !== 'done')
    return `the phone number is ${p.steps.phoneNumber.status}, not attached`;
  return undefined;
}

/** The closing summary: every SID the registration made, and what the sandbox billed for it. */
export function demoSummary(p: RegistrationProgress, ledger: Ledger): string[] {
  const campaigns = p.standard?.campaigns ?? [];
  const sids = new Set([
    ...STEPS.map((s) => p.steps[s].sid),
    ...campaigns.flatMap((c) => [c.sid, ...c.previousSids]),
  ]);
  const mine = ledger.entries.filter((e) => sids.has(e.sid));
  const total = mine.reduce((sum, e) => sum + e.amountUsd, 0);
  const fees = [
    `fees in the sandbox ledger: ${mine.map((e) => `${e.kind} $${e.amountUsd} (${e.sid})`).join(', ') || 'none'}; total $${total}`,
    `fees the workflow recorded: ${p.fees.map((f) => f.kind).join(', ') || 'none'}`,
  ];
  if (p.standard)
    return [
      `registered ${p.customerId}: ${p.standard.brandType} brand ${p.steps.brand.sid ?? '-'}, ` +
        `identity ${p.brand.identityStatus ?? '-'}, vetting score ${p.standard.vetting?.score ?? '-'}`,
      ...(['customerProfile', 'trustBundle'] as const).map((s) =>
        `  ${s.padEnd(17)} ${p.steps[s].sid ?? '-'}  ${p.steps[s].twilioStatus ?? ''}`.trimEnd(),
      ),
      ...campaigns.map(
        (c) =>
          `  campaigns.${c.index}       ${c.usecase} ${c.sid ?? '-'} ${c.status ?? '-'} on ${c.messagingServiceSid ?? '-'}, ` +
          `numbers ${Object.keys(c.numbers).join(', ') || '-'}`,
      ),
      ...fees,
    ];
  return [
    `registered ${p.customerId}: campaign ${p.steps.campaign.sid} VERIFIED, number ${p.steps.phoneNumber.sid} on ${p.steps.messagingService.sid}`,
    ...STEPS.map((s) =>
      `  ${s.padEnd(17)} ${p.steps[s].sid ?? '-'}  ${p.steps[s].twilioStatus ?? ''}`.trimEnd(),
    ),
    `  brand identity    ${p.brand.identityStatus ?? '-'} after ${p.brand.otpSends} OTP(s)`,
    ...fees,
  ];
}

/** SIDs of the numbers some Messaging Service holds (a number joins one service only). */
async function numbersInServices(twilio: TwilioClient): Promise<Set<string>> {
  const used = new Set<string>();
  for (const service of await twilio.messaging.v1.services.list()) {
    for (const n of await twilio.messaging.v1.services(service.sid).phoneNumbers.list()) used.add(n.sid);
  }
  return used;
}

/**
 * A number of the account that no Messaging Service holds yet, so the demo can run again on a
 * sandbox that kept earlier runs. When all are taken, the oldest completed demo registration is
 * deregistered (its campaign, number and service removed), which frees its number.
 */
async function freeNumber(twilio: TwilioClient, registrar: RegistrarClient, log: Logger): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const used = await numbersInServices(twilio);
    const free = (await twilio.incomingPhoneNumbers.list()).find((n) => !used.has(n.sid));
    if (free) return free.sid;
    const oldest = (await registrar.listRegistrations({ phase: 'completed' }, 1000))
      .filter((r) => r.customerId?.startsWith(DEMO_PREFIX) && r.status === 'COMPLETED')
      .sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0];
    if (!oldest?.customerId) break;
    log('demo', `every sandbox number is in use: deregistering the oldest demo, ${oldest.customerId}`);
    const result = await registrar.deregister(oldest.customerId, { deleteMessagingService: true });
    log('demo', `removed ${result.removed.join(', ')}`);
  }
  throw new Error(
    'every phone number of the sandbox account is in a Messaging Service; remove .data/ to start afresh',
  );
}

export interface DemoOptions {
  /** Register the sample LLC's Standard brand instead of the sole proprietor. */
  standard?: boolean;
  timeoutMs?: number;
}

/**
 * Registers the sample sole proprietor in the sandbox and follows it to the end: the sandbox
 * answers the OTP as the customer, the webhook server turns the sandbox's callbacks into signals.
 * Resolves with the final progress when the campaign is VERIFIED and the number attached. With
 * `standard`, the sample LLC instead: its STANDARD brand vetted, its campaign VERIFIED.
 */
export async function runDemo(
  stack: Stack,
  log: Logger,
  options: DemoOptions = {},
): Promise<RegistrationProgress> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const sandbox = stack.sandbox;
  if (!sandbox) throw new Error('the demo runs against the sandbox only; unset TWILIO_ACCOUNT_SID');
  const registrar = new RegistrarClient(stack.client, stack.config);
  const customerId = demoCustomerId(new Date());
  const phoneNumberSid = await freeNumber(createTwilioClient(stack.config.twilio), registrar, log);
  const started = await registrar.startRegistration(
    options.standard
      ? demoStandardRequest(customerId, phoneNumberSid)
      : demoRequest(customerId, phoneNumberSid),
  );
  log(
    'demo',
    `${started.alreadyStarted ? 'following the running' : 'started'} ${started.workflowId} with number ${phoneNumberSid}`,
  );
  log(
    'demo',
    `watch it: ${stack.devServer.uiUrl}/namespaces/${stack.devServer.namespace}/workflows/${encodeURIComponent(started.workflowId)}`,
  );
  log('demo', `or: npx a2p status ${customerId}`);

  const handle = stack.client.workflow.getHandle(started.workflowId);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const { status } = await handle.describe();
    const progress = await registrar.getProgress(customerId);
    const line = progressLine(progress);
    if (line !== last) log('demo', line);
    last = line;
    if (status.name !== 'RUNNING') {
      const shortfall = demoShortfall(progress);
      if (shortfall) throw new Error(`${started.workflowId} ${status.name}: ${shortfall}`);
      for (const l of demoSummary(progress, await sandbox.control.ledger())) log('demo', l);
      return progress;
    }
    if (STUCK_PHASES.has(progress.phase)) {
      const latest = progress.issues.at(-1);
      throw new Error(
        `${started.workflowId} is in ${progress.phase}${latest ? `: ${latest.message}` : ''}. ` +
          `It waits for a correction (npm start, then npx a2p status ${customerId}).`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`the demo registration did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
