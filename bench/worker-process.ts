import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** What a process has used so far, from Linux's /proc. */
export interface ProcessUsage {
  /** User plus system CPU time. */
  cpuSeconds: number;
  /** Resident set size now. */
  rssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on every Linux ABI). */
const USER_HZ = 100;

/** The process's CPU time and resident memory, read from /proc/<pid>/stat and /proc/<pid>/status. */
export function processUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime), the 12th and 13th after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds: ticks / USER_HZ, rssBytes: Number(rssKib ?? NaN) * 1024 };
}

/**
 * A child process of this one whose command line contains `part` (the dev server that
 * @temporalio/testing spawned, whose handle does not give its pid), or undefined.
 */
export function findChildProcess(part: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(part)) return Number(entry);
    } catch {
      // The process ended while being read.
    }
  }
  return undefined;
}

export interface WorkerProcess {
  pid: number;
  /** SIGTERM (the worker shuts down gracefully), SIGKILL if it has not exited 10 s later. */
  stop(): Promise<void>;
}

/**
 * The service's worker in a process of its own, as it runs in production: configured by `env`
 * (the stack's), on `namespace` of the server TEMPORAL_ADDRESS names. Resolves once it polls.
 */
export function startWorkerProcess(env: Record<string, string>, namespace: string): Promise<WorkerProcess> {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, '../test/e2e/worker-process.ts')],
    {
      env: { ...process.env, ...env, A2P_TEST_NAMESPACE: namespace },
      // Its log (bundling, worker states) would drown the figures: kept, shown if it fails to start.
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  proc.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  return new Promise((ready, fail) => {
    const early = (code: number | null, signal: string | null) =>
      fail(new Error(`the worker process exited before it ran (${code ?? signal}):\n${log}`));
    proc.once('exit', early);
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('worker-process: running')) return;
      proc.off('exit', early);
      const pid = proc.pid as number;
      ready({
        pid,
        async stop() {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          proc.kill('SIGTERM');
          const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
