import { RegistrarClient } from '../client';
import { SAMPLE_REGISTRATION_REQUEST } from '../domain';
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

/**
 * A number of the account that no Messaging Service holds yet (a number joins one service only),
 * so the demo can run again on a sandbox that kept the previous run's registrations.
 */
async function freeNumber(twilio: TwilioClient): Promise<string> {
  const used = new Set<string>();
  for (const service of await twilio.messaging.v1.services.list()) {
    for (const n of await twilio.messaging.v1.services(service.sid).phoneNumbers.list()) used.add(n.sid);
  }
  const free = (await twilio.incomingPhoneNumbers.list()).find((n) => !used.has(n.sid));
  if (!free) throw new Error('every phone number of the account is already in a Messaging Service');
  return free.sid;
}

/** One line that changes whenever something visible about the registration changes. */
export function progressLine(p: RegistrationProgress): string {
  const steps = STEPS.map(
    (s) => `${s}=${p.steps[s].status}${p.steps[s].twilioStatus ? `(${p.steps[s].twilioStatus})` : ''}`,
  );
  const identity = p.brand.identityStatus ? ` identity=${p.brand.identityStatus}` : '';
  return `${p.phase}${p.waitingFor ? ` · waiting for ${p.waitingFor.what}` : ''} | ${steps.join(' ')}${identity}`;
}

/**
 * Registers the sample sole proprietor in the sandbox and follows it to the end: the sandbox
 * answers the OTP as the customer, the webhook server turns the sandbox's callbacks into signals.
 */
export async function runDemo(
  stack: Stack,
  log: Logger,
  timeoutMs = 10 * 60_000,
): Promise<RegistrationProgress> {
  const registrar = new RegistrarClient(stack.client, stack.config);
  const customerId = `demo-${new Date()
    .toISOString()
    .replace(/[-:T.Z]/g, '')
    .slice(0, 14)}`;
  const phoneNumberSid = await freeNumber(createTwilioClient(stack.config.twilio));
  const started = await registrar.startRegistration({
    ...SAMPLE_REGISTRATION_REQUEST,
    customerId,
    phoneNumberSid,
  });
  log('demo', `started ${started.workflowId}`);
  log(
    'demo',
    `watch it: ${stack.devServer.uiUrl}/namespaces/default/workflows/${encodeURIComponent(started.workflowId)}`,
  );

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
      if (progress.outcome !== 'completed')
        throw new Error(
          `registration ended as ${progress.outcome ?? status.name}: ${progress.guidance ?? ''}`,
        );
      const ledger = await stack.sandbox.control.ledger();
      log(
        'demo',
        `done: campaign ${progress.steps.campaign.sid} VERIFIED, number ${progress.steps.phoneNumber.sid} on ${progress.steps.messagingService.sid}`,
      );
      log('demo', `fees recorded by the workflow: ${progress.fees.map((f) => f.kind).join(', ')}`);
      const mine = ledger.entries.filter(
        (e) => e.sid === progress.steps.brand.sid || e.sid === progress.steps.campaign.sid,
      );
      log(
        'demo',
        `sandbox fee ledger for this registration: ${mine.map((e) => `${e.kind} $${e.amountUsd}`).join(', ')}`,
      );
      return progress;
    }
    if (Date.now() > deadline)
      throw new Error(`demo registration did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
