import { ApplicationFailure } from '@temporalio/common';

import { TWILIO_PERMANENT_ERROR } from './errors-shared';

export { TWILIO_PERMANENT_ERROR };

export interface TwilioErrorDetails {
  status: number;
  code?: number;
  message: string;
  moreInfo?: string;
}

interface RestExceptionLike {
  status: number;
  code?: number;
  message: string;
  moreInfo?: string;
}

function isRestException(err: unknown): err is RestExceptionLike {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { status?: unknown }).status === 'number' &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

/**
 * 4xx answers mean the request itself is wrong (bad parameter, missing resource, bad credentials)
 * and will fail the same way however often it is sent; 429 (Twilio code 20429, too many requests)
 * and 408 are the exceptions worth retrying. 5xx and network errors are transient.
 */
export function isPermanentTwilioError(err: unknown): err is RestExceptionLike {
  return (
    isRestException(err) && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408
  );
}

export function twilioErrorDetails(err: unknown): TwilioErrorDetails | undefined {
  if (!isRestException(err)) return undefined;
  return { status: err.status, code: err.code, message: err.message, moreInfo: err.moreInfo };
}

/**
 * Runs one Twilio call. A permanent error becomes a non-retryable `ApplicationFailure` carrying
 * Twilio's status, code, message and more_info, so the workflow can record it and ask for a
 * correction; anything else is rethrown for Temporal to retry with backoff.
 */
export async function twilioCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isPermanentTwilioError(err)) {
      const details = twilioErrorDetails(err);
      throw ApplicationFailure.create({
        type: TWILIO_PERMANENT_ERROR,
        nonRetryable: true,
        message: `${what}: Twilio ${err.status}${err.code ? ` (${err.code})` : ''}: ${err.message}`,
        details: [details],
        cause: err instanceof Error ? err : undefined,
      });
    }
    throw err;
  }
}
