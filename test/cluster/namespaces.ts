import type { E2ENamespace } from '../helpers/dev-server';

/** The namespaces the cluster suites use, one per file (the e2e helpers' own names). */
export const CLUSTER_NAMESPACES = {
  happyPath: 'a2p-e2e-sole-proprietor',
  remediation: 'a2p-e2e-remediation',
  rateLimit: 'a2p-e2e-rate-limit',
  workerKill: 'a2p-e2e-crash',
} as const satisfies Record<string, E2ENamespace>;
