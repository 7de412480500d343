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

const NAMESPACE = CLUSTER_NAMESPACES.remediation;

/**
 * Rejections the sandbox's test data chooses, corrected with `submitCorrection` (the update an
 * operator sends with `a2p correct`), on the cluster with two worker processes. The workflow
 * waits for the correction in state persisted in PostgreSQL, whichever process picks it up.
 */
describe('on the cluster: failure and remediation with two worker processes', () => {
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

  async function finish(customerId: string): Promise<RegistrationProgress> {
    const p = await stack.until(customerId, (p) => p.phase === 'brand-verification', 'OTP sent', 120_000);
    await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
    return stack.until(customerId, (p) => p.outcome !== undefined, 'the end', 120_000);
  }

  async function feesFor(p: RegistrationProgress): Promise<string[]> {
    const { entries } = await stack.sandbox.control.ledger();
    return entries
      .filter((e) => e.sid === p.steps.brand.sid || e.sid === p.steps.campaign.sid)
      .map((e) => e.kind)
      .sort();
  }

  test('a rejected profile and a FAILED campaign are corrected and both registrations complete, each fee paid once', async () => {
    const profile = registrationRequest(
      1,
      'cluster-fix',
      (r) => (r.soleProprietor.email = 'jane1@mailinator.com'),
    );
    const campaign = registrationRequest(
      2,
      'cluster-fix',
      (r) => (r.campaign.messageFlow = `${r.campaign.messageFlow} #fail-message-flow`),
    );
    const originalFlow = registrationRequest(2, 'unused').campaign.messageFlow;
    await Promise.all([
      stack.registrar.startRegistration(profile),
      stack.registrar.startRegistration(campaign),
    ]);

    const fixProfile = async () => {
      const rejected = await stack.until(
        profile.customerId,
        (p) => p.phase === 'needs-correction',
        'profile rejection',
        120_000,
      );
      expect(rejected.issues.at(-1)?.message).toContain('Email is a suspected disposable address.');
      expect(rejected.steps.brand.sid).toBeUndefined();
      await stack.registrar.submitCorrection(profile.customerId, {
        soleProprietor: { email: 'jane1@example.org' },
      });
      return finish(profile.customerId);
    };
    const fixCampaign = async () => {
      const p = await stack.until(
        campaign.customerId,
        (p) => p.phase === 'brand-verification',
        'OTP sent',
        120_000,
      );
      await stack.sandbox.control.answerOtp(p.steps.brand.sid as string);
      const failed = await stack.until(
        campaign.customerId,
        (p) => p.phase === 'needs-correction',
        'campaign failure',
        120_000,
      );
      expect(failed.steps.campaign.twilioStatus).toBe('FAILED');
      expect(failed.issues.at(-1)?.fields?.join(' ')).toContain('30909');
      await stack.registrar.submitCorrection(
        campaign.customerId,
        {
          campaign: { messageFlow: originalFlow },
        },
        { acceptFee: true },
      );
      return stack.until(campaign.customerId, (p) => p.outcome !== undefined, 'the end', 120_000);
    };
    const [profileDone, campaignDone] = await Promise.all([fixProfile(), fixCampaign()]);

    expect(profileDone.outcome).toBe('completed');
    expect(await feesFor(profileDone)).toEqual(['brand-registration', 'campaign-vetting']);
    expect(campaignDone.outcome).toBe('completed');
    // The failed campaign was deleted and recreated: one brand fee, a vetting fee per campaign.
    expect(campaignDone.fees.map((f) => f.kind).sort()).toEqual([
      'brand-registration',
      'campaign-vetting',
      'campaign-vetting',
    ]);
    const { entries } = await stack.sandbox.control.ledger();
    expect(entries.filter((e) => e.kind === 'brand-registration')).toHaveLength(2);
    expect(entries.filter((e) => e.kind === 'campaign-vetting')).toHaveLength(3);

    const runs = await activityRuns(stack.client, workers);
    process.stdout.write(`\n${describeRuns(runs, workers)}\n`);
    expect(runs.every((r) => r.worker === 'worker-a' || r.worker === 'worker-b')).toBe(true);
  }, 300_000);
});
