import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { SAMPLE_REGISTRATION_REQUEST, SAMPLE_STANDARD_REQUEST } from '../../src/domain';
import type { CommittedRequest } from '../../src/sandbox';
import { externalCampaignWorkflowId, type ExternalCampaignProgress } from '../../src/shared';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import {
  externalCampaignMinimum,
  FeeAudit,
  PAID_STEPS,
  type PaidStep,
  soleProprietorMinimum,
  standardMinimum,
} from '../helpers/fee-audit';

const NAMESPACE = 'a2p-e2e-crash';

/**
 * The worker process dies (SIGKILL) while a paid call is in flight: the sandbox has committed it
 * (the bundle is submitted, the brand or campaign exists, the association is made) but the worker
 * never hears back. The kill comes from the sandbox's commit hook, at exactly that moment, not
 * from watching the request log. A new worker process retries the activity after its start-to-close
 * timeout, and the activity must find what the dead one paid for instead of paying again.
 */
describe('a worker killed while a paid call is in flight', () => {
  let stack: E2EStack;
  let fees: FeeAudit;
  let worker: ChildProcess | undefined;
  const kills: { step: string; at: string }[] = [];
  const rows: string[] = [];

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE, { startWorker: false });
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack?.stop();
    if (rows.length) console.log(['Worker SIGKILL after commit (e2e):', ...rows].join('\n'));
  });

  function startWorkerProcess(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker-process.ts')], {
      env: { ...process.env, ...stack.env, A2P_TEST_NAMESPACE: NAMESPACE },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    worker = proc;
    return new Promise((ready, fail) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker-process: running')) ready(proc);
      });
      proc.once('exit', (code, signal) => fail(new Error(`worker process exited early (${code ?? signal})`)));
    });
  }

  /**
   * Kills the worker when the first call of each of `steps` has committed, before the answer
   * leaves, and starts a fresh worker process in its place.
   */
  function killOnCommit(steps: { endpoint: string; step: string }[]): () => void {
    const pending = new Map<string, string>(steps.map((s) => [s.endpoint, s.step]));
    return stack.sandbox.onCommit((c: CommittedRequest) => {
      const step = pending.get(c.endpoint);
      if (!step || !worker) return;
      pending.delete(c.endpoint);
      worker.kill('SIGKILL');
      worker = undefined;
      kills.push({ step, at: c.path });
      void startWorkerProcess();
    });
  }

  const step = (key: PaidStep['key']) => PAID_STEPS.find((s) => s.key === key) as PaidStep;

  test('killed at each submission, the brand create and the campaign create, the registration completes at the minimum', async () => {
    const off = killOnCommit([
      step('customerProfileSubmissions'),
      step('trustBundleSubmissions'),
      step('brandCreates'),
      step('campaignCreates'),
    ]);
    try {
      await startWorkerProcess();
      const customerId = `e2e-crash-${Date.now()}`;
      await stack.registrar.startRegistration({ ...SAMPLE_REGISTRATION_REQUEST, customerId });
      const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 150_000);
      await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
      const done = await stack.until(customerId, (p) => p.outcome !== undefined, 'the end', 120_000);
      expect(done.outcome).toBe('completed');
    } finally {
      off();
    }
    expect(kills.map((k) => k.step)).toEqual([
      'customer-profile submission',
      'trust-bundle submission',
      'brand create',
      'campaign create',
    ]);
    const audit = await fees.expectMinimum(soleProprietorMinimum());
    for (const k of kills) rows.push(`  ${k.step.padEnd(28)} worker SIGKILL -> ledger ${audit.totalUsd} USD`);
  }, 300_000);

  test("killed while creating a Standard customer's subaccount and its brand, it makes each once", async () => {
    const off = killOnCommit([
      { step: 'subaccount create', endpoint: 'POST /api/2010-04-01/Accounts.json' },
      step('brandCreates'),
    ]);
    const before = kills.length;
    try {
      if (!worker) await startWorkerProcess();
      const customerId = `e2e-crash-standard-${Date.now()}`;
      const request = structuredClone(SAMPLE_STANDARD_REQUEST);
      request.customerId = customerId;
      request.subaccount = true;
      request.campaigns[0].phoneNumberSids = ['PN00000000000000000000000000000003'];
      await stack.registrar.startRegistration(request);
      const done = await stack.until(customerId, (p) => p.outcome !== undefined, 'the end', 240_000);
      expect(done.outcome).toBe('completed');
    } finally {
      off();
    }
    expect(kills.slice(before).map((k) => k.step)).toEqual(['subaccount create', 'brand create']);
    const audit = await fees.expectMinimum(standardMinimum({ campaigns: 1, subaccount: true }));
    for (const k of kills.slice(before))
      rows.push(`  ${k.step.padEnd(28)} worker SIGKILL -> ledger ${audit.totalUsd} USD`);
  }, 300_000);

  test('killed during the external campaign association, it is associated once', async () => {
    const off = killOnCommit([step('externalAssociations')]);
    try {
      if (!worker) await startWorkerProcess();
      const campaignId = `C${Date.now().toString(36).toUpperCase().slice(-6)}`;
      await stack.registrar.startExternalCampaign({
        campaignId,
        phoneNumberSids: ['PN00000000000000000000000000000002'],
      });
      await stack.sandbox.control.shareExternalCampaign(campaignId, true);
      const result = (await stack.client.workflow
        .getHandle(externalCampaignWorkflowId(campaignId))
        .result()) as ExternalCampaignProgress;
      expect(result.outcome).toBe('completed');
    } finally {
      off();
    }
    expect(kills.at(-1)?.step).toBe('external association');
    const audit = await fees.expectMinimum(externalCampaignMinimum());
    rows.push(`  ${'external association'.padEnd(28)} worker SIGKILL -> ledger ${audit.totalUsd} USD`);
  }, 180_000);
});
