import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  A2P_BRAND_SID,
  A2P_MESSAGING_SERVICE_SID,
  brandStatusSignal,
  campaignStatusSignal,
  type BrandStatusEvent,
  type CampaignStatusEvent,
} from '../../shared';
import { makeDelivery, type Delivery } from '../dispatcher';
import { publicRequestUrl, singleHeader, verifyJsonSignature } from '../signatures';
import { EVENT_STREAMS_PATH } from '../urls';
import {
  isoTime,
  issuePaths,
  normalizeKeys,
  rawBodyOf,
  reasonText,
  reject,
  sidSchema,
  statusWord,
  type RouteContext,
} from './common';

export const BRAND_EVENT_PREFIX = 'com.twilio.messaging.compliance.brand-registration.';
export const CAMPAIGN_EVENT_PREFIX = 'com.twilio.messaging.compliance.campaign-registration.';
export const NUMBER_EVENT_PREFIX = 'com.twilio.messaging.compliance.number-registration.';

/** The most events one request may carry (the body limit bounds it well before this). */
export const MAX_EVENTS_PER_BATCH = 1000;

const cloudEventSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.string().min(1).max(256),
  time: z.string().max(64).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
type CloudEvent = z.output<typeof cloudEventSchema>;

/** Event Streams sends a JSON array; a single CloudEvent object is accepted too. */
const batchSchema = z.union([
  z.array(cloudEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  cloudEventSchema.transform((event) => [event]),
]);

const brandDataSchema = z.object({
  brandsid: sidSchema('BN'),
  brandstatus: statusWord.optional(),
  identitystatus: statusWord.optional(),
  failurereason: z.unknown().optional(),
  failurereasons: z.unknown().optional(),
  timestamp: z.unknown().optional(),
});

const campaignDataSchema = z.object({
  messagingservicesid: sidSchema('MG'),
  campaignsid: z
    .string()
    .regex(/^[A-Za-z0-9]{2,64}$/)
    .optional(),
  campaignregistrationstatus: statusWord.optional(),
  campaignstatus: statusWord.optional(),
  failurereason: z.unknown().optional(),
  failurereasons: z.unknown().optional(),
  timestamp: z.unknown().optional(),
});

/** What a brand event type says when its data carries no status field (001 statuses). */
const BRAND_TYPE_IMPLIES: Record<string, { brandStatus?: string; identityStatus?: string }> = {
  'brand-registered': { brandStatus: 'APPROVED' },
  'brand-failure': { brandStatus: 'FAILED' },
  'brand-unverified': { identityStatus: 'UNVERIFIED' },
  'brand-verified': { identityStatus: 'VERIFIED' },
  'brand-vetted-verified': { identityStatus: 'VETTED_VERIFIED' },
};

/** 002 campaign statuses; the event type decides when the data does not spell one of them. */
const CAMPAIGN_STATUSES = new Set(['PENDING', 'IN_PROGRESS', 'VERIFIED', 'FAILED', 'SUSPENDED', 'EXPIRED']);
const CAMPAIGN_TYPE_IMPLIES: Record<string, string> = {
  'campaign-submitted': 'IN_PROGRESS',
  'campaign-approved': 'VERIFIED',
  'campaign-failure': 'FAILED',
};

type Classified =
  | { kind: 'delivery'; delivery: Delivery }
  | { kind: 'ignored'; reason: 'unknown-type' | 'number-registration' | 'invalid-data' | 'no-status' };

export function classifyEvent(event: CloudEvent, now: Date): Classified {
  const data = normalizeKeys(event.data ?? {});
  const context = { eventType: event.type, eventId: event.id };

  if (event.type.startsWith(BRAND_EVENT_PREFIX)) {
    const parsed = brandDataSchema.safeParse(data);
    if (!parsed.success) return { kind: 'ignored', reason: 'invalid-data' };
    const d = parsed.data;
    const implied = BRAND_TYPE_IMPLIES[event.type.slice(BRAND_EVENT_PREFIX.length)] ?? {};
    const payload: BrandStatusEvent = {
      eventId: event.id,
      occurredAt: isoTime(event.time) ?? isoTime(d.timestamp) ?? now.toISOString(),
      brandSid: d.brandsid,
      brandStatus: d.brandstatus?.toUpperCase() ?? implied.brandStatus,
      identityStatus: d.identitystatus?.toUpperCase() ?? implied.identityStatus,
      failureReason: reasonText(d.failurereason) ?? reasonText(d.failurereasons),
    };
    return {
      kind: 'delivery',
      delivery: makeDelivery({
        kind: 'brand',
        eventId: payload.eventId,
        context: { ...context, brandSid: payload.brandSid, brandStatus: payload.brandStatus },
        target: { matches: [{ key: A2P_BRAND_SID, value: payload.brandSid }] },
        signal: brandStatusSignal,
        payload,
      }),
    };
  }

  if (event.type.startsWith(CAMPAIGN_EVENT_PREFIX)) {
    const parsed = campaignDataSchema.safeParse(data);
    if (!parsed.success) return { kind: 'ignored', reason: 'invalid-data' };
    const d = parsed.data;
    const spelled = d.campaignregistrationstatus ?? d.campaignstatus;
    const implied = CAMPAIGN_TYPE_IMPLIES[event.type.slice(CAMPAIGN_EVENT_PREFIX.length)];
    const campaignStatus =
      spelled && CAMPAIGN_STATUSES.has(spelled.toUpperCase()) ? spelled : (implied ?? spelled);
    if (!campaignStatus) return { kind: 'ignored', reason: 'no-status' };
    const payload: CampaignStatusEvent = {
      eventId: event.id,
      occurredAt: isoTime(event.time) ?? isoTime(d.timestamp) ?? now.toISOString(),
      messagingServiceSid: d.messagingservicesid,
      campaignSid: d.campaignsid,
      campaignStatus: campaignStatus.toUpperCase(),
      failureReason: reasonText(d.failurereason) ?? reasonText(d.failurereasons),
    };
    return {
      kind: 'delivery',
      delivery: makeDelivery({
        kind: 'campaign',
        eventId: payload.eventId,
        context: {
          ...context,
          messagingServiceSid: payload.messagingServiceSid,
          campaignSid: payload.campaignSid,
          campaignStatus: payload.campaignStatus,
        },
        target: { matches: [{ key: A2P_MESSAGING_SERVICE_SID, value: payload.messagingServiceSid }] },
        signal: campaignStatusSignal,
        payload,
      }),
    };
  }

  if (event.type.startsWith(NUMBER_EVENT_PREFIX)) return { kind: 'ignored', reason: 'number-registration' };
  return { kind: 'ignored', reason: 'unknown-type' };
}

function logIgnored(log: FastifyBaseLogger, event: CloudEvent, reason: string): void {
  const level = reason === 'invalid-data' || reason === 'no-status' ? 'warn' : 'info';
  log[level]({ eventType: event.type, eventId: event.id, reason }, 'event acknowledged without a signal');
}

/**
 * Event Streams webhook sink: a JSON array of CloudEvents signed with bodySHA256. Brand events go to
 * the running workflows carrying the brand SID, campaign events to those carrying the Messaging
 * Service SID, after the reply (Event Streams expects an answer within 5 s). A full queue answers
 * 503 so Event Streams delivers the batch again.
 */
export function registerEventStreamsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post(EVENT_STREAMS_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = rawBodyOf(request.body);
    if (body?.kind !== 'json') return reject(reply, 415, 'expected application/json');

    const url = publicRequestUrl(ctx.publicBaseUrl(), request.url);
    const verdict = verifyJsonSignature(
      ctx.authToken,
      singleHeader(request.headers['x-twilio-signature']),
      url,
      body.raw,
    );
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
    const batch = batchSchema.safeParse(json);
    if (!batch.success) {
      request.log.warn({ fields: issuePaths(batch.error) }, 'event streams batch rejected');
      return reject(reply, 400, 'expected an array of CloudEvents');
    }

    const now = ctx.now();
    const deliveries: Delivery[] = [];
    for (const event of batch.data) {
      const classified = classifyEvent(event, now);
      if (classified.kind === 'delivery') deliveries.push(classified.delivery);
      else logIgnored(request.log, event, classified.reason);
    }
    if (deliveries.length > 0 && !ctx.dispatcher.enqueue(deliveries)) {
      return reject(reply, 503, 'busy; retry later');
    }
    return reply.code(200).send({ received: batch.data.length });
  });
}
