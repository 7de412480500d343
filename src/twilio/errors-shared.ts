/**
 * The failure type activities use for Twilio's permanent (validation, not-found, auth) errors.
 * Kept free of Node and SDK imports so workflow code can name it in `nonRetryableErrorTypes`.
 */
export const TWILIO_PERMANENT_ERROR = 'TwilioPermanentError';
