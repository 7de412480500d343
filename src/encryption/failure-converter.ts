import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces may quote what Twilio rejected (an email, a name), so they
 * are moved into an encoded attributes payload that the encryption codec then encrypts.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
