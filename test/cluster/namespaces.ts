/**
 * The cluster suites' namespaces, one per file and apart from the e2e suites' (which the tier runs
 * too), so each file's worker processes and history read-outs see only that file's workflows.
 */
export const CLUSTER_NAMESPACES = {
  happyPath: 'a2p-cluster-happy-path',
  remediation: 'a2p-cluster-remediation',
  rateLimit: 'a2p-cluster-rate-limit',
  workerKill: 'a2p-cluster-worker-kill',
} as const;
