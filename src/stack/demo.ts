import { RegistrarClient } from '../client';
import { SAMPLE_REGISTRATION_REQUEST } from '../domain';
import type { RegistrationProgress, StepName } from '../shared';
import type { Logger, Stack } from './start';

const STEPS: StepName[] = [
  'customerProfile',
  'trustBundle',
  'brand',
  'messagingService',
  'campaign',
  'phoneNumber',
];

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
  const started = await registrar.startRegistration({ ...SAMPLE_REGISTRATION_REQUEST, customerId });
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
      log('demo', `sandbox fee ledger: ${JSON.stringify(ledger)}`);
      return progress;
    }
    if (Date.now() > deadline)
      throw new Error(`demo registration did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
