import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import type { RegistrationProgress } from '../../src/shared';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';

const NAMESPACE = 'a2p-e2e-crash';

/**
 * The worker process dies (SIGKILL) while a paid create is in flight: the brand exists at
 * Twilio but the worker never heard back. A new worker finishes the registration, and the
 * idempotent activities find what the dead one made instead of paying for it again.
 */
describe('a worker killed mid-registration', () => {
  let stack: E2EStack;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE, { startWorker: false });
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.stop();
  });

  function startWorkerProcess(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker-process.ts')], {
      env: { ...process.env, ...stack.env, A2P_TEST_NAMESPACE: NAMESPACE },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((ready, fail) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker-process: running')) ready(proc);
      });
      proc.once('exit', (code) => fail(new Error(`worker process exited early with ${code}`)));
    });
  }

  test('a new worker completes the registration with no duplicate Twilio resource', async () => {
    child = await startWorkerProcess();
    // Slow every Twilio answer so activities are in flight when the process dies.
    await stack.sandbox.control.setFaults({ latencyMs: 1_500 });
    const customerId = `e2e-crash-${Date.now()}`;
    await stack.registrar.startRegistration({ ...SAMPLE_REGISTRATION_REQUEST, customerId });

    // Kill the worker as soon as the brand create has reached Twilio, before its answer returns.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { entries: log } = await stack.sandbox.control.requests();
      if (log.some((e) => e.method === 'POST' && /BrandRegistrations$/.test(e.path))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    child = undefined;
    await stack.sandbox.control.setFaults({});

    await stack.startWorker();
    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 90_000);
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    const done: RegistrationProgress = await stack.until(
      customerId,
      (p) => p.outcome !== undefined,
      'the end',
      90_000,
    );
    expect(done.outcome).toBe('completed');

    const { entries: log } = await stack.sandbox.control.requests();
    const creates = (pattern: RegExp) =>
      log.filter((e) => e.method === 'POST' && pattern.test(e.path)).length;
    expect(creates(/\/a2p\/BrandRegistrations$/)).toBe(1);
    expect(creates(/\/CustomerProfiles$/)).toBe(1);
    expect(creates(/\/TrustProducts$/)).toBe(1);
    expect(creates(/\/Compliance\/Usa2p$/)).toBe(1);
    const { entries } = await stack.sandbox.control.ledger();
    expect(
      entries.filter((e) => e.kind === 'brand-registration' && e.sid === done.steps.brand.sid),
    ).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'campaign-vetting')).toHaveLength(1);
  }, 180_000);
});
