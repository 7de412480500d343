import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { SINGLE_PARTITION_TASK_QUEUES } from '../src/stack/dev-server';
import { temporalCliPath } from '../test/helpers/temporal-binaries';

/**
 * A Temporal dev server of the benchmark's own, with the project's search attributes and
 * `namespace`; TEMPORAL_ADDRESS points at it so the stack's clients and workers connect there.
 */
export async function startBenchServer(namespace: string): Promise<TestWorkflowEnvironment> {
  const server = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
      extraArgs: ['--namespace', namespace, ...SINGLE_PARTITION_TASK_QUEUES],
    },
  });
  process.env.TEMPORAL_ADDRESS = server.address;
  return server;
}
