import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function teardown(): Promise<void> {
  await (globalThis as { __a2pDevServer?: TestWorkflowEnvironment }).__a2pDevServer?.teardown();
}
