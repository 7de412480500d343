import type { Cluster } from './cluster';

export default async function teardown(): Promise<void> {
  await (globalThis as { __a2pCluster?: Cluster }).__a2pCluster?.stop();
}
