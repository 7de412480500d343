import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  A2P_CUSTOMER_PROFILE_SID,
  A2P_TRUST_PRODUCT_SID,
  CUSTOMER_ID_PATTERN,
  customerIdFromWorkflowId,
  trustHubStatusSignal,
  type TrustHubStatusEvent,
} from '../../shared';
import { makeDelivery, type Delivery } from '../dispatcher';
import { publicRequestUrl, singleHeader, verifyFormSignature } from '../signatures';
import { TRUST_HUB_PATH } from '../urls';
import {
  digestId,
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

const callbackSchema = z.object({
  bundlesid: sidSchema('BU'),
  status: statusWord,
  failurereason: z.string().max(20_000).optional(),
  accountsid: sidSchema('AC').optional(),
  dateupdated: z.string().max(64).optional(),
});

const querySchema = z.object({
  workflowId: z
    .string()
    .refine(
      (id) => CUSTOMER_ID_PATTERN.test(customerIdFromWorkflowId(id) ?? ''),
      'must be a registration workflow id',
    )
    .optional(),
});

/** Form parameters as Twilio signs them: a repeated name becomes a list. */
export function parseForm(raw: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else params[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/**
 * Trust Hub `status_callback` (form-encoded, BundleSid + Status [+ FailureReason]). The workflow is
 * named in the callback URL, so the outcome is known while Twilio waits: a Temporal failure answers
 * 503 and Twilio's retry delivers the event again under the same id.
 */
export function registerTrustHubRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post(TRUST_HUB_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = rawBodyOf(request.body);
    if (body?.kind !== 'form') return reject(reply, 415, 'expected application/x-www-form-urlencoded');
    const params = parseForm(body.raw);

    const url = publicRequestUrl(ctx.publicBaseUrl(), request.url);
    const signature = singleHeader(request.headers['x-twilio-signature']);
    let verdict = verifyFormSignature(ctx.authToken, signature, url, params);
    // A customer subaccount's bundle: its callback is signed with that subaccount's token.
    const account = verdict.ok || !ctx.subaccountAuthToken ? undefined : params.AccountSid;
    const token = typeof account === 'string' ? await ctx.subaccountAuthToken?.(account) : undefined;
    if (token) verdict = verifyFormSignature(token, signature, url, params);
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'trust hub callback signature rejected');
      return reject(reply, 403, 'invalid signature');
    }

    const query = querySchema.safeParse(request.query);
    if (!query.success) {
      request.log.warn({ fields: issuePaths(query.error) }, 'trust hub callback query rejected');
      return reject(reply, 400, 'invalid query');
    }
    const parsed = callbackSchema.safeParse(normalizeKeys(params));
    if (!parsed.success) {
      request.log.warn({ fields: issuePaths(parsed.error) }, 'trust hub callback body rejected');
      return reject(reply, 400, 'invalid callback body');
    }

    const { bundlesid: bundleSid, status, failurereason, dateupdated } = parsed.data;
    const event: TrustHubStatusEvent = {
      // Twilio gives no event id: a digest of the signed parameters makes a redelivery the same event.
      eventId: digestId('trust-hub', params),
      occurredAt: isoTime(dateupdated) ?? ctx.now().toISOString(),
      bundleSid,
      status: status.toLowerCase(),
      failureReason: reasonText(failurereason),
    };
    const workflowId = query.data.workflowId;
    const delivery: Delivery = makeDelivery({
      kind: 'trust-hub',
      eventId: event.eventId,
      context: { bundleSid, status: event.status, workflowId },
      target: workflowId
        ? { workflowId }
        : {
            matches: [
              { key: A2P_CUSTOMER_PROFILE_SID, value: bundleSid },
              { key: A2P_TRUST_PRODUCT_SID, value: bundleSid },
            ],
          },
      signal: trustHubStatusSignal,
      payload: event,
    });

    const outcome = await ctx.dispatcher.deliverNow(delivery);
    if (outcome === 'busy' || outcome === 'failed' || outcome === 'timeout') {
      return reject(reply, 503, 'could not deliver the event now; retry later');
    }
    return reply.code(200).send({ received: true });
  });
}
