import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TERMINATED' | 'TIMED_OUT';

interface Run {
  runId: string;
  type: string;
  status: RunStatus;
  result?: unknown;
}

interface StartOptions {
  workflowId: string;
  workflowIdReusePolicy?: string;
  workflowIdConflictPolicy?: string;
  args?: unknown[];
  [key: string]: unknown;
}

/** Closed runs ALLOW_DUPLICATE_FAILED_ONLY lets a new run follow (Temporal's WorkflowIdReusePolicy). */
const FAILED_LIKE: ReadonlySet<RunStatus> = new Set(['FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT']);

/**
 * The part of a Temporal Client that the registrar client uses, behaving as the server does:
 * a running id is refused (or used, with the USE_EXISTING conflict policy); a closed one is
 * reused as the reuse policy says (ALLOW_DUPLICATE, Temporal's default, always;
 * ALLOW_DUPLICATE_FAILED_ONLY after a failed, cancelled, terminated or timed-out run only;
 * REJECT_DUPLICATE never); `describe` and `result` answer for the latest run. Updates (on their
 * own or with a start) go to `onUpdate`, which may throw an ApplicationFailure to fail the update;
 * queries to `onQuery`.
 */
export class FakeTemporal {
  readonly runs: Record<string, Run[]> = {};
  readonly starts: { type: string; options: StartOptions }[] = [];
  readonly updates: { workflowId: string; name: string; args: unknown[] }[] = [];
  onUpdate: (workflowId: string, name: string, args: unknown[]) => unknown = () => ({
    accepted: true,
    added: true,
  });
  /** Answers queries (`progress`); a test that queries sets it. */
  onQuery: (workflowId: string, name: string, args: unknown[]) => unknown = (_id, name) => {
    throw new Error(`no answer for query ${name}: set onQuery`);
  };
  private seq = 0;

  /** A run that happened before the test. */
  seed(workflowId: string, run: { status: RunStatus; result?: unknown; type?: string }): string {
    const runId = `run-${++this.seq}`;
    (this.runs[workflowId] ??= []).push({ runId, type: run.type ?? 'soleProprietorRegistration', ...run });
    return runId;
  }

  latest(workflowId: string): Run | undefined {
    return this.runs[workflowId]?.at(-1);
  }

  startsOf(type: string) {
    return this.starts.filter((s) => s.type === type);
  }

  readonly client: Client = this.build();

  private build(): Client {
    const start = async (type: string, options: StartOptions) => {
      this.starts.push({ type, options });
      const last = this.latest(options.workflowId);
      if (last?.status === 'RUNNING') {
        if (options.workflowIdConflictPolicy === 'USE_EXISTING')
          return { workflowId: options.workflowId, firstExecutionRunId: last.runId };
        throw new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, type);
      }
      if (last) {
        const policy = options.workflowIdReusePolicy ?? 'ALLOW_DUPLICATE';
        const allowed =
          policy === 'ALLOW_DUPLICATE' ||
          (policy === 'ALLOW_DUPLICATE_FAILED_ONLY' && FAILED_LIKE.has(last.status));
        if (!allowed)
          throw new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, type);
      }
      const runId = this.seed(options.workflowId, { status: 'RUNNING', type });
      return { workflowId: options.workflowId, firstExecutionRunId: runId };
    };
    const getHandle = (workflowId: string) => ({
      workflowId,
      describe: async () => {
        const run = this.latest(workflowId);
        if (!run) throw new WorkflowNotFoundError('not found', workflowId, undefined);
        return { runId: run.runId, status: { name: run.status }, type: run.type };
      },
      result: async () => {
        const run = this.latest(workflowId);
        if (!run) throw new WorkflowNotFoundError('not found', workflowId, undefined);
        if (run.status === 'COMPLETED') return run.result;
        throw new WorkflowFailedError(`run ${run.status}`, undefined, 'NON_RETRYABLE_FAILURE');
      },
      query: async (def: string | { name: string }, ...args: unknown[]) =>
        this.onQuery(workflowId, typeof def === 'string' ? def : def.name, args),
      executeUpdate: async (def: string | { name: string }, options: { args?: unknown[] } = {}) => {
        const name = typeof def === 'string' ? def : def.name;
        const args = options.args ?? [];
        this.updates.push({ workflowId, name, args });
        try {
          return await this.onUpdate(workflowId, name, args);
        } catch (err) {
          if (err instanceof ApplicationFailure)
            throw new WorkflowUpdateFailedError('Workflow Update failed', err);
          throw err;
        }
      },
    });
    // Starts the workflow unless its conflict policy finds it running, then updates it.
    const executeUpdateWithStart = async (
      def: string | { name: string },
      options: {
        args?: unknown[];
        startWorkflowOperation: { workflowTypeOrFunc: string | { name: string }; options: StartOptions };
      },
    ) => {
      const { workflowTypeOrFunc, options: startOptions } = options.startWorkflowOperation;
      const type = typeof workflowTypeOrFunc === 'string' ? workflowTypeOrFunc : workflowTypeOrFunc.name;
      await start(type, startOptions);
      return getHandle(startOptions.workflowId).executeUpdate(def, { args: options.args });
    };
    return { workflow: { start, getHandle, executeUpdateWithStart } } as unknown as Client;
  }
}
