import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import {
  campaignShareSignal,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND,
  externalCampaignWorkflowId,
} from '../../src/shared';
import type { externalCampaignRegistration } from '../../src/workflows';
import { FakeTwilio } from '../workflows/fake-twilio';
import { TIMINGS } from '../workflows/harness';
import { devServerClient, devServerWorkerConnection } from '../helpers/dev-server';

const NAMESPACE = 'a2p-e2e-rate-limit';

/**
 * 003: "Rate limit: One request per five seconds", per account. Two worker processes' worth of
 * workers poll the ExternalCampaign queue; the server's task-queue rate limit must hold for both
 * together, which a per-process limiter could not.
 */
describe('ExternalCampaign API pacing across workers', () => {
  let client: Client;
  let connections: NativeConnection[];

  beforeAll(async () => {
    client = await devServerClient(NAMESPACE);
    connections = await Promise.all([devServerWorkerConnection(), devServerWorkerConnection()]);
  });
  afterAll(async () => {
    await client?.connection.close();
    await Promise.all((connections ?? []).map((c) => c.close()));
  });

  test('four campaigns shared at once are associated at least five seconds apart, across two workers', async () => {
    const fake = new FakeTwilio(() => Date.now());
    const associations: number[] = [];
    const activities = fake.activities();
    const recording = {
      ...activities,
      associateExternalCampaign: async (input: { messagingServiceSid: string; campaignId: string }) => {
        associations.push(Date.now());
        return { sid: 'QE2c6890da8086d771620e9b13fadeba0b', campaignId: input.campaignId, created: true };
      },
    };
    const taskQueue = `rate-limit-${Date.now()}`;
    const main = await Worker.create({
      connection: connections[0],
      namespace: NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows'),
      activities: recording,
    });
    const limited = await Promise.all(
      connections.map((connection) =>
        Worker.create({
          connection,
          namespace: NAMESPACE,
          taskQueue: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
          activities: recording,
          maxTaskQueueActivitiesPerSecond: EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND,
        }),
      ),
    );
    const run = async () => {
      const ids = ['CRATE01', 'CRATE02', 'CRATE03', 'CRATE04'];
      const handles = await Promise.all(
        ids.map((campaignId) =>
          client.workflow.start<typeof externalCampaignRegistration>('externalCampaignRegistration', {
            taskQueue,
            workflowId: `${externalCampaignWorkflowId(campaignId)}-${taskQueue}`,
            args: [{ request: { campaignId, phoneNumberSids: [] }, timings: TIMINGS }],
          }),
        ),
      );
      await Promise.all(
        handles.map((h, i) =>
          h.signal(campaignShareSignal, {
            eventId: `share-${i}`,
            occurredAt: new Date().toISOString(),
            campaignId: ids[i],
            type: 'CAMPAIGN_SHARE_ACCEPT',
          }),
        ),
      );
      const deadline = Date.now() + 60_000;
      while (associations.length < ids.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await Promise.all(handles.map((h) => h.terminate('test finished')));
    };
    await limited.reduce((inner, w) => w.runUntil(inner), main.runUntil(run()));

    expect(associations).toHaveLength(4);
    const sorted = [...associations].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]);
    // Allow for the server's token-bucket granularity and clock reads on our side.
    console.log(JSON.stringify(gaps));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(4_500);
  }, 90_000);
});
