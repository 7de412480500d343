import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { DataConverter, SignalDefinition } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';

/**
 * How the webhook server reaches workflows. The server depends on this interface only; tests use a
 * recording fake, production uses {@link TemporalSignaller}.
 */
export type SignalOutcome = 'signalled' | 'not-found';

export interface SearchAttributeMatch {
  /** A keyword, or a keyword list (which matches when it holds the value). */
  key: SearchAttributeKey<typeof SearchAttributeType.KEYWORD | typeof SearchAttributeType.KEYWORD_LIST>;
  value: string;
}

export interface WorkflowSignaller {
  /**
   * Signal one workflow by id. Resolves `'not-found'` when no running workflow has that id; rejects
   * when Temporal cannot be reached or refuses for another reason (the caller retries or answers 503).
   */
  signalWorkflow<T>(workflowId: string, signal: SignalDefinition<[T]>, payload: T): Promise<SignalOutcome>;
  /** Ids of the running workflows whose keyword search attribute equals any of the given values. */
  findRunningWorkflowIds(matches: readonly SearchAttributeMatch[]): Promise<string[]>;
  /** Whether a closed workflow (of any close status) carries any of the given values. */
  anyClosedWorkflowCarries(matches: readonly SearchAttributeMatch[]): Promise<boolean>;
}

/** SIDs and TCR ids are plain tokens; anything else never reaches a visibility query. */
const QUERY_VALUE = /^[A-Za-z0-9_.-]{1,128}$/;
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/** The most workflows one event may fan out to; more means the search attributes are wrong. */
export const MAX_TARGETS = 20;

/**
 * Visibility query for running workflows carrying any of the given keyword values, e.g.
 * `A2pBrandSid = 'BN…' AND ExecutionStatus = 'Running'`. Values are restricted to SID-like tokens,
 * so no quoting is ever needed and nothing can be injected.
 */
export function buildRunningWorkflowQuery(matches: readonly SearchAttributeMatch[]): string {
  return `${anyOf(matches)} AND ExecutionStatus = 'Running'`;
}

/**
 * The same for workflows that have ended. A run that continued as new has not: its next run may
 * simply not be visible yet.
 */
export function buildClosedWorkflowQuery(matches: readonly SearchAttributeMatch[]): string {
  return `${anyOf(matches)} AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew'`;
}

function anyOf(matches: readonly SearchAttributeMatch[]): string {
  if (matches.length === 0) throw new Error('at least one search attribute match is required');
  const clauses = matches.map(({ key, value }) => {
    if (!ATTRIBUTE_NAME.test(key.name))
      throw new Error(`invalid search attribute name ${JSON.stringify(key.name)}`);
    if (!QUERY_VALUE.test(value)) throw new Error(`invalid value for ${key.name}`);
    return `${key.name} = '${value}'`;
  });
  return clauses.length === 1 ? clauses[0] : `(${clauses.join(' OR ')})`;
}

/** {@link WorkflowSignaller} over a Temporal Client (which carries the project's data converter). */
export class TemporalSignaller implements WorkflowSignaller {
  constructor(private readonly client: Client) {}

  async signalWorkflow<T>(
    workflowId: string,
    signal: SignalDefinition<[T]>,
    payload: T,
  ): Promise<SignalOutcome> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(signal, payload);
      return 'signalled';
    } catch (err) {
      // Unknown id, or the execution has already closed.
      if (err instanceof WorkflowNotFoundError) return 'not-found';
      throw err;
    }
  }

  async findRunningWorkflowIds(matches: readonly SearchAttributeMatch[]): Promise<string[]> {
    const query = buildRunningWorkflowQuery(matches);
    const ids = new Set<string>();
    for await (const execution of this.client.workflow.list({ query, pageSize: MAX_TARGETS })) {
      ids.add(execution.workflowId);
      if (ids.size >= MAX_TARGETS) break;
    }
    return [...ids];
  }

  async anyClosedWorkflowCarries(matches: readonly SearchAttributeMatch[]): Promise<boolean> {
    for await (const _closed of this.client.workflow.list({
      query: buildClosedWorkflowQuery(matches),
      pageSize: 1,
    }))
      return true;
    return false;
  }
}

export interface ConnectTemporalSignallerOptions {
  /** The project's data converter (payload encryption), so signal payloads are encrypted. */
  dataConverter?: DataConverter;
}

/**
 * A signaller over a new Temporal connection configured by @temporalio/envconfig
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE).
 */
export async function connectTemporalSignaller(
  options: ConnectTemporalSignallerOptions = {},
): Promise<{ signaller: TemporalSignaller; client: Client; close(): Promise<void> }> {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await Connection.connect({
    ...connectionOptions,
    address: connectionOptions.address ?? 'localhost:7233',
  });
  const client = new Client({
    connection,
    namespace: namespace ?? 'default',
    dataConverter: options.dataConverter,
  });
  return { signaller: new TemporalSignaller(client), client, close: () => connection.close() };
}
