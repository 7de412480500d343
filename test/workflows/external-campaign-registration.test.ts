import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  campaignShareSignal,
  campaignStatusSignal,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  externalCampaignProgressQuery,
  externalCampaignWorkflowId,
  type ExternalCampaignProgress,
} from '../../src/shared';
import type { externalCampaignRegistration } from '../../src/workflows';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { FakeTwilio } from './fake-twilio';
import { envelope, terminateIfRunning, TIMINGS } from './harness';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let n = 0;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

async function withExternal(
  body: (ctx: {
    fake: FakeTwilio;
    campaignId: string;
    handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof externalCampaignRegistration>>>;
    until: (
      pred: (p: ExternalCampaignProgress) => boolean,
      what: string,
    ) => Promise<ExternalCampaignProgress>;
  }) => Promise<void>,
) {
  const fake = new FakeTwilio(() => Context.current().info.currentAttemptScheduledTimestampMs);
  const activities = fake.activities();
  const taskQueue = `external-test-${++n}`;
  const campaignId = `C${String(n).padStart(6, '0')}`.slice(0, 7);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
  });
  const rateLimited = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
    activities,
  });
  await rateLimited.runUntil(
    worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof externalCampaignRegistration>(
        'externalCampaignRegistration',
        {
          taskQueue,
          workflowId: externalCampaignWorkflowId(`${campaignId}-${Date.now()}`),
          args: [
            {
              request: { campaignId, phoneNumberSids: ['PN00000000000000000000000000000001'] },
              timings: TIMINGS,
            },
          ],
        },
      );
      const until = async (pred: (p: ExternalCampaignProgress) => boolean, what: string) => {
        for (let i = 0; i < 400; i++) {
          const p = await handle.query(externalCampaignProgressQuery);
          if (pred(p)) return p;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(
          `Timed out waiting for ${what}: ${JSON.stringify(await handle.query(externalCampaignProgressQuery))}`,
        );
      };
      try {
        await body({ fake, campaignId, handle, until });
      } finally {
        await terminateIfRunning(handle);
      }
    }),
  );
}

describe('externalCampaignRegistration', () => {
  test('waits for CAMPAIGN_SHARE_ACCEPT, associates once, and completes when VERIFIED', async () => {
    await withExternal(async ({ fake, campaignId, handle, until }) => {
      const waiting = await until((p) => p.phase === 'awaiting-share', 'awaiting share');
      expect(waiting.phoneNumberSids).toEqual(['PN00000000000000000000000000000001']);
      expect(fake.numbers).toEqual(['PN00000000000000000000000000000001']);
      expect(fake.associations).toHaveLength(0);

      await handle.signal(campaignShareSignal, { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' });
      const p = await until((p) => p.phase === 'awaiting-verification', 'associated');
      expect(fake.associations).toHaveLength(1);
      await handle.signal(campaignStatusSignal, {
        ...envelope(),
        messagingServiceSid: p.messagingServiceSid as string,
        campaignStatus: 'VERIFIED',
      });
      const result = await handle.result();
      expect(result.outcome).toBe('completed');
      expect(result.associations).toBe(1);
    });
  });

  test('a CAMPAIGN_SHARE_DELETE records the feedback, deletes the association, and re-associates 5 s after a re-share', async () => {
    await withExternal(async ({ fake, campaignId, handle, until }) => {
      await until((p) => p.phase === 'awaiting-share', 'awaiting share');
      await handle.signal(campaignShareSignal, { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' });
      await until((p) => p.phase === 'awaiting-verification', 'associated');

      await handle.signal(campaignShareSignal, {
        ...envelope(),
        campaignId,
        type: 'CAMPAIGN_SHARE_DELETE',
        feedback: 'Secondary DCA rejected: opt-in language missing',
      });
      const deleted = await until(
        (p) => p.phase === 'awaiting-share',
        'association deleted, awaiting re-share',
      );
      expect(deleted.shareFeedback).toBe('Secondary DCA rejected: opt-in language missing');
      expect(fake.calls.deleteCampaign).toBe(1);

      await handle.signal(campaignShareSignal, { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' });
      await env.sleep(4_000);
      expect(fake.associations).toHaveLength(1);
      await env.sleep(1_500);
      const again = await until((p) => p.phase === 'awaiting-verification', 're-associated');
      expect(fake.associations).toHaveLength(2);
      expect(fake.associations[1].at - fake.associations[0].at).toBeGreaterThanOrEqual(5_000);
      expect(again.associations).toBe(2);
    });
  });

  test('ignores events for other campaigns, and an accept delivered again after a delete', async () => {
    await withExternal(async ({ fake, campaignId, handle, until }) => {
      await until((p) => p.phase === 'awaiting-share', 'awaiting share');
      await handle.signal(campaignShareSignal, {
        ...envelope(),
        campaignId: 'CZZZZZZ',
        type: 'CAMPAIGN_SHARE_ACCEPT',
      });
      const accept = { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' as const };
      expect((await handle.query(externalCampaignProgressQuery)).phase).toBe('awaiting-share');
      await handle.signal(campaignShareSignal, accept);
      await until((p) => p.phase === 'awaiting-verification', 'associated');
      await handle.signal(campaignShareSignal, {
        ...envelope(),
        campaignId,
        type: 'CAMPAIGN_SHARE_DELETE',
        feedback: 'Secondary DCA rejected: opt-in language missing',
      });
      await until((p) => p.phase === 'awaiting-share' && p.shareFeedback !== undefined, 'share deleted');
      // The first accept arrives again (at-least-once delivery): it must not re-associate (a fee).
      await handle.signal(campaignShareSignal, accept);
      await env.sleep(60_000);
      expect((await handle.query(externalCampaignProgressQuery)).phase).toBe('awaiting-share');
      expect(fake.associations).toHaveLength(1);
      // A new accept does: the wait above was for the right thing.
      await handle.signal(campaignShareSignal, { ...envelope(), campaignId, type: 'CAMPAIGN_SHARE_ACCEPT' });
      await until((p) => p.phase === 'awaiting-verification', 're-associated');
      expect(fake.associations).toHaveLength(2);
    });
  });
});
