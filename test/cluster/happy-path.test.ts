import type { RegistrationProgress } from '../../src/shared';
import { devServerAddress } from '../helpers/dev-server';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { CLUSTER_NAMESPACES } from './namespaces';
import { registrationRequest } from './requests';
import {
  activityRuns,
  describeRuns,
  startWorkerProcesses,
  stopWorkerProcesses,
  type WorkerProcess,
} from './worker-processes';

const NAMESPACE = CLUSTER_NAMESPACES.happyPath;

/**
 * Sole Proprietor registrations on the production-shaped cluster: the Go server on PostgreSQL with
 * SQL visibility, two worker processes, the webhook server and the sandbox. Polling is an hour,
 * so every review that moved a registration came in as a callback, which the webhook server
 * matched to its workflow by a search-attribute look-up on SQL visibility.
 */
describe('on the cluster: registrations with two worker processes', () => {
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

  async function register(n: number): Promise<RegistrationProgress> {
    const request = registrationRequest(n, 'cluster-happy');
    await stack.registrar.startRegistration(request);
    const p = await stack.until(
      request.customerId,
      (p) => p.phase === 'brand-verification',
      'OTP sent',
      120_000,
    );
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    return stack.until(request.customerId, (p) => p.outcome !== undefined, 'the end', 120_000);
  }

  test('four registrations started together all complete, each fee paid once, the work shared by both processes', async () => {
    const started = Date.now();
    const results = await Promise.all([1, 2, 3, 4].map(register));
    const seconds = (Date.now() - started) / 1000;

    for (const done of results) {
      expect(done.outcome).toBe('completed');
      expect(done.steps.campaign.twilioStatus).toBe('VERIFIED');
      expect(done.steps.phoneNumber.status).toBe('done');
    }
    const { entries } = await stack.sandbox.control.ledger();
    for (const done of results) {
      const mine = entries.filter((e) => e.sid === done.steps.brand.sid || e.sid === done.steps.campaign.sid);
      expect(mine.map((e) => e.kind).sort()).toEqual(['brand-registration', 'campaign-vetting']);
    }
    expect(entries).toHaveLength(8);

    // The operator's view, from SQL visibility: a2p list --phase completed.
    const ids = results.map((r) => r.customerId).sort();
    let listed: string[] = [];
    for (let i = 0; i < 100 && listed.length < ids.length; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      listed = (await stack.registrar.listRegistrations({ phase: 'completed' }))
        .map((s) => s.customerId ?? '')
        .filter((id) => ids.includes(id))
        .sort();
    }
    expect(listed).toEqual(ids);

    const runs = await activityRuns(stack.client, workers);
    process.stdout.write(`\n${describeRuns(runs, workers)}\n`);
    process.stdout.write(
      `throughput: ${results.length} registrations in ${seconds.toFixed(1)} s with two worker processes ` +
        `(settle delay ${stack.env.A2P_SETTLE_DELAY}): ${((results.length / seconds) * 60).toFixed(1)} per minute\n`,
    );
    // Every activity was completed by one of the two processes, and each did its share.
    expect(runs.every((r) => r.worker === 'worker-a' || r.worker === 'worker-b')).toBe(true);
    expect(runs.filter((r) => r.worker === 'worker-a').length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.worker === 'worker-b').length).toBeGreaterThan(0);
  }, 300_000);
});
