import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { pacedActivities } from './activities/pacing';
import { type Config, ConfigError, loadConfig } from './config';
import { createDataConverter } from './encryption';
import {
  BRAND_SUBMISSION_TASK_QUEUE,
  CAMPAIGN_SUBMISSION_TASK_QUEUE,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND,
  OTP_API_TASK_QUEUE,
  OTP_REQUESTS_PER_SECOND,
  REGISTRATION_TASK_QUEUE,
} from './shared';
import { connectWorker } from './temporal';
import { createTwilioClient } from './twilio/client';

export interface WorkerOptions {
  config: Config;
  connection: NativeConnection;
  namespace: string;
}

/**
 * One worker per task queue. The registration queue runs the workflows and most activities; the
 * rate-limited Twilio endpoints and the paid submissions get queues of their own whose activity
 * rate the Temporal server enforces across every worker process (`maxTaskQueueActivitiesPerSecond`).
 */
export async function createWorkers({ config, connection, namespace }: WorkerOptions): Promise<Worker[]> {
  const dataConverter = createDataConverter(config.keyRing);
  const activities = createActivities({
    twilio: createTwilioClient(config.twilio),
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
  return Promise.all([
    Worker.create({
      ...common,
      taskQueue: REGISTRATION_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows'),
      maxCachedWorkflows: sizing.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: sizing.maxConcurrentWorkflowTaskExecutions,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: sizing.workflowTaskPollers },
      stickyQueueScheduleToStartTimeout: sizing.stickyQueueScheduleToStartTimeoutMs,
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
  runWorkers(config).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
