import { type Cluster, startCluster } from './cluster';
import { E2E_NAMESPACES } from '../helpers/dev-server';
import { CLUSTER_NAMESPACES } from './namespaces';

/** Starts PostgreSQL and the Temporal server once for the tier; suites reach it via TEMPORAL_ADDRESS. */
export default async function setup(): Promise<void> {
  const started = Date.now();
  const cluster = await startCluster({
    namespaces: [...new Set([...Object.values(CLUSTER_NAMESPACES), ...E2E_NAMESPACES])],
  });
  (globalThis as { __a2pCluster?: Cluster }).__a2pCluster = cluster;
  process.env.TEMPORAL_ADDRESS = cluster.address;
  process.env.TEMPORAL_NAMESPACE = 'default';
  process.stdout.write(
    `\ncluster: temporal-server on PostgreSQL (127.0.0.1:${cluster.postgresPort}, SQL visibility) at ` +
      `${cluster.address}, ready with its namespaces in ${Date.now() - started} ms\n`,
  );
}
