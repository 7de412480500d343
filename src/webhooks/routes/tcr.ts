import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { campaignShareSignal, externalCampaignWorkflowId, type CampaignShareEvent } from '../../shared';
import { makeDelivery } from '../dispatcher';
import { verifySharedSecret } from '../signatures';
import { TCR_PATH } from '../urls';
import {
  digestId,
  isoTime,
  issuePaths,
  normalizeKeys,
  rawBodyOf,
  reasonText,
  reject,
  type RouteContext,
} from './common';

export const SHARE_EVENT_TYPES = ['CAMPAIGN_SHARE_ACCEPT', 'CAMPAIGN_SHARE_DELETE'] as const;

/** 003: a TCR campaign id is a short alphanumeric string starting with C (seven characters today). */
export const TCR_CAMPAIGN_ID = /^C[A-Za-z0-9]{1,31}$/;

/** Field names TCR may use; keys are compared lower-cased without `_`/`-`. */
const eventSchema = z.record(z.string(), z.unknown()).transform((record, ctx) => {
  const e = normalizeKeys(record);
  const type = [e.eventtype, e.type, e.event].find((v): v is string => typeof v === 'string');
  if (!type || type.length > 64) {
    ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'missing event type' });
    return z.NEVER;
  }
  const idValue = [e.eventid, e.id].find((v) => typeof v === 'string' || typeof v === 'number');
  return {
    type: type.toUpperCase(),
    campaignId: typeof e.campaignid === 'string' ? e.campaignid : undefined,
    id: idValue === undefined ? undefined : String(idValue).slice(0, 256),
    time: [e.timestamp, e.eventtime, e.createdate, e.createddate, e.time].map(isoTime).find(Boolean),
    feedback: [e.description, e.feedback, e.sharingfeedback, e.reason, e.comment]
      .map(reasonText)
      .find((text) => text !== undefined),
    original: record,
  };
});

const bodySchema = z.union([z.array(eventSchema).min(1).max(20), eventSchema.transform((event) => [event])]);

/**
 * TCR campaign-sharing webhook (003). TCR does not sign its requests; the ISV configures the webhook
 * with a shared secret presented as a header, a bearer token or a Basic-auth password. The secret is
 * checked from the headers alone, before the body is read.
 */
export function registerTcrRoute(app: FastifyInstance, ctx: RouteContext & { tcrSecret: string }): void {
  app.post(TCR_PATH, {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const verdict = verifySharedSecret(request.headers, ctx.tcrSecret);
      if (verdict.ok) return;
      request.log.warn({ reason: verdict.reason }, 'tcr webhook authentication rejected');
      return verdict.reason === 'missing'
        ? reject(reply, 401, 'authentication required')
        : reject(reply, 403, 'forbidden');
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const body = rawBodyOf(request.body);
      if (body?.kind !== 'json') return reject(reply, 415, 'expected application/json');
      let json: unknown;
      try {
        json = JSON.parse(body.raw);
      } catch {
        request.log.warn('tcr webhook body is not JSON');
        return reject(reply, 400, 'malformed JSON');
      }
      const parsed = bodySchema.safeParse(json);
      if (!parsed.success) {
        request.log.warn({ fields: issuePaths(parsed.error) }, 'tcr webhook body rejected');
        return reject(reply, 400, 'expected a TCR event');
      }

      const deliveries = [];
      for (const event of parsed.data) {
        const type = SHARE_EVENT_TYPES.find((t) => t === event.type);
        if (!type) {
          request.log.info({ eventType: event.type }, 'tcr event acknowledged without a signal');
          continue;
        }
        if (!event.campaignId || !TCR_CAMPAIGN_ID.test(event.campaignId)) {
          request.log.warn({ eventType: type }, 'tcr share event without a valid campaignId');
          return reject(reply, 400, 'campaignId missing or invalid');
        }
        const payload: CampaignShareEvent = {
          // TCR's own id when it sends one; otherwise a digest, so a redelivery is the same event.
          eventId: event.id ? `tcr:${event.id}` : digestId('tcr', event.original),
          occurredAt: event.time ?? ctx.now().toISOString(),
          campaignId: event.campaignId,
          type,
          feedback: event.feedback,
        };
        deliveries.push(
          makeDelivery({
            kind: 'campaign-share',
            eventId: payload.eventId,
            context: { eventType: type, campaignId: payload.campaignId },
            target: { workflowId: externalCampaignWorkflowId(payload.campaignId) },
            signal: campaignShareSignal,
            payload,
          }),
        );
      }

      // The workflow is known from the campaign id, so TCR learns whether delivery worked.
      for (const delivery of deliveries) {
        const outcome = await ctx.dispatcher.deliverNow(delivery);
        if (outcome === 'busy' || outcome === 'failed' || outcome === 'timeout') {
          return reject(reply, 503, 'could not deliver the event now; retry later');
        }
      }
      return reply.code(200).send({ received: parsed.data.length });
    },
  });
}
