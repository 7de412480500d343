import { EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS, OTP_RETRY_REQUESTS_PER_SECOND } from '../domain/rules';

/** The task queue every registration workflow and most activities run on. */
export const REGISTRATION_TASK_QUEUE = 'a2p-registration';

/**
 * The brand-usage workflows, which count each mobile number, email and address against TCR's
 * limits (three per registration start), on a queue of their own: their worker bundles that one
 * workflow alone, so a new one does not build the request schemas every registration workflow
 * carries, and its workflow tasks run on a thread of their own instead of queueing with the
 * registrations'. Those started before this queue existed go on running on the registration
 * queue, whose worker still has the workflow.
 */
export const BRAND_USAGE_TASK_QUEUE = 'a2p-brand-usage';

/**
 * Activities whose Twilio endpoint has an account-wide rate limit run on their own task queue,
 * throttled with `maxTaskQueueActivitiesPerSecond`, which the Temporal server enforces across all
 * workers together (a per-process limiter would not).
 */
export const EXTERNAL_CAMPAIGN_API_TASK_QUEUE = 'a2p-external-campaign-api';
export const OTP_API_TASK_QUEUE = 'a2p-otp-api';
/**
 * A registration's first step: its admission, at a pace the server enforces across all workers
 * (A2P_REGISTRATION_ADMISSIONS_PER_SECOND), so a burst of sign-ups enters the Trust Hub steps at
 * about the rate its brands can be submitted instead of all at once.
 */
export const REGISTRATION_ADMISSION_TASK_QUEUE = 'a2p-registration-admissions';
/** Brand and campaign submissions (the paid calls), each paced by its own configurable rate. */
export const BRAND_SUBMISSION_TASK_QUEUE = 'a2p-brand-submissions';
export const CAMPAIGN_SUBMISSION_TASK_QUEUE = 'a2p-campaign-submissions';

/**
 * 003: "Rate limit: One request per five seconds." for the ExternalCampaign API, per account.
 * The server's limiter (GCRA with a one-second burst) lets the first request after a quiet spell
 * be followed by the next one interval minus a second later. One per seven seconds keeps every
 * gap at six seconds or more: under the limit, not on it.
 */
export const EXTERNAL_CAMPAIGN_REQUESTS_PER_SECOND = 1_000 / (EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS + 2_000);
/** 000 3.2: the SmsOtp endpoint "has a rate limit of 10 requests per second per account". */
export const OTP_REQUESTS_PER_SECOND = OTP_RETRY_REQUESTS_PER_SECOND;
