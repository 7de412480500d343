import type { MetricMeter } from '@temporalio/common';
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { countTwilioRequests } from './metrics';

export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /**
   * When set, every request goes to this base URL instead of Twilio (the bundled sandbox or any
   * stand-in that follows the same routing). The `twilio` package still builds and parses every
   * request, so the code under test is the code that runs against Twilio.
   */
  apiBaseUrl?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Where each request is counted by endpoint and status (the worker's: its Temporal runtime's meter). */
  metricMeter?: MetricMeter;
}

/**
 * Maps a Twilio API URL onto a sandbox base URL: each Twilio host is served under a path prefix
 * named after the host's first label, so `https://trusthub.twilio.com/v1/X` becomes
 * `<base>/trusthub/v1/X` and `https://api.twilio.com/2010-04-01/X` becomes `<base>/api/2010-04-01/X`.
 * Regional hosts (`trusthub.us1.twilio.com`) keep the first label too.
 */
export function rewriteTwilioUrl(uri: string, apiBaseUrl: string): string {
  const url = new URL(uri);
  if (!url.hostname.endsWith('.twilio.com')) return uri;
  const product = url.hostname.split('.')[0];
  return `${apiBaseUrl.replace(/\/+$/, '')}/${product}${url.pathname}${url.search}`;
}

/** A `RequestClient` that sends each request to the sandbox base URL instead of Twilio's hosts. */
export class RoutingRequestClient extends RequestClient {
  constructor(
    private readonly apiBaseUrl: string,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.apiBaseUrl) });
  }
}

/**
 * The one place the `twilio` client is built. Retries stay off: Temporal's activity retry policy
 * decides what to retry, with backoff, across worker restarts.
 */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const requestOptions: RequestClient.RequestClientOptions = {
    timeout: options.timeoutMs ?? 30_000,
    keepAlive: true,
    autoRetry: false,
  };
  const httpClient = options.apiBaseUrl
    ? new RoutingRequestClient(options.apiBaseUrl, requestOptions)
    : new RequestClient(requestOptions);
  if (options.metricMeter) countTwilioRequests(httpClient, options.metricMeter);
  return twilio(options.accountSid, options.authToken, { httpClient });
}
