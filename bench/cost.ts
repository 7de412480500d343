/**
 * What one registration costs, in time, Twilio calls, fees and worker resources:
 *   npm run bench -- [--count n] [--settle 1s] [--poll 1h] [--prefill k] [--pace 1]
 *                    [--admissions 1.25] [--poll-only-interval 2s] [--no-poll-only] [--worker-process]
 *                    [--timeline 0] [--start each]
 * (default 200 registrations, settle 1 s, polling 1 h, no earlier customers, brand and campaign
 * creates paced at 1 per second, registrations admitted at the service's default of 1.25 times that,
 * then the same run poll-only with polls every 2 s; --timeline n prints the first n registrations'
 * histories, event by event, up to their brand create; --start bulk starts them through
 * `startRegistrations`, as `a2p import` does, instead of one `startRegistration` call each, all at
 * once).
 *
 * Each run starts a Temporal dev server of its own and the end-to-end stack in this process
 * (sandbox through the real `twilio` package, webhook server, client and workers; see
 * test/helpers/e2e-stack.ts), or with --worker-process all but the workers, which then run in a
 * process of their own as in production. It optionally puts `k` earlier customers' end-users,
 * documents, addresses, bundles, brands and services into the sandbox (its prefill control call),
 * then starts `n` registrations at once.
 * The worker paces brand and campaign creation at `--pace` per second (A2P_BRAND_SUBMISSIONS_PER_SECOND
 * and A2P_CAMPAIGN_SUBMISSIONS_PER_SECOND: Twilio accepts one such create per second per account).
 *
 * Overhead is what a registration takes beyond the waits the flow mandates:
 * - the settle after each bundle and after the brand (000: "wait 30 seconds"), the sandbox's brand
 *   review followed by the customer's OTP answer (the brand's settle runs meanwhile, so the longer
 *   of the two counts), and the sandbox's campaign review: a fixed sum, printed with the figures;
 * - "without pacing" also subtracts the wait Twilio's pace imposes: each brand and campaign create
 *   goes, in the order the workflows scheduled them (ActivityTaskScheduled in their histories),
 *   through an ideal queue that starts one create per 1/pace s and never idles while one waits. A
 *   create waits there only for the creates scheduled before it, so a limiter slower than the
 *   pace, or a worker late to poll, stays in the overhead. The queue waits the histories show
 *   (Scheduled → Started) are printed next to it, so the two can be compared.
 * Whatever the workflows spend otherwise (workflow tasks waiting for the worker, activity calls,
 * callbacks on their way, timers firing late) is overhead, and the breakdown shows where it went.
 *
 * Also printed: Twilio calls per registration by endpoint (the sandbox's request log) and as a
 * ratio of the mutating minimum; fees versus the minimum; the achieved brand and campaign create
 * pace (most creates in any 1 s window, and the mean rate, from the request log's timestamps);
 * CPU-seconds and peak RSS per registration of this process (read from /proc), and with
 * --worker-process of the worker's process apart from it; the Temporal server is a process of its
 * own and counts in neither. The poll-only run sends no callback at all (no Event Streams, no
 * Trust Hub status callbacks), so each registration moves only when a poll finds its change: the
 * ratio of its overhead to the event-driven run's is what event-driven progress is worth.
 * The worker sizing variables of docs/operations.md ("Sizing a worker": A2P_WORKER_…) set in the
 * bench's own environment apply to its workers, and A2P_MAX_CONCURRENT_STARTS and
 * A2P_STARTS_PER_SECOND to its client, so a sizing can be measured without editing code.
 * Exits non-zero when a registration does not complete or a fee is paid twice.
 */
import '../test/setup/quiet-runtime';
import { msToNumber } from '@temporalio/common/lib/time';
import { campaignVerificationMs, DEFAULT_TIMINGS, FEES } from '../src/sandbox';
import { registrationWorkflowId } from '../src/shared';
import { startE2EStack } from '../test/helpers/e2e-stack';
import {
  describeUnfinished,
  distinctRegistrations,
  percentile,
  runRegistrations,
  type StartMode,
  TWILIO_LIKE_DELIVERY,
} from '../test/helpers/load';
import { startBenchServer } from './dev-server';
import {
  findChildProcess,
  processUsage,
  type ProcessUsage,
  startWorkerProcess,
  type WorkerProcess,
} from './worker-process';
import {
  achievedPace,
  mandatedPacingWaits,
  type PacedCall,
  type PacedKind,
  readHistories,
  PACED_ACTIVITIES,
  smallestGap,
  type Spread,
  type TimeBreakdown,
  timelineLines,
} from './history';

const NAMESPACE = 'a2p-bench-cost';
const OTP_ANSWER_MS = 1_000;
const TIMEOUT_MS = 20 * 60_000;
const RSS_SAMPLE_MS = 100;

/**
 * The mutating calls a Sole Proprietor registration cannot do without (000): starter profile,
 * its end-user, address, address document, three assignments, evaluation, submission (9); trust
 * bundle, its end-user, two assignments, evaluation, submission (6); brand; Messaging Service;
 * campaign; phone number (4).
 */
const MUTATING_MINIMUM = 19;

/** The request-log endpoints of the paced creates. */
const CREATE_ENDPOINTS: Record<PacedKind, string> = {
  brand: 'POST /messaging/v1/a2p/BrandRegistrations',
  campaign: 'POST /messaging/v1/Services/:sid/Compliance/Usa2p',
};

interface Options {
  count: number;
  settle: string;
  poll: string;
  prefill: number;
  pace: number;
  /** Registrations admitted per second; undefined: the service's default (1.25 times the pace). */
  admissions?: number;
  pollOnlyInterval: string;
  pollOnly: boolean;
  workerProcess: boolean;
  /** How many of the first registrations to show event by event up to their brand create. */
  timeline: number;
  /** Through `startRegistrations` (bulk) or one `startRegistration` call each, all at once. */
  start: StartMode;
}

const USAGE =
  '--count n, --settle d, --poll d, --prefill k, --pace r, --admissions r, --poll-only-interval d, --no-poll-only, --worker-process, --timeline n, --start bulk|each';

function parseArgs(argv: string[]): Options {
  const options: Options = {
    count: 200,
    settle: '1s',
    poll: '1h',
    prefill: 0,
    pace: 1,
    pollOnlyInterval: '2s',
    pollOnly: true,
    workerProcess: false,
    timeline: 0,
    start: 'each',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (flag === '--no-poll-only' || flag === '--worker-process') {
      if (flag === '--no-poll-only') options.pollOnly = false;
      else options.workerProcess = true;
      i--;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--count' || flag === '--prefill' || flag === '--timeline') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === '--count' ? 1 : 0))
        throw new Error(`${flag} must be a whole number, not "${value}"`);
      options[flag === '--count' ? 'count' : flag === '--prefill' ? 'prefill' : 'timeline'] = n;
    } else if (flag === '--start') {
      if (value !== 'bulk' && value !== 'each')
        throw new Error(`--start must be bulk or each, not "${value}"`);
      options.start = value;
    } else if (flag === '--pace' || flag === '--admissions') {
      const r = Number(value);
      if (!Number.isFinite(r) || r <= 0)
        throw new Error(`${flag} must be a number per second > 0, not "${value}"`);
      if (flag === '--pace') options.pace = r;
      else options.admissions = r;
    } else if (flag === '--settle' || flag === '--poll' || flag === '--poll-only-interval') {
      try {
        msToNumber(value as Parameters<typeof msToNumber>[0]);
      } catch {
        throw new Error(`${flag} must be a duration like 500ms, 2s or 1h, not "${value}"`);
      }
      if (flag === '--settle') options.settle = value;
      else if (flag === '--poll') options.poll = value;
      else options.pollOnlyInterval = value;
    } else {
      throw new Error(`unknown option ${flag} (${USAGE})`);
    }
  }
  return options;
}

/** A process's CPU time over the run, and its resident memory at the peak and before. */
interface Resources {
  cpuSeconds: number;
  peakRssBytes: number;
  rssBeforeBytes: number;
}

/** Follows one process from construction: CPU time used since, and the highest RSS sampled. */
class ResourceMeter {
  private readonly before: ProcessUsage;
  private peakRssBytes: number;

  constructor(private readonly usage: () => ProcessUsage) {
    this.before = usage();
    this.peakRssBytes = this.before.rssBytes;
  }

  sample(): ProcessUsage {
    const now = this.usage();
    this.peakRssBytes = Math.max(this.peakRssBytes, now.rssBytes);
    return now;
  }

  end(): Resources {
    const now = this.sample();
    return {
      cpuSeconds: now.cpuSeconds - this.before.cpuSeconds,
      peakRssBytes: this.peakRssBytes,
      rssBeforeBytes: this.before.rssBytes,
    };
  }
}

interface RunFigures {
  label: string;
  poll: string;
  count: number;
  completed: number;
  mandatedMs: number;
  overheadMs: number[];
  /** Overhead less each registration's mandated pacing wait. */
  overheadUnpacedMs: number[];
  pacingWaitMs: number[];
  /** How late each brand create started against its start in the ideal queue, and the first one. */
  brandLateMs: number[];
  firstBrandMs: number;
  /** From the first registration's workflow start to the last one's. */
  startSpreadMs: number;
  queueWaitMs: Record<PacedKind, number[]>;
  pace: Record<
    PacedKind,
    { creates: number; max1s: number; meanPerSecond: number; minGapMs: number; dispatchMax1s: number }
  >;
  /** Each registration's phases, less the mandated waits within them (see phasesOf). */
  phases: { trustHub: number[]; brand: number[]; campaign: number[] };
  calls: { total: number; mutating: number; byEndpoint: [string, number][] };
  fees: { totalUsd: number; entries: number; minimumUsd: number };
  /**
   * The worker's process (with --worker-process), and this one's (sandbox, webhook server, client,
   * and the worker when embedded).
   */
  worker?: Resources;
  rest: Resources;
  /** The Temporal dev server's process, when found. */
  server?: Resources;
  breakdown: TimeBreakdown;
  webhooks: { delivered: number; redelivered: number; givenUp: number };
  unfinished: string[];
}

async function runOnce(options: Options, mode: { label: string; callbacks: boolean; poll: string }) {
  const { count } = options;
  const namespace = mode.callbacks ? NAMESPACE : `${NAMESPACE}-poll-only`;
  const server = await startBenchServer(namespace);
  const stack = await startE2EStack(namespace, {
    phoneNumbers: count,
    otpAutoReplyMs: OTP_ANSWER_MS,
    delivery: TWILIO_LIKE_DELIVERY,
    callbacks: mode.callbacks,
    env: {
      A2P_SETTLE_DELAY: options.settle,
      A2P_POLL_INTERVAL: mode.poll,
      // Poll-only: every poll at the interval, no backoff, so the interval is what the run measures.
      ...(mode.callbacks ? {} : { A2P_POLL_MAX_INTERVAL: mode.poll }),
      A2P_BRAND_SUBMISSIONS_PER_SECOND: String(options.pace),
      A2P_CAMPAIGN_SUBMISSIONS_PER_SECOND: String(options.pace),
      ...(options.admissions ? { A2P_REGISTRATION_ADMISSIONS_PER_SECOND: String(options.admissions) } : {}),
      ...sizingFromEnvironment(),
    },
    startWorker: !options.workerProcess,
  });
  let worker: WorkerProcess | undefined;
  try {
    if (options.workerProcess) worker = await startWorkerProcess(stack.env, namespace);
    const settleMs = stack.config.timings.settleDelayMs;
    const control = stack.sandbox.control;
    if (options.prefill > 0) {
      const started = Date.now();
      // In slices, so no one control request holds the sandbox for long.
      for (let done = 0; done < options.prefill; done += 1_000)
        await control.prefill(Math.min(1_000, options.prefill - done));
      console.log(
        `  sandbox pre-filled with ${options.prefill} earlier customers in ${seconds(Date.now() - started)}`,
      );
    }
    const { numbers } = await control.info();
    const requests = distinctRegistrations(
      `cost-${Date.now()}`,
      numbers.slice(0, count).map((n) => n.sid),
    );
    await control.clearRequestLog();
    const how =
      options.start === 'bulk' ? 'started through startRegistrations' : 'each started by its own call';
    console.log(`  ${mode.label}: running ${count} registrations at once, ${how} (polling ${mode.poll})…`);

    const serverPid = findChildProcess('start-dev');
    const meter = (pid: number) => new ResourceMeter(() => processUsage(pid));
    const meters = {
      rest: meter(process.pid),
      worker: worker && meter(worker.pid),
      server: serverPid === undefined ? undefined : meter(serverPid),
    };
    const all = Object.values(meters).filter((m): m is ResourceMeter => m !== undefined);
    const sampler = setInterval(() => all.forEach((m) => m.sample()), RSS_SAMPLE_MS);
    const run = await runRegistrations(stack, requests, TIMEOUT_MS, undefined, options.start);
    clearInterval(sampler);
    const [rest, workerResources, serverResources] = [
      meters.rest.end(),
      meters.worker?.end(),
      meters.server?.end(),
    ];

    const completed = run.registrations.filter((r) => r.result?.outcome === 'completed');
    const ids = completed.map((r) => r.customerId);
    // 000's settle after each bundle and the brand; the brand's settle runs while the sandbox
    // reviews the brand and the customer answers the OTP sent at its approval (000 3.1), so the
    // longer of the two; then the sandbox's campaign review, both its stages.
    const mandatedMs = 2 * settleMs + brandWaitMs(settleMs) + CAMPAIGN_REVIEW_MS;

    const workflowIds = new Set(ids.map(registrationWorkflowId));
    const { paced, breakdown, histories } = await readHistories(stack.client, workflowIds);
    const spans = await completionSpans(stack, ids);
    const { waits: pacingWaits, brandStarts } = idealPacing(
      spans,
      paced,
      options.pace,
      settleMs,
      brandWaitMs(settleMs),
    );
    const brandLateMs = paced.brand.map((c) => c.startedAt - (brandStarts.get(c.registration) ?? NaN));
    const firstStarted = [...spans].sort((a, b) => a.start - b.start);
    // NaN when none completed, so the figures still print next to what did not.
    const firstStart = firstStarted[0]?.start ?? NaN;
    const lastStart = firstStarted[firstStarted.length - 1]?.start ?? NaN;
    const firstBrandMs = Math.min(...paced.brand.map((c) => c.startedAt)) - firstStart;
    // The first registrations' way to their brand create: how late the first one is, every one is.
    for (const s of firstStarted.slice(0, options.timeline)) {
      const after = seconds(s.start - firstStart);
      const lines = timelineLines(histories.get(s.workflowId) ?? [], PACED_ACTIVITIES.brand);
      console.log(`  ${s.workflowId}, started ${after} after the first, to its brand create:`);
      console.log(lines.map((l) => `    ${l}`).join('\n'));
    }
    const overheadMs = spans.map((s) => s.ms - mandatedMs);
    const pacingWaitMs = spans.map((s) => pacingWaits.get(s.workflowId) ?? NaN);
    const overheadUnpacedMs = overheadMs.map((o, i) => o - pacingWaitMs[i]);

    const { entries } = await control.requestLog();
    const twilio = entries.filter((e) => !e.path.startsWith('/sandbox/'));
    const byEndpoint = new Map<string, number>();
    for (const e of twilio) byEndpoint.set(e.endpoint, (byEndpoint.get(e.endpoint) ?? 0) + 1);
    const pace = {} as RunFigures['pace'];
    for (const kind of Object.keys(CREATE_ENDPOINTS) as PacedKind[]) {
      const creates = twilio
        .filter((e) => e.endpoint === CREATE_ENDPOINTS[kind] && e.status < 300)
        .map((e) => Date.parse(e.time));
      const dispatched = achievedPace(paced[kind].map((c) => c.startedAt));
      pace[kind] = {
        creates: creates.length,
        ...achievedPace(creates),
        minGapMs: smallestGap(creates),
        dispatchMax1s: dispatched.max1s,
      };
    }
    const ledger = await control.ledger();
    const stats = stack.webhookStats();
    const figures: RunFigures = {
      label: mode.label,
      poll: mode.poll,
      count,
      completed: completed.length,
      mandatedMs,
      overheadMs,
      overheadUnpacedMs,
      pacingWaitMs,
      brandLateMs,
      firstBrandMs,
      startSpreadMs: lastStart - firstStart,
      queueWaitMs: {
        brand: paced.brand.map((c) => c.startedAt - c.scheduledAt),
        campaign: paced.campaign.map((c) => c.startedAt - c.scheduledAt),
      },
      pace,
      phases: phasesOf(spans, paced, settleMs, mandatedMs),
      calls: {
        total: twilio.length,
        mutating: twilio.filter((e) => e.method !== 'GET').length,
        byEndpoint: [...byEndpoint.entries()].sort((a, b) => b[1] - a[1]),
      },
      fees: {
        totalUsd: ledger.totalUsd,
        entries: ledger.entries.length,
        minimumUsd: count * (FEES['brand-registration'] + FEES['campaign-vetting']),
      },
      worker: workerResources,
      rest,
      server: serverResources,
      breakdown,
      webhooks: { delivered: stats.delivered, redelivered: stats.redelivered, givenUp: stats.givenUp },
      unfinished: await describeUnfinished(stack, run.registrations),
    };
    return figures;
  } finally {
    await worker?.stop();
    await stack.stop();
    await server.teardown();
  }
}

/** The client's start slots (docs/operations.md, "Starts"). */
const CLIENT_START_VARIABLES = ['A2P_MAX_CONCURRENT_STARTS', 'A2P_STARTS_PER_SECOND'];

/** The A2P_WORKER_… sizing variables and the client's start slots set in this process's environment. */
function sizingFromEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        (entry[0].startsWith('A2P_WORKER_') || CLIENT_START_VARIABLES.includes(entry[0])) &&
        entry[1] !== undefined,
    ),
  );
}

/** Start to close of each completed registration, with its workflow id, from the server's clock. */
async function completionSpans(
  stack: Awaited<ReturnType<typeof startE2EStack>>,
  customerIds: readonly string[],
): Promise<{ workflowId: string; start: number; close: number; ms: number }[]> {
  const ids = new Set(customerIds.map(registrationWorkflowId));
  const spans = new Map<string, { start: number; close: number }>();
  for await (const e of stack.client.workflow.list({
    query: `WorkflowType = 'soleProprietorRegistration'`,
  })) {
    if (!ids.has(e.workflowId) || !e.closeTime) continue;
    const span = spans.get(e.workflowId);
    spans.set(e.workflowId, {
      start: Math.min(e.startTime.getTime(), span?.start ?? Infinity),
      close: Math.max(e.closeTime.getTime(), span?.close ?? 0),
    });
  }
  return [...spans.entries()].map(([workflowId, s]) => ({
    workflowId,
    start: s.start,
    close: s.close,
    ms: s.close - s.start,
  }));
}

/** The sandbox's campaign review, create to VERIFIED (PENDING → IN_PROGRESS → VERIFIED). */
const CAMPAIGN_REVIEW_MS = campaignVerificationMs(DEFAULT_TIMINGS);

/** After the brand create: its settle, meanwhile its review and the customer's OTP answer. */
const brandWaitMs = (settleMs: number) => Math.max(settleMs, DEFAULT_TIMINGS.brandReviewMs + OTP_ANSWER_MS);

/**
 * Each registration's mandated pacing wait: its brand create at the earliest (start + two
 * settles) through the ideal queue at the allowed pace, then its campaign create at the earliest
 * after that (the brand's ideal start + the brand's mandated waits) through another.
 */
function idealPacing(
  spans: { workflowId: string; start: number }[],
  paced: Record<PacedKind, PacedCall[]>,
  pace: number,
  settleMs: number,
  brandMs: number,
): { waits: Map<string, number>; brandStarts: Map<string, number> } {
  const order = (kind: PacedKind) => new Map(paced[kind].map((c) => [c.registration, c.startedAt]));
  const brandOrder = order('brand');
  const campaignOrder = order('campaign');
  const brands = mandatedPacingWaits(
    spans.map((s) => ({
      registration: s.workflowId,
      arrivesAt: s.start + 2 * settleMs,
      order: brandOrder.get(s.workflowId) ?? Infinity,
    })),
    pace,
  );
  const campaigns = mandatedPacingWaits(
    spans.map((s) => ({
      registration: s.workflowId,
      arrivesAt: (brands.get(s.workflowId)?.startsAt ?? NaN) + brandMs,
      order: campaignOrder.get(s.workflowId) ?? Infinity,
    })),
    pace,
  );
  const waits = new Map(
    spans.map((s) => [
      s.workflowId,
      (brands.get(s.workflowId)?.waitMs ?? NaN) + (campaigns.get(s.workflowId)?.waitMs ?? NaN),
    ]),
  );
  return { waits, brandStarts: new Map([...brands].map(([id, b]) => [id, b.startsAt])) };
}

/**
 * Each registration's time in three phases, each less the mandated waits in it: start → brand
 * create scheduled (the admission's start slot and the two bundles, less two settles); brand create started → campaign create
 * scheduled (brand settle, review and OTP answer, Messaging Service, campaign child's start);
 * campaign create started → close (campaign review, phone number). The pacing queues fall between
 * the phases, so these are overhead that pacing cannot explain.
 */
function phasesOf(
  spans: { workflowId: string; start: number; close: number }[],
  paced: Record<PacedKind, { registration: string; scheduledAt: number; startedAt: number }[]>,
  settleMs: number,
  mandatedMs: number,
): RunFigures['phases'] {
  const brandWait = mandatedMs - 2 * settleMs - CAMPAIGN_REVIEW_MS;
  const by = (kind: PacedKind) => new Map(paced[kind].map((c) => [c.registration, c]));
  const brands = by('brand');
  const campaigns = by('campaign');
  const phases: RunFigures['phases'] = { trustHub: [], brand: [], campaign: [] };
  for (const s of spans) {
    const b = brands.get(s.workflowId);
    const c = campaigns.get(s.workflowId);
    if (!b || !c) continue;
    phases.trustHub.push(b.scheduledAt - s.start - 2 * settleMs);
    phases.brand.push(c.scheduledAt - b.startedAt - brandWait);
    phases.campaign.push(s.close - c.startedAt - CAMPAIGN_REVIEW_MS);
  }
  return phases;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const p50p90 = (values: readonly number[]) =>
  `p50 ${seconds(percentile(values, 50))}, p90 ${seconds(percentile(values, 90))}`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const perReg = (s: Spread, count: number) => `${seconds(s.total / count)}`;

const cpuLine = (r: Resources, count: number, what: string) =>
  `${(r.cpuSeconds / count).toFixed(3)} CPU-s per registration (${r.cpuSeconds.toFixed(1)} s in all; ${what})`;
const rssLine = (r: Resources, count: number) =>
  `${mib(r.peakRssBytes)} (${mib(r.rssBeforeBytes)} before the run: ` +
  `${((r.peakRssBytes - r.rssBeforeBytes) / 1024 / count).toFixed(0)} KiB per registration)`;

function printRun(f: RunFigures, options: Options): void {
  const { count } = f;
  console.log(`\n== ${f.label} (polling ${f.poll}) ==`);
  console.log(`Twilio calls per registration, by endpoint`);
  const width = Math.max(...f.calls.byEndpoint.map(([k]) => k.length), 10);
  for (const [endpoint, n] of f.calls.byEndpoint)
    console.log(`  ${endpoint.padEnd(width)} ${(n / count).toFixed(2)}`);
  const perRegistration = f.calls.total / count;
  const { fees } = f;
  const paceLine = (kind: PacedKind) => {
    const p = f.pace[kind];
    return (
      `${p.creates} creates, at most ${p.max1s} in any 1 s, smallest gap ${seconds(p.minGapMs)}, ` +
      `mean ${p.meanPerSecond.toFixed(3)}/s ` +
      `(allowed ${options.pace}/s; activity starts: at most ${p.dispatchMax1s} in any 1 s)`
    );
  };
  const rows: [string, string][] = [
    [
      'registrations',
      `${f.completed} of ${count} completed, their workflows started within ${seconds(f.startSpreadMs)}`,
    ],
    ['mandated', `${seconds(f.mandatedMs)} of settles, reviews and OTP answer per registration`],
    ['overhead', `${p50p90(f.overheadMs)} per registration beyond the mandated waits (pacing wait included)`],
    ['  w/o pacing', `${p50p90(f.overheadUnpacedMs)} per registration beyond the mandated waits and pacing`],
    ['pacing wait', `${p50p90(f.pacingWaitMs)} per registration that the ${options.pace}/s pace imposes`],
    [
      '  queue wait',
      `brand ${p50p90(f.queueWaitMs.brand)}, campaign ${p50p90(f.queueWaitMs.campaign)} (Scheduled → Started)`,
    ],
    [
      '  brand late',
      `${p50p90(f.brandLateMs)} after its start in that queue; the first brand create ` +
        `${seconds(f.firstBrandMs)} after the first registration started`,
    ],
    [
      'phases',
      `beyond their mandated waits, p50: bundles ${seconds(percentile(f.phases.trustHub, 50))}, ` +
        `brand ${seconds(percentile(f.phases.brand, 50))}, campaign and number ${seconds(percentile(f.phases.campaign, 50))}`,
    ],
    ['brand pace', paceLine('brand')],
    ['campaign pace', paceLine('campaign')],
    [
      'Twilio calls',
      `${perRegistration.toFixed(2)} per registration (${(f.calls.mutating / count).toFixed(2)} mutating, ` +
        `${((f.calls.total - f.calls.mutating) / count).toFixed(2)} reads) = ` +
        `${(perRegistration / MUTATING_MINIMUM).toFixed(3)} × the mutating minimum of ${MUTATING_MINIMUM}`,
    ],
    [
      'fees',
      `$${fees.totalUsd} in ${fees.entries} ledger entries (minimum $${fees.minimumUsd}` +
        `${fees.totalUsd === fees.minimumUsd ? ', exactly' : `, ${fees.totalUsd > fees.minimumUsd ? 'OVER' : 'under'}`})`,
    ],
    ...((f.worker
      ? [
          ['worker CPU', cpuLine(f.worker, count, 'the worker process')],
          ['worker RSS', `peak ${rssLine(f.worker, count)}`],
          ['rest CPU', cpuLine(f.rest, count, 'this process: sandbox, webhook server, client')],
          ['rest RSS', `peak ${rssLine(f.rest, count)}`],
        ]
      : [
          ['worker CPU', cpuLine(f.rest, count, 'this process: worker, sandbox, webhook server, client')],
          ['peak RSS', rssLine(f.rest, count)],
        ]) as [string, string][]),
    ...((f.server
      ? [['server CPU', cpuLine(f.server, count, 'the Temporal dev server, a process of its own')]]
      : []) as [string, string][]),
    [
      'callbacks',
      `${f.webhooks.delivered} delivered, ${f.webhooks.redelivered} after a retry, ${f.webhooks.givenUp} given up`,
    ],
  ];
  console.log(rows.map(([k, v]) => `${k.padEnd(14)} ${v}`).join('\n'));
  const b = f.breakdown;
  console.log(`where the time went, per registration (sums over ${b.executions} executions; they overlap):`);
  const lines: [string, string][] = [
    [
      'workflow task queue',
      `${perReg(b.workflowTaskQueue, count)} (${b.workflowTaskQueue.count} tasks, p90 ${seconds(b.workflowTaskQueue.percentile(90))})`,
    ],
    [
      'workflow task run',
      `${perReg(b.workflowTaskRun, count)} (p90 ${seconds(b.workflowTaskRun.percentile(90))})`,
    ],
    [
      'workflow tasks failed',
      `${(b.workflowTaskFailed.count / count).toFixed(2)} per registration; the task after one ran ` +
        `${perReg(b.workflowTaskRunAfterFailure, count)} (p90 ${seconds(b.workflowTaskRunAfterFailure.percentile(90))})`,
    ],
    [
      'result → task',
      `${perReg(b.activityResultToTask, count)} (p90 ${seconds(b.activityResultToTask.percentile(90))})`,
    ],
    [
      'signal → task',
      `${perReg(b.signalToTask, count)} (${b.signalToTask.count} signals, p90 ${seconds(b.signalToTask.percentile(90))})`,
    ],
    [
      'timers late',
      `${perReg(b.timerLateness, count)} (${b.timerLateness.count} timers, p90 ${seconds(b.timerLateness.percentile(90))})`,
    ],
    ['child start', `${perReg(b.childStart, count)} (p90 ${seconds(b.childStart.percentile(90))})`],
  ];
  const types = [...b.activityRun.keys()].sort(
    (x, y) => (b.activityRun.get(y)?.total ?? 0) - (b.activityRun.get(x)?.total ?? 0),
  );
  for (const t of types) {
    const run = b.activityRun.get(t);
    const queue = b.activityQueue.get(t);
    const retries = b.activityRetries.get(t) ?? 0;
    if (!run || !queue) continue;
    lines.push([
      `  ${t}`,
      `queue ${perReg(queue, count)}, run ${perReg(run, count)} ` +
        `(${(run.count / count).toFixed(2)} calls, run p90 ${seconds(run.percentile(90))}` +
        `${retries ? `, ${retries} retries` : ''})`,
    ]);
  }
  console.log(lines.map(([k, v]) => `  ${k.padEnd(30)} ${v}`).join('\n'));
  if (f.unfinished.length) console.log(`not completed:\n${f.unfinished.map((l) => `  ${l}`).join('\n')}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sizing = Object.entries(sizingFromEnvironment()).map(([k, v]) => `${k}=${v}`);
  console.log(
    `${options.count} registrations at once, settle ${options.settle}, ${options.prefill} earlier customers, ` +
      `brand and campaign creates paced at ${options.pace}/s` +
      (sizing.length ? `, sizing ${sizing.join(' ')}` : ''),
  );
  const runs: RunFigures[] = [];
  const modes = [
    { label: 'event-driven', callbacks: true, poll: options.poll },
    ...(options.pollOnly ? [{ label: 'poll-only', callbacks: false, poll: options.pollOnlyInterval }] : []),
  ];
  for (const mode of modes) {
    const f = await runOnce(options, mode);
    runs.push(f);
    printRun(f, options);
    if (f.unfinished.length || f.fees.totalUsd !== f.fees.minimumUsd) process.exitCode = 1;
  }
  if (runs.length === 2) {
    const [events, polls] = runs;
    const ratio = (a: readonly number[], b: readonly number[]) =>
      (percentile(a, 50) / percentile(b, 50)).toFixed(1);
    console.log(
      `\nevent-driven vs poll-only (polling ${polls.poll}), p50 overhead: ` +
        `${seconds(percentile(events.overheadMs, 50))} vs ${seconds(percentile(polls.overheadMs, 50))} ` +
        `(× ${ratio(polls.overheadMs, events.overheadMs)}); without pacing ` +
        `${seconds(percentile(events.overheadUnpacedMs, 50))} vs ${seconds(percentile(polls.overheadUnpacedMs, 50))} ` +
        `(× ${ratio(polls.overheadUnpacedMs, events.overheadUnpacedMs)}); Twilio calls per registration ` +
        `${(events.calls.total / events.count).toFixed(2)} vs ${(polls.calls.total / polls.count).toFixed(2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
