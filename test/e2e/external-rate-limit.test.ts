import type { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS } from '../../src/domain/rules';
import { SEEDED_NUMBERS } from '../../src/sandbox';
import { externalCampaignWorkflowId, type ExternalCampaignProgress } from '../../src/shared';
import { createWorkers } from '../../src/worker';
import { devServerWorkerConnection } from '../helpers/dev-server';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { externalCampaignMinimum, FeeAudit, PAID_STEPS } from '../helpers/fee-audit';

const NAMESPACE = 'a2p-e2e-rate-limit';
const ASSOCIATE = PAID_STEPS.find((s) => s.key === 'externalAssociations')!.endpoint;

/**
 * 003: "Rate limit: One request per five seconds", per account. Two sets of the production
 * workers (`createWorkers`, as two worker processes run them) poll the ExternalCampaign queue;
 * the pace must hold for both together, as the sandbox sees the requests arrive.
 */
describe('ExternalCampaign API pacing across workers', () => {
  let stack: E2EStack;
  let fees: FeeAudit;
  let connection: NativeConnection;
  let second: Worker[] = [];
  let running: Promise<unknown> | undefined;

  beforeAll(async () => {
    stack = await startE2EStack(NAMESPACE);
    fees = new FeeAudit(stack.sandbox);
    connection = await devServerWorkerConnection();
    second = await createWorkers({ config: stack.config, connection, namespace: NAMESPACE });
    running = Promise.all(second.map((w) => w.run()));
  }, 60_000);
  afterAll(async () => {
    for (const w of second) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    await connection?.close();
    await stack?.stop();
  });

  test('four campaigns accepted at once are associated at least 5.0 s apart, across two worker sets', async () => {
    const suffix = Date.now().toString(36).toUpperCase().slice(-5);
    const ids = ['1', '2', '3', '4'].map((n) => `C${n}${suffix}`);
    // A number joins one Messaging Service only: each campaign gets a seeded number of its own.
    for (const [i, campaignId] of ids.entries())
      await stack.registrar.startExternalCampaign({ campaignId, phoneNumberSids: [SEEDED_NUMBERS[i].sid] });
    const progress = (id: string) =>
      stack.client.workflow
        .getHandle(externalCampaignWorkflowId(id))
        .query<ExternalCampaignProgress>('externalCampaignProgress');
    for (const id of ids) {
      for (let i = 0; i < 300 && (await progress(id).catch(() => undefined))?.phase !== 'awaiting-share'; i++)
        await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(ids.map((id) => stack.sandbox.control.shareExternalCampaign(id, true)));

    // The arrivals first: without the pace the sandbox fails the crowded associations (30897)
    // and the registrations wait for a re-share, so their results would never come.
    const arrivals = async () =>
      (await stack.sandbox.control.requests()).entries
        .filter((e) => e.endpoint === ASSOCIATE)
        .map((e) => Date.parse(e.time) - e.durationMs)
        .sort((a, b) => a - b);
    const deadline = Date.now() + 60_000;
    while ((await arrivals()).length < ids.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    const seen = await arrivals();
    expect(seen).toHaveLength(4);
    const gaps = seen.slice(1).map((t, i) => t - seen[i]);
    console.log(`ExternalCampaign gaps at the sandbox: ${gaps.join(', ')} ms`);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS);

    const results = await Promise.all(
      ids.map((id) => stack.client.workflow.getHandle(externalCampaignWorkflowId(id)).result()),
    );
    expect(results.map((r) => (r as ExternalCampaignProgress).outcome)).toEqual(ids.map(() => 'completed'));
    await fees.expectMinimum(...ids.map(() => externalCampaignMinimum()));
  }, 120_000);
});
