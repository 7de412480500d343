import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { devServerAddress } from '../helpers/dev-server';

const run = promisify(execFile);

/**
 * Compose's temporal-setup job (`node dist/src/stack/cluster-setup.js`), run as a process against
 * the cluster with nothing but TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE: it creates the namespace
 * and the search attributes, and running it again (every `docker compose up`) changes nothing.
 */
describe('on the cluster: the namespace setup job', () => {
  test('creates the namespace with every search attribute, and a second run finds them present', async () => {
    const namespace = `a2p-setup-${Date.now()}`;
    const setup = () =>
      run(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../src/stack/cluster-setup.ts')], {
        env: { ...process.env, TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_NAMESPACE: namespace },
      });
    const first = await setup();
    expect(first.stdout).toContain(`cluster-setup: namespace ${namespace}: registered`);
    expect(first.stdout).toContain('cluster-setup: search attributes added: A2pPhase,');
    const second = await setup();
    expect(second.stdout).toContain(`cluster-setup: namespace ${namespace}: present`);
    expect(second.stdout).toContain('cluster-setup: search attributes present:');

    const connection = await Connection.connect({ address: devServerAddress() });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(customAttributes ?? {}).sort()).toEqual(
        ALL_SEARCH_ATTRIBUTES.map((k) => k.name).sort(),
      );
      // SQL visibility answers a query on them: what `a2p list --phase` sends.
      const { executions } = await connection.workflowService.listWorkflowExecutions({
        namespace,
        query: `A2pPhase = 'completed'`,
      });
      expect(executions).toEqual([]);
    } finally {
      await connection.close();
    }
  }, 120_000);
});
