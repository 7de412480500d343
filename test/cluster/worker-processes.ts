import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface WorkerProcess {
  name: string;
  /** The identity its workers poll with (`pid@host`); histories record it on every activity. */
  identity: string;
  process: ChildProcess;
  /** Settles once the process has exited, for whatever reason. */
  exited: Promise<void>;
}

function startOne(name: string, namespace: string, env: Record<string, string>): Promise<WorkerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker-process.ts')], {
    env: { ...process.env, ...env, A2P_TEST_NAMESPACE: namespace },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  let partial = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) process.stderr.write(`[${name}] ${line}\n`);
  });
  return new Promise((ready, fail) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /worker-process: running as (\S+)/.exec(out);
      if (match) ready({ name, identity: match[1], process: proc, exited });
    });
    void exited.then(() =>
      fail(new Error(`${name} exited before polling (${proc.exitCode ?? proc.signalCode})`)),
    );
  });
}

/** Worker processes (separate OS processes) on one namespace, started together. */
export function startWorkerProcesses(
  names: string[],
  namespace: string,
  env: Record<string, string>,
): Promise<WorkerProcess[]> {
  return Promise.all(names.map((name) => startOne(name, namespace, env)));
}

/** SIGTERM (the worker drains and exits), then SIGKILL if it has not gone within 15 s. */
export async function stopWorkerProcesses(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      if (w.process.exitCode !== null || w.process.signalCode !== null) return;
      w.process.kill('SIGTERM');
      const force = setTimeout(() => w.process.kill('SIGKILL'), 15_000);
      await w.exited;
      clearTimeout(force);
    }),
  );
}

export interface ActivityRun {
  workflowId: string;
  activityType: string;
  /** The worker process that completed it, by name; the identity itself if no process had it. */
  worker: string;
}

/**
 * Who completed each activity of every workflow in the namespace (children included), read from
 * the server's histories: ActivityTaskCompleted records the identity of the worker that finished.
 */
export async function activityRuns(client: Client, workers: WorkerProcess[]): Promise<ActivityRun[]> {
  const byIdentity = new Map(workers.map((w) => [w.identity, w.name]));
  const runs: ActivityRun[] = [];
  for await (const execution of client.workflow.list()) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const scheduled = new Map<string, string>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId);
      const type = event.eventType;
      if (type === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        scheduled.set(id, event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?');
      if (type === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        const attrs = event.activityTaskCompletedEventAttributes;
        const identity = attrs?.identity ?? '?';
        runs.push({
          workflowId: execution.workflowId,
          activityType: scheduled.get(String(attrs?.scheduledEventId)) ?? '?',
          worker: byIdentity.get(identity) ?? identity,
        });
      }
    }
  }
  return runs;
}

/** A table for the test output: activities completed per workflow and worker process. */
export function describeRuns(runs: ActivityRun[], workers: WorkerProcess[]): string {
  const names = workers.map((w) => w.name);
  const rows = new Map<string, Map<string, number>>();
  for (const run of runs) {
    const row = rows.get(run.workflowId) ?? new Map<string, number>();
    row.set(run.worker, (row.get(run.worker) ?? 0) + 1);
    rows.set(run.workflowId, row);
  }
  const lines = [`${'workflow'.padEnd(58)} ${names.map((n) => n.padStart(9)).join(' ')}`];
  for (const [workflowId, row] of [...rows].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`${workflowId.padEnd(58)} ${names.map((n) => String(row.get(n) ?? 0).padStart(9)).join(' ')}`);
  const totals = names.map((n) => String(runs.filter((r) => r.worker === n).length).padStart(9));
  lines.push(`${'all'.padEnd(58)} ${totals.join(' ')}`);
  return `activities completed, by worker process:\n${lines.join('\n')}`;
}
