import { temporal } from '@temporalio/proto';
import {
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  externalCampaignWorkflowId,
  type ExternalCampaignProgress,
} from '../../src/shared';
import { devServerAddress } from '../helpers/dev-server';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { CLUSTER_NAMESPACES } from './namespaces';
import {
  activityRuns,
  startWorkerProcesses,
  stopWorkerProcesses,
  type WorkerProcess,
} from './worker-processes';

const NAMESPACE = CLUSTER_NAMESPACES.rateLimit;
/** 003: "Rate limit: One request per five seconds", per account. */
const MIN_GAP_MS = 5_000;

/**
 * 003's ExternalCampaign limit holds for the account, not per process: both worker processes
 * poll the a2p-external-campaign-api queue, and the server's task-queue rate limit (one
 * partition, from docker/dynamicconfig.yaml) spaces the associations for both together. Measured
 * where Twilio would see it: the sandbox's request log.
 */
describe('on the cluster: the ExternalCampaign rate limit across two worker processes', () => {
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

  async function untilExternal(
    campaignId: string,
    pred: (p: ExternalCampaignProgress) => boolean,
    what: string,
  ) {
    const handle = stack.client.workflow.getHandle(externalCampaignWorkflowId(campaignId));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const p = await handle
        .query<ExternalCampaignProgress>('externalCampaignProgress')
        .catch(() => undefined);
      if (p && pred(p)) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Timed out waiting for ${what} of ${campaignId}`);
  }

  async function pollerIdentities(): Promise<string[]> {
    const { pollers } = await stack.client.workflowService.describeTaskQueue({
      namespace: NAMESPACE,
      taskQueue: {
        name: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
        kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
      },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    return (pollers ?? []).map((p) => p.identity ?? '').sort();
  }

  test('four campaigns shared at once are associated at least five seconds apart, and all verify', async () => {
    const stamp = Date.now().toString(36).toUpperCase().slice(-5);
    const ids = [1, 2, 3, 4].map((i) => `C${i}${stamp}`);
    await Promise.all(
      ids.map((campaignId, i) =>
        stack.registrar.startExternalCampaign({
          campaignId,
          phoneNumberSids: [`PN${String(i + 1).padStart(32, '0')}`],
        }),
      ),
    );
    await Promise.all(
      ids.map((id) => untilExternal(id, (p) => p.phase === 'awaiting-share', 'awaiting share')),
    );

    // Both processes poll the rate-limited queue.
    const identities = workers.map((w) => w.identity).sort();
    let polling: string[] = [];
    for (let i = 0; i < 100 && identities.some((id) => !polling.includes(id)); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      polling = await pollerIdentities();
    }
    expect(polling).toEqual(expect.arrayContaining(identities));

    // TCR's CAMPAIGN_SHARE_ACCEPT for all four at once, through the TCR webhook.
    await Promise.all(ids.map((id) => stack.sandbox.control.shareExternalCampaign(id, true)));
    const results = await Promise.all(
      ids.map(
        (id) =>
          stack.client.workflow
            .getHandle(externalCampaignWorkflowId(id))
            .result() as Promise<ExternalCampaignProgress>,
      ),
    );
    // The sandbox fails an association that came within five seconds of the last (30897).
    for (const result of results) {
      expect(result.outcome).toBe('completed');
      expect(result.associations).toBe(1);
    }

    const { entries: log } = await stack.sandbox.control.requests();
    const starts = log
      .filter((e) => e.method === 'POST' && e.path.endsWith('/PreregisteredUsa2p'))
      .map((e) => Date.parse(e.time) - e.durationMs)
      .sort((a, b) => a - b);
    expect(starts).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    const runs = (await activityRuns(stack.client, workers)).filter(
      (r) => r.activityType === 'associateExternalCampaign',
    );
    process.stdout.write(
      `\nExternalCampaign associations (POST PreregisteredUsa2p) at the sandbox, gaps in ms: ${gaps.join(', ')}` +
        ` (limit ${MIN_GAP_MS}); run by ${runs.map((r) => r.worker).join(', ')}\n`,
    );
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_GAP_MS);
  }, 180_000);
});
