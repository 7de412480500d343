import type { ActivityOptions } from '@temporalio/workflow';
import { TWILIO_PERMANENT_ERROR } from '../twilio/errors-shared';

/**
 * One Twilio call: 4xx answers fail at once (non-retryable TwilioPermanentError), 429/5xx/network
 * errors retry with exponential backoff for as long as Twilio stays unreachable.
 */
export const twilioCall = {
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '5m',
    nonRetryableErrorTypes: [TWILIO_PERMANENT_ERROR],
  },
} as const satisfies ActivityOptions;
