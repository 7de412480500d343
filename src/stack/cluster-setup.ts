import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { indexedValueTypeOf } from './dev-server';
import { connectionOptions, temporalTarget } from '../temporal';

/**
 * What a self-hosted Temporal cluster needs before the worker starts: the namespace, and the
 * project's typed search attributes in it (SQL visibility keeps custom attributes per namespace).
 * docker-compose.yml runs this as a one-shot job and the cluster test tier calls it, so both get
 * the one list in src/shared/search-attributes.ts. Every step is a no-op when already done.
 */
export interface ClusterSetupOptions {
  connection: Connection;
  namespace: string;
  /** How long closed registrations stay visible. Default 30 days. */
  retention?: string;
  /** How long to wait for the frontend and for the namespace to be usable. Default 120 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function grpcCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number'
    ? err.code
    : undefined;
}
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

async function retrying<T>(what: string, deadline: number, attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Registers the namespace if missing and waits until its APIs answer. Returns true if it was new. */
async function ensureNamespace(options: Required<ClusterSetupOptions>, deadline: number): Promise<boolean> {
  const { connection, namespace, retention } = options;
  const service = connection.workflowService;
  const created = await retrying(`registering namespace ${namespace}`, deadline, async () => {
    try {
      await service.describeNamespace({ namespace });
      return false;
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND) throw err;
    }
    try {
      await service.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(retention as Parameters<typeof msToTs>[0]),
      });
      return true;
    } catch (err) {
      if (grpcCode(err) === ALREADY_EXISTS) return false;
      throw err;
    }
  });
  // A new namespace reaches every frontend's and history's cache a few seconds after it is
  // written; until then visibility calls say it does not exist.
  await retrying(`namespace ${namespace} to become usable`, deadline, () =>
    service.countWorkflowExecutions({ namespace, query: '' }),
  );
  return created;
}

/** Adds the search attributes the namespace lacks; returns their names. */
async function ensureSearchAttributes(options: Required<ClusterSetupOptions>, deadline: number) {
  const { connection, namespace } = options;
  const existing = await retrying('listing search attributes', deadline, () =>
    connection.operatorService.listSearchAttributes({ namespace }),
  );
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length) {
    await retrying('adding search attributes', deadline, () =>
      connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypeOf(key)])),
      }),
    );
  }
  return missing.map((key) => key.name);
}

export async function setupNamespace(options: ClusterSetupOptions): Promise<void> {
  const settings: Required<ClusterSetupOptions> = {
    retention: '30d',
    timeoutMs: 120_000,
    log: () => undefined,
    ...options,
  };
  const deadline = Date.now() + settings.timeoutMs;
  await retrying('waiting for the Temporal frontend', deadline, () =>
    settings.connection.workflowService.getSystemInfo({}),
  );
  const created = await ensureNamespace(settings, deadline);
  settings.log(`namespace ${settings.namespace}: ${created ? 'registered' : 'present'}`);
  const added = await ensureSearchAttributes(settings, deadline);
  // The frontend learns new attributes from its cache seconds after they are stored; until then a
  // workflow's upsert or the webhook server's look-up by them is refused as invalid.
  const query = ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name} = ''`).join(' OR ');
  await retrying(`search attributes of ${settings.namespace} to become usable`, deadline, () =>
    settings.connection.workflowService.countWorkflowExecutions({ namespace: settings.namespace, query }),
  );
  settings.log(
    added.length
      ? `search attributes added: ${added.join(', ')}`
      : `search attributes present: ${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}`,
  );
}

/** `node dist/src/stack/cluster-setup.js`: the namespace TEMPORAL_NAMESPACE names, on TEMPORAL_ADDRESS. */
async function main(): Promise<void> {
  const { namespace } = temporalTarget();
  const connection = await Connection.connect(connectionOptions());
  try {
    await setupNamespace({
      connection,
      namespace,
      retention: process.env.A2P_NAMESPACE_RETENTION?.trim() || '30d',
      log: (line) => console.log(`cluster-setup: ${line}`),
    });
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`cluster-setup: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
