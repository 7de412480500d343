import type { MetricMeter } from '@temporalio/common';
import {
  type InjectedSinks,
  type MetricsExporterConfig,
  type NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { createActivities } from './activities';
import { pacedActivities } from './activities/pacing';
import { type Config, ConfigError, loadConfig } from './config';
import { createDataConverter } from './encryption';
import {
  BRAND_SUBMISSION_TASK_QUEUE,
  BRAND_USAGE_TASK_QUEUE,
  CAMPAIGN_SUBMISSION_TASK_QUEUE,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND,
  OTP_API_TASK_QUEUE,
  OTP_REQUESTS_PER_SECOND,
  REGISTRATION_ADMISSION_TASK_QUEUE,
  REGISTRATION_TASK_QUEUE,
} from './shared';
import { REGISTRATION_METRICS, WAIT_SECONDS_BUCKETS } from './shared/metrics';
import { connectWorker } from './temporal';
import { createTwilioClient } from './twilio/client';
import type { RegistrationMetricSinks } from './workflows/metrics';

export interface WorkerOptions {
  config: Config;
  connection: NativeConnection;
  namespace: string;
}

/**
 * The Temporal runtime's Prometheus exporter at `bindAddress` (GET /metrics): the SDK's own
 * `temporal_*` series and the service's `a2p_*` series, which workflows and activities emit
 * through the SDK's metric meter. Counters keep their names as given (the SDK's without a
 * `_total` suffix, e.g. `temporal_workflow_completed`); SDK latencies are in milliseconds.
 */
export function workerMetricsExporter(bindAddress: string): MetricsExporterConfig {
  return {
    prometheus: {
      bindAddress,
      histogramBucketOverrides: { [REGISTRATION_METRICS.waitSeconds]: [...WAIT_SECONDS_BUCKETS] },
    },
  };
}

/** Runs whose end was counted, kept to this many (a run ends once; the oldest go first). */
const COUNTED_RUNS = 10_000;

/**
 * Counts each registration run's end once, however often its last workflow task runs live in
 * this process (see RegistrationMetricSinks), with the tags the workflow meter gives its series.
 */
export function registrationMetricSinks(meter: MetricMeter): InjectedSinks<RegistrationMetricSinks> {
  const ended = meter.createCounter(REGISTRATION_METRICS.ended, undefined, 'Registrations ended, by outcome');
  const entered = meter.createCounter(
    REGISTRATION_METRICS.phaseEntered,
    undefined,
    'Registrations entering each phase',
  );
  const counted = new Set<string>();
  return {
    registrationMetrics: {
      ended: {
        fn(info, outcome) {
          if (counted.has(info.runId)) return;
          counted.add(info.runId);
          if (counted.size > COUNTED_RUNS) counted.delete(counted.values().next().value as string);
          const tags = {
            namespace: info.namespace,
            taskQueue: info.taskQueue,
            workflowType: info.workflowType,
          };
          ended.add(1, { ...tags, outcome });
          entered.add(1, { ...tags, phase: outcome });
        },
        callDuringReplay: false,
      },
    },
  };
}

/**
 * One worker per task queue. The registration queue runs the workflows and most activities, the
 * brand-usage queue the brand-usage workflows; the rate-limited Twilio endpoints and the paid submissions get queues of their own whose activity
 * rate the Temporal server enforces across every worker process (`maxTaskQueueActivitiesPerSecond`).
 */
export async function createWorkers({ config, connection, namespace }: WorkerOptions): Promise<Worker[]> {
  const dataConverter = createDataConverter(config.keyRing);
  // The runtime's meter: a no-op unless the runtime was installed with an exporter.
  const meter = Runtime.instance().metricMeter;
  const activities = createActivities({
    twilio: createTwilioClient({ ...config.twilio, metricMeter: meter }),
    primaryProfileSid: config.primaryProfileSid,
    publicWebhookUrl: config.publicWebhookUrl,
  });
  const sizing = config.worker;
  const common = {
    connection,
    namespace,
    dataConverter,
    activities,
    maxConcurrentActivityTaskExecutions: sizing.maxConcurrentActivityTaskExecutions,
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: sizing.activityTaskPollers },
  } as const;
  // The same for both workflow workers, the registration queue's and the brand-usage queue's.
  const workflowSizing = {
    maxCachedWorkflows: sizing.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: sizing.maxConcurrentWorkflowTaskExecutions,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: sizing.workflowTaskPollers },
    stickyQueueScheduleToStartTimeout: sizing.stickyQueueScheduleToStartTimeoutMs,
  } as const;
  return Promise.all([
    Worker.create({
      ...common,
      taskQueue: REGISTRATION_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows'),
      sinks: registrationMetricSinks(meter),
      ...workflowSizing,
    }),
    // The brand-usage workflows alone: bundled from their own module, so a new one evaluates that
    // module and not every workflow's (see BRAND_USAGE_TASK_QUEUE). They take no activity.
    Worker.create({
      connection,
      namespace,
      dataConverter,
      taskQueue: BRAND_USAGE_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows/brand-usage'),
      ...workflowSizing,
    }),
    Worker.create({
      ...common,
      taskQueue: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
      // 003: the ExternalCampaign API accepts one request per five seconds per account.
      maxTaskQueueActivitiesPerSecond: EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND,
    }),
    Worker.create({
      ...common,
      taskQueue: OTP_API_TASK_QUEUE,
      maxTaskQueueActivitiesPerSecond: OTP_REQUESTS_PER_SECOND,
    }),
    Worker.create({
      ...common,
      taskQueue: REGISTRATION_ADMISSION_TASK_QUEUE,
      maxTaskQueueActivitiesPerSecond: config.pacing.registrationAdmissionsPerSecond,
    }),
    Worker.create({
      ...common,
      taskQueue: BRAND_SUBMISSION_TASK_QUEUE,
      maxTaskQueueActivitiesPerSecond: config.pacing.brandSubmissionsPerSecond,
      activities: pacedActivities(activities, config.pacing.brandSubmissionsPerSecond),
    }),
    Worker.create({
      ...common,
      taskQueue: CAMPAIGN_SUBMISSION_TASK_QUEUE,
      maxTaskQueueActivitiesPerSecond: config.pacing.campaignSubmissionsPerSecond,
      activities: pacedActivities(activities, config.pacing.campaignSubmissionsPerSecond),
    }),
  ]);
}

/** Runs all workers until SIGINT/SIGTERM, which the Temporal runtime turns into a graceful shutdown. */
export async function runWorkers(config: Config): Promise<void> {
  const { connection, namespace } = await connectWorker();
  try {
    const workers = await createWorkers({ config, connection, namespace });
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  // The runtime is installed once per process, before the first connection.
  if (config.metricsBindAddress)
    Runtime.install({ telemetryOptions: { metrics: workerMetricsExporter(config.metricsBindAddress) } });
  runWorkers(config).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
