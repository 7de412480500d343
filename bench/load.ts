/**
 * How many registrations one worker process carries:
 *   npx tsx bench/load.ts [count] [--busy-neighbours n]
 * (default 300 registrations; `n` extra processes that each keep a core busy, as a CI run or
 * another service on the same machine would).
 *
 * Starts a Temporal dev server of its own, then the pieces the end-to-end tests run in one process
 * (the sandbox, the webhook server, the workers of every task queue; see test/helpers/e2e-stack.ts),
 * starts `count` registrations at once with settle 1 s and polling 1 h (only callbacks move them,
 * the sandbox answers each OTP 1 s after sending it), waits for all of them, and prints
 * registrations per minute, the time each took to complete, the workflow tasks that timed out or
 * failed (read from every history), the fees the sandbox billed and how busy this process was.
 *
 * The worker's sizing comes from the environment as in production (A2P_WORKER_* in
 * docs/operations.md, "Sizing a worker"), so one setting can be compared with another:
 *   A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=10 npx tsx bench/load.ts 300
 */
import '../test/setup/quiet-runtime';
import { type ChildProcess, spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FEES } from '../src/sandbox';
import { startE2EStack } from '../test/helpers/e2e-stack';
import {
  completionTimesMs,
  describeUnfinished,
  distinctRegistrations,
  percentile,
  runRegistrations,
  TWILIO_LIKE_DELIVERY,
  workflowTaskTrouble,
} from '../test/helpers/load';
import { startBenchServer } from './dev-server';

const NAMESPACE = 'a2p-bench-load';
const OTP_ANSWER_MS = 1_000;
const TIMEOUT_MS = 10 * 60_000;
const LOOP_RESOLUTION_MS = 10;

function wholeNumber(what: string, arg: string | undefined, fallback: number, min: number): number {
  if (arg === undefined) return fallback;
  const n = Number(arg);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${what} must be a whole number ≥ ${min}, not "${arg}"`);
  return n;
}

function parseArgs(argv: string[]): { count: number; busyNeighbours: number } {
  const flag = argv.indexOf('--busy-neighbours');
  const busy = flag >= 0 ? argv.splice(flag, 2)[1] : undefined;
  if (flag >= 0 && busy === undefined) throw new Error('--busy-neighbours needs a number');
  return {
    count: wholeNumber('count', argv[0], 300, 1),
    busyNeighbours: wholeNumber('--busy-neighbours', busy, 0, 0),
  };
}

/** Processes that each keep one core busy, standing in for whatever else runs on the machine. */
function startBusyNeighbours(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** An event-loop delay sample beyond the sampling interval itself. */
const lag = (ns: number) => `${Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS).toFixed(0)} ms`;

async function main(): Promise<void> {
  const { count, busyNeighbours } = parseArgs(process.argv.slice(2));
  const server = await startBenchServer(NAMESPACE);
  // The worker reads its sizing from the environment, as the production worker does.
  const sizing = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('A2P_WORKER_') && !!e[1],
    ),
  );
  const stack = await startE2EStack(NAMESPACE, {
    phoneNumbers: count,
    otpAutoReplyMs: OTP_ANSWER_MS,
    delivery: TWILIO_LIKE_DELIVERY,
    env: sizing,
  });
  let neighbours: ChildProcess[] = [];
  try {
    const { numbers } = await stack.sandbox.control.info();
    const requests = distinctRegistrations(
      `bench-${Date.now()}`,
      numbers.slice(0, count).map((n) => n.sid),
    );
    console.log(`worker sizing: ${JSON.stringify(stack.config.worker)}`);
    console.log(`starting ${count} registrations at once (settle 1 s, polling 1 h)…`);

    neighbours = startBusyNeighbours(busyNeighbours);
    if (busyNeighbours > 0) console.log(`with ${busyNeighbours} busy neighbour process(es) on the machine`);
    // How busy this process is while the registrations run: CPU and event-loop delay until the last ends.
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    const cpuStart = process.cpuUsage();
    let cpuMs: number | undefined;
    const busyOver = () => {
      if (cpuMs !== undefined) return;
      loop.disable();
      const used = process.cpuUsage(cpuStart);
      cpuMs = (used.user + used.system) / 1000;
    };
    let ended = 0;
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 1_000);
    const startedAt = Date.now();
    const ticker = setInterval(
      () => console.log(`  ${seconds(Date.now() - startedAt)}: ${ended} of ${count} ended`),
      15_000,
    );
    const run = await runRegistrations(stack, requests, TIMEOUT_MS, (n) => {
      ended = n;
      if (n === count) busyOver();
    });
    clearInterval(ticker);
    clearInterval(sampler);
    busyOver();
    for (const neighbour of neighbours) neighbour.kill();
    const busyMs = cpuMs ?? 0;

    const wallMs = run.endedAt - run.startedAt;
    const completed = run.registrations.filter((r) => r.result?.outcome === 'completed');
    const times = await completionTimesMs(
      stack.client,
      completed.map((r) => r.customerId),
    );
    const trouble = await workflowTaskTrouble(stack.client);
    const failed = Object.values(trouble.failed).reduce((a, b) => a + b, 0);
    const { entries, totalUsd } = await stack.sandbox.control.ledger();
    const minimumUsd = count * (FEES['brand-registration'] + FEES['campaign-vetting']);
    const unfinished = await describeUnfinished(stack, run.registrations);
    // The sandbox keeps its last 2000 delivery attempts: refusals there mean the webhook server was full.
    const attempts = await stack.sandbox.control.deliveries();
    const refused = attempts.filter((a) => a.status === null || a.status >= 300);
    const givenUp = refused.filter((a) => a.attempt >= TWILIO_LIKE_DELIVERY.maxAttempts);
    const figures: [string, string][] = [
      ['registrations', `${completed.length} of ${count} completed`],
      [
        'wall time',
        `${seconds(wallMs)} (first start to last end${completed.length < count ? ', or the deadline' : ''})`,
      ],
      ['throughput', `${((completed.length / wallMs) * 60_000).toFixed(0)} registrations per minute`],
      [
        'time to complete',
        `p50 ${seconds(percentile(times, 50))}, p95 ${seconds(percentile(times, 95))}, max ${seconds(percentile(times, 100))}`,
      ],
      [
        'workflow tasks',
        `${trouble.timedOut.startToClose} timed out (start-to-close), ${trouble.timedOut.scheduleToStart} timed out ` +
          `on the sticky queue (schedule-to-start), ${failed} failed ${JSON.stringify(trouble.failed)}`,
      ],
      ['histories', `${trouble.executions} executions, ${trouble.events} events`],
      [
        'callbacks',
        `${refused.length} of the last ${attempts.length} delivery attempts refused ` +
          `${JSON.stringify(countBy(refused, (a) => `${a.kind} ${a.status ?? a.error ?? '?'}`))}, ` +
          `${givenUp.length} given up`,
      ],
      [
        'webhook events',
        (({ delivered, redelivered, kept, givenUp, duplicates }) =>
          `${delivered} delivered (${redelivered} only by a later re-delivery: no workflow visible at first), ` +
          `${kept} still kept, ${givenUp} given up, ${duplicates} duplicates dropped`)(stack.webhookStats()),
      ],
      ['fees', `${entries.length} ledger entries, $${totalUsd} (minimum $${minimumUsd})`],
      [
        'this process',
        `${seconds(busyMs)} CPU (${((busyMs / wallMs) * 100).toFixed(0)}% of one core), event-loop delay ` +
          `p50 ${lag(loop.percentile(50))}, p99 ${lag(loop.percentile(99))}, max ${lag(loop.max)}, ` +
          `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
      ],
    ];
    if (trouble.worst.length) figures.push(['most troubled', JSON.stringify(trouble.worst)]);
    console.log(`\n${figures.map(([k, v]) => `${k.padEnd(18)} ${v}`).join('\n')}`);
    if (unfinished.length) {
      console.log(`\nnot completed:\n${unfinished.map((line) => `  ${line}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const neighbour of neighbours) neighbour.kill();
    await stack.stop();
    await server.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
