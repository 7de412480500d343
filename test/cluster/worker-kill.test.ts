import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain';
import { registrationWorkflowId, type RegistrationProgress } from '../../src/shared';
import { devServerAddress } from '../helpers/dev-server';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { CLUSTER_NAMESPACES } from './namespaces';
import {
  activityRuns,
  describeRuns,
  startWorkerProcesses,
  stopWorkerProcesses,
  type WorkerProcess,
} from './worker-processes';

const NAMESPACE = CLUSTER_NAMESPACES.workerKill;

/**
 * Two worker processes; the one running the paid brand create is SIGKILLed while its request is
 * at Twilio (the brand exists, the answer never arrives). The other process, still polling,
 * retries the activity after its timeout and finishes the registration; the idempotent activity
 * finds the brand the dead process made instead of paying for a second one.
 */
describe('on the cluster: a worker process killed mid-registration', () => {
  let stack: E2EStack;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE, { startWorker: false });
    workers = await startWorkerProcesses(['worker-a', 'worker-b'], NAMESPACE, {
      ...stack.env,
      TEMPORAL_ADDRESS: devServerAddress(),
    });
  }, 120_000);
  afterAll(async () => {
    await stopWorkerProcesses(workers);
    await stack?.stop();
  });

  test('the surviving process completes the registration with one brand and one campaign fee', async () => {
    // Slow every Twilio answer so the brand create is still in flight when its process dies.
    await stack.sandbox.control.setFaults({ latencyMs: 1_500 });
    const customerId = `cluster-kill-${Date.now()}`;
    await stack.registrar.startRegistration({ ...SAMPLE_REGISTRATION_REQUEST, customerId });
    const handle = stack.client.workflow.getHandle(registrationWorkflowId(customerId));

    // The sandbox holds the brand create for 1.5 s before committing it: meanwhile the server
    // says which process runs ensureBrand. That process is killed the moment the create has
    // committed, before Twilio's answer leaves, so the survivor must find the brand, not make one.
    const brands = /\/a2p\/BrandRegistrations$/;
    let victim: WorkerProcess | undefined;
    let killedAt = 0;
    const killed = new Promise<void>((done) => {
      const off = stack.sandbox.onCommit((c) => {
        if (c.endpoint !== 'POST /messaging/v1/a2p/BrandRegistrations' || !victim) return;
        off();
        killedAt = Date.now();
        victim.process.kill('SIGKILL');
        done();
      });
    });
    const deadline = Date.now() + 90_000;
    while (!victim && Date.now() < deadline) {
      const { raw } = await handle.describe();
      const running = raw.pendingActivities?.find((a) => a.activityType?.name === 'ensureBrand');
      victim = workers.find((w) => w.identity === running?.lastWorkerIdentity);
      if (!victim) await new Promise((r) => setTimeout(r, 20));
    }
    if (!victim) throw new Error('no worker process ever ran ensureBrand');
    await killed;
    await victim.exited;
    const survivor = workers.find((w) => w !== victim) as WorkerProcess;
    await stack.sandbox.control.setFaults({});

    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 120_000);
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    const done: RegistrationProgress = await stack.until(
      customerId,
      (p) => p.outcome !== undefined,
      'the end',
      120_000,
    );
    expect(done.outcome).toBe('completed');
    process.stdout.write(
      `\n${victim.name} killed during ensureBrand; ${survivor.name} finished the registration ` +
        `${((Date.now() - killedAt) / 1000).toFixed(1)} s later\n`,
    );

    const { entries: log } = await stack.sandbox.control.requests();
    const creates = (pattern: RegExp) =>
      log.filter((e) => e.method === 'POST' && pattern.test(e.path)).length;
    // One brand create, and it is the dead process's: it reached Twilio before the kill.
    const brandPosts = log.filter((e) => e.method === 'POST' && brands.test(e.path));
    expect(brandPosts).toHaveLength(1);
    expect(Date.parse(brandPosts[0].time) - brandPosts[0].durationMs).toBeLessThan(killedAt);
    expect(creates(/\/CustomerProfiles$/)).toBe(1);
    expect(creates(/\/TrustProducts$/)).toBe(1);
    expect(creates(/\/Compliance\/Usa2p$/)).toBe(1);
    const { entries: fees } = await stack.sandbox.control.ledger();
    expect(fees.map((e) => e.kind).sort()).toEqual(['brand-registration', 'campaign-vetting']);

    // The brand activity the victim started was completed by the survivor.
    const runs = await activityRuns(stack.client, workers);
    process.stdout.write(`${describeRuns(runs, workers)}\n`);
    expect(runs.find((r) => r.activityType === 'ensureBrand')?.worker).toBe(survivor.name);
    expect(runs.filter((r) => r.worker === survivor.name).length).toBeGreaterThan(0);
  }, 300_000);
});
