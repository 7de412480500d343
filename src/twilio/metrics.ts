import type { MetricMeter } from '@temporalio/common';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { TWILIO_METRICS } from '../shared/metrics';

/** A Twilio SID: two capital letters and 32 hex digits (`BN…`, `QE…`, `PN….json`). */
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
/** Anything else that names one resource rather than a collection: long hex or digit runs, E.164 numbers. */
const OTHER_ID = /^(\+?\d{6,}|[0-9a-fA-F-]{16,})$/;

/**
 * A label for the endpoint a request calls, of bounded cardinality: the method, the Twilio
 * product (the host's first label) and the path with every SID replaced by `{sid}` (and any other
 * id by `{id}`), without the query string:
 * `POST https://messaging.twilio.com/v1/a2p/BrandRegistrations/BN…/SmsOtp` becomes
 * `POST messaging/v1/a2p/BrandRegistrations/{sid}/SmsOtp`.
 */
export function twilioEndpointLabel(method: string, uri: string): string {
  let product = 'unknown';
  let path = uri.split(/[?#]/, 1)[0];
  try {
    const url = new URL(uri);
    product = url.hostname.endsWith('.twilio.com') ? url.hostname.split('.')[0] : url.hostname;
    path = url.pathname;
  } catch {
    // Not an absolute URL: keep the path as given.
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((segment) => {
      const dot = segment.indexOf('.');
      const [name, extension] = dot > 0 ? [segment.slice(0, dot), segment.slice(dot)] : [segment, ''];
      if (SID.test(name)) return `{sid}${extension}`;
      if (OTHER_ID.test(decodeURIComponentSafe(name))) return `{id}${extension}`;
      return segment;
    });
  return `${method.toUpperCase()} ${[product, ...segments].join('/')}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Counts every request the client sends, by endpoint and HTTP status (`error` when no response
 * came: a timeout, a refused connection). The `twilio` package resolves non-2xx responses and
 * raises its RestException above this layer, so every status is seen here, retried calls included.
 */
export function countTwilioRequests(httpClient: RequestClient, meter: MetricMeter): void {
  const counter = meter.createCounter(
    TWILIO_METRICS.requests,
    undefined,
    'Twilio API requests by endpoint and HTTP status',
  );
  const send = httpClient.request.bind(httpClient);
  httpClient.request = async <TData>(opts: RequestClient.RequestOptions<TData>) => {
    const endpoint = twilioEndpointLabel(opts.method, opts.uri);
    try {
      const response = await send(opts);
      counter.add(1, { endpoint, status: String(response.statusCode) });
      return response;
    } catch (err) {
      counter.add(1, { endpoint, status: 'error' });
      throw err;
    }
  };
}
