import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { noopMetricMeter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { registrationMetricSinks } from '../../src/worker';
import { bundleWorkflows } from '../helpers/time-skipping';

const dir = resolve(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('committed workflow histories replay against the current workflow code', () => {
  test('there are histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  test('every history replays without a nondeterminism error', async () => {
    const workflowBundle = await bundleWorkflows();
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(resolve(dir, file), 'utf8'))),
    }));
    const results = [];
    const sinks = registrationMetricSinks(noopMetricMeter);
    for await (const result of Worker.runReplayHistories({ workflowBundle, sinks }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: undefined })));
  }, 120_000);
});
