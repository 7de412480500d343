import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { classifyEvent, type A2pCloudEvent, type IgnoredReason } from '../a2p-events';
import type { Delivery } from '../dispatcher';
import { publicRequestUrl, singleHeader, verifyJsonSignature } from '../signatures';
import { accountOfEvents } from '../subaccounts';
import { EVENT_STREAMS_PATH } from '../urls';
import { rawBodyOf, reject, type RouteContext } from './common';

export {
  BRAND_EVENT_PREFIX,
  CAMPAIGN_EVENT_PREFIX,
  NUMBER_DEREGISTRATION_PREFIX,
  NUMBER_REGISTRATION_PREFIX,
  classifyEvent,
} from '../a2p-events';

/** The most events one request may carry (the body limit bounds it well before this). */
export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * The CloudEvents envelope as Twilio documents it. Only `id`, `type` and `data` are read:
 * `datacontenttype` holds a timestamp in the current examples (a doc-generator quirk the README
 * notes) and `time` exists only in the older ones, so neither may be required. `data` is an object
 * in every A2P example; an older Twilio example sends it as a JSON-encoded string, which is
 * accepted too.
 */
const cloudEventSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.string().min(1).max(256),
  time: z.string().max(64).optional(),
  data: z
    .preprocess(
      (value) => {
        if (typeof value !== 'string') return value;
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      },
      z.record(z.string(), z.unknown()),
    )
    .optional(),
});

/**
 * Event Streams delivers a JSON array of CloudEvents; Twilio's event-type pages print single
 * objects, which are accepted too. The error names each bad field by its place in the batch.
 */
export function parseBatch(
  json: unknown,
): { ok: true; events: A2pCloudEvent[] } | { ok: false; error: string } {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) return { ok: false, error: 'expected an array of CloudEvents: the array is empty' };
  if (items.length > MAX_EVENTS_PER_BATCH)
    return { ok: false, error: `expected at most ${MAX_EVENTS_PER_BATCH} events in a batch` };
  const events: A2pCloudEvent[] = [];
  const bad: string[] = [];
  items.forEach((item, index) => {
    const parsed = cloudEventSchema.safeParse(item);
    if (parsed.success) events.push({ ...parsed.data, data: parsed.data.data ?? {} });
    else
      for (const issue of parsed.error.issues.slice(0, 5)) {
        const field = issue.path.map(String).join('.');
        bad.push(Array.isArray(json) ? `[${index}]${field ? `.${field}` : ''}` : field || '(root)');
      }
  });
  if (bad.length > 0)
    return {
      ok: false,
      error: `expected an array of CloudEvents; invalid: ${[...new Set(bad)].slice(0, 10).join(', ')}`,
    };
  return { ok: true, events };
}

function logIgnored(log: FastifyBaseLogger, event: A2pCloudEvent, reason: IgnoredReason): void {
  const level =
    reason === 'invalid-data' || reason === 'no-status' || reason === 'no-target' ? 'warn' : 'info';
  log[level]({ eventType: event.type, eventId: event.id, reason }, 'event acknowledged without a signal');
}

/**
 * Event Streams webhook sink: a JSON array of CloudEvents signed with bodySHA256. Brand events go to
 * the running workflows carrying the brand SID, campaign and number events to those carrying the
 * Messaging Service SID (see ../a2p-events.ts), after the reply (Event Streams expects an answer within 5 s). A full queue answers
 * 503 so Event Streams delivers the batch again.
 */
export function registerEventStreamsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post(EVENT_STREAMS_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = rawBodyOf(request.body);
    if (body?.kind !== 'json') return reject(reply, 415, 'expected application/json');

    const url = publicRequestUrl(ctx.publicBaseUrl(), request.url);
    const signature = singleHeader(request.headers['x-twilio-signature']);
    let verdict = verifyJsonSignature(ctx.authToken, signature, url, body.raw);
    // A customer subaccount's sink: its events are signed with that subaccount's token.
    const account = verdict.ok || !ctx.subaccountAuthToken ? undefined : accountOfEvents(body.raw);
    const token = account ? await ctx.subaccountAuthToken?.(account) : undefined;
    if (token) verdict = verifyJsonSignature(token, signature, url, body.raw);
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'event streams signature rejected');
      return reject(reply, 403, 'invalid signature');
    }

    let json: unknown;
    try {
      json = JSON.parse(body.raw);
    } catch {
      request.log.warn('event streams body is not JSON');
      return reject(reply, 400, 'malformed JSON');
    }
    const batch = parseBatch(json);
    if (!batch.ok) {
      request.log.warn({ error: batch.error }, 'event streams batch rejected');
      return reject(reply, 400, batch.error);
    }

    const now = ctx.now();
    const deliveries: Delivery[] = [];
    for (const event of batch.events) {
      const classified = classifyEvent(event, now);
      if (classified.kind === 'delivery') deliveries.push(classified.delivery);
      else logIgnored(request.log, event, classified.reason);
    }
    if (deliveries.length > 0 && !ctx.dispatcher.enqueue(deliveries)) {
      return reject(reply, 503, 'busy; retry later');
    }
    return reply.code(200).send({ received: batch.events.length });
  });
}
