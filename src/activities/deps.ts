import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { FeeKind } from '../shared';
import { FEE_METRICS } from '../shared/metrics';
import type { TwilioClient } from '../twilio/client';

export interface ActivityDeps {
  twilio: TwilioClient;
  /** The ISV's own approved primary customer profile (000 step 1.6 assigns it to each starter profile). */
  primaryProfileSid: string;
  /** Public base URL of the webhook server; bundles are created with a status_callback under it. */
  publicWebhookUrl?: string;
}

interface PageLike<T> {
  instances: T[];
  nextPage(): Promise<PageLike<T>> | undefined;
}

/**
 * Finds the first item of a Twilio list that matches, page by page, stopping at the first hit.
 * Several Twilio lists (EndUsers, BrandRegistrations, Services) cannot filter server-side, and
 * this look-up is what keeps a retried create from making (and paying for) a second resource.
 */
export async function findInPages<T>(
  firstPage: () => Promise<PageLike<T>>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  let page: PageLike<T> | undefined = await firstPage();
  while (page) {
    const hit = page.instances.find(match);
    if (hit) return hit;
    page = await page.nextPage();
  }
  return undefined;
}

/** A Twilio 404: the resource is already gone, which is what a delete wanted. */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404;
}

/**
 * Twilio reports brand and campaign problems as `errors` arrays of objects (001, 002) whose shape
 * varies by resource; this renders each as one readable line: `code: description (fields)`.
 */
export function describeTwilioError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return JSON.stringify(error);
  const e = error as {
    error_code?: unknown;
    code?: unknown;
    description?: unknown;
    message?: unknown;
    fields?: unknown;
  };
  const code = [e.error_code, e.code].find(
    (c): c is string | number => typeof c === 'number' || typeof c === 'string',
  );
  const text =
    [e.description, e.message].find((v): v is string => typeof v === 'string') ?? JSON.stringify(error);
  const fields = Array.isArray(e.fields) ? ` (${e.fields.map(String).join(', ')})` : '';
  return `${code !== undefined ? `${code}: ` : ''}${text}${fields}`;
}

/**
 * `workflowId + suffix` when it fits in `max` characters (Twilio limits some friendly names to
 * 64); otherwise the start of the workflow id, `~`, 12 hex digits of its SHA-256 and the suffix:
 * the same on every attempt, so a retry finds it, and different for every workflow.
 */
export function nameWithin(max: number, workflowId: string, suffix = ''): string {
  const full = workflowId + suffix;
  if (full.length <= max) return full;
  const digest = createHash('sha256').update(workflowId).digest('hex').slice(0, 12);
  return `${workflowId.slice(0, max - suffix.length - digest.length - 1)}~${digest}${suffix}`;
}

/**
 * Whether a create must first look for what an earlier attempt may have made. The workflow says
 * so (`mayExist`: a re-started or continued registration, a step it has started before); otherwise
 * only a retried activity attempt can follow a create whose response was lost. The first attempt
 * of a clean registration's step creates without listing, so its cost does not grow with the
 * number of customers already registered.
 */
export function mayHaveEarlierAttempt(input: { mayExist?: boolean }): boolean {
  if (input.mayExist) return true;
  let attempt: number;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    // Called outside an activity (a script, a test): nothing says this is a first attempt.
    return true;
  }
  return attempt > 1;
}

/**
 * A paid Twilio call succeeded: counted by fee kind on the activity's metric meter, here where the
 * fee is incurred, so a create whose answer was lost (the retry finds the resource, pays nothing
 * and counts nothing) is counted once. Outside an activity (a script) there is no meter.
 */
export function countFee(kind: FeeKind): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.metricMeter
    .createCounter(FEE_METRICS.fees, undefined, 'Paid Twilio calls that succeeded, by fee kind')
    .add(1, { kind });
}
