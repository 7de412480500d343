import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DEFAULT_DELIVERY } from './callbacks';
import { ConflictError, type Engine } from './engine';
import type { Faults } from './faults';
import { PRIMARY_PROFILE_SID } from './state';

/**
 * The control API under /sandbox/: what a test (or the demo) does that Twilio, TCR or the customer
 * would otherwise do. No Twilio credentials are needed: it listens on the same local port only.
 */

const registrationErrorSchema = z.object({
  error_code: z.number().int(),
  description: z.string(),
  url: z.string().optional(),
  fields: z.array(z.string()).default([]),
});

const schemas = {
  bundleDecision: z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().min(1).optional() }),
  brandDecision: z.object({
    decision: z.enum(['approve', 'fail', 'suspend', 'review', 'delete', 'fail-deletion']),
    reason: z.string().min(1).optional(),
    errors: z.array(registrationErrorSchema).optional(),
  }),
  campaignDecision: z.object({
    decision: z.enum(['verify', 'fail']),
    errors: z.array(registrationErrorSchema).optional(),
  }),
  shareDecision: z.object({ decision: z.enum(['accept', 'delete']), feedback: z.string().min(1).optional() }),
  share: z.object({ campaignId: z.string().regex(/^C[A-Z0-9]{6}$/) }),
  clock: z.object({ ms: z.number().int().min(0) }),
  numbers: z.object({
    count: z.number().int().min(1).max(100_000),
    areaCode: z
      .string()
      .regex(/^[2-9]\d{2}$/)
      .optional(),
  }),
  faults: z
    .object({
      rateLimitFraction: z.number().min(0).max(1),
      serverErrorFraction: z.number().min(0).max(1),
      latencyMs: z.number().int().min(0).max(60_000),
      concurrencyLimit: z.number().int().min(1).nullable(),
      dropAfterCommitFraction: z.number().min(0).max(1),
      dropMode: z.enum(['destroy', '502']),
      holdAfterCommitMs: z.number().int().min(0).max(600_000),
      endpoints: z.array(z.string()),
      times: z.number().int().min(1).nullable(),
      seed: z.number().int().nullable(),
    })
    .partial(),
  prefill: z.object({ customers: z.number().int().min(1).max(100_000) }),
  eventSink: z.object({ url: z.url().nullable() }),
  tcrWebhook: z.object({ url: z.url().nullable(), secret: z.string().min(1).nullable().optional() }),
  delivery: z
    .object({
      duplicate: z.boolean(),
      reorder: z.boolean(),
      reorderWindowMs: z.number().int().min(0).max(60_000),
      maxAttempts: z.number().int().min(1).max(20),
      retryDelayMs: z.number().int().min(0).max(60_000),
      eventStreamRetryMs: z
        .number()
        .int()
        .min(0)
        .max(24 * 3600_000),
      timeoutMs: z.number().int().min(1).max(60_000),
    })
    .partial(),
  otpAutoReply: z.object({ ms: z.number().int().min(0).nullable() }),
  twoFa: z.object({ action: z.enum(['open', 'click', 'complete', 'timeout']) }),
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new BadRequest(z.prettifyError(result.error));
  return result.data;
}

class BadRequest extends Error {}

export function registerControl(app: FastifyInstance, engine: Engine, faults: Faults): void {
  const P = '/sandbox';
  const handle = (reply: FastifyReply, run: () => unknown) => {
    try {
      const result = engine.batched(run);
      engine.changed();
      return reply.code(200).send(result ?? { ok: true });
    } catch (err) {
      if (err instanceof BadRequest) return reply.code(400).send({ error: err.message });
      if (err instanceof ConflictError) return reply.code(409).send({ error: err.message });
      throw err;
    }
  };
  const param = (params: unknown, name: string): string => (params as Record<string, string>)[name] ?? '';

  app.get(`${P}/info`, (_req, reply) =>
    handle(reply, () => ({
      accountSid: engine.accountSid,
      primaryProfileSid: PRIMARY_PROFILE_SID,
      numbers: engine.account.numbers().map((n) => ({
        sid: n.sid,
        phoneNumber: n.phoneNumber,
        messagingServiceSid: engine.services.holderOf(n.sid) ?? null,
      })),
      now: engine.isoNow(),
      timings: engine.timings,
      eventSinkUrl: engine.eventSinkUrl,
      tcrWebhookUrl: engine.tcrWebhookUrl,
      otpAutoReplyMs: engine.brands.otpAutoReplyMs,
    })),
  );

  // The account buys `count` more numbers at once, as a load test's account would own them.
  app.post(`${P}/numbers`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.numbers, req.body);
      const numbers = engine.account.provisionNumbers(body.count, body.areaCode);
      return { numbers: numbers.map((n) => ({ sid: n.sid, phoneNumber: n.phoneNumber })) };
    }),
  );

  // Earlier customers' registrations, straight into the state: Twilio's lists as long as a busy ISV's.
  app.post(`${P}/prefill`, (req, reply) =>
    handle(reply, () => engine.prefill(parse(schemas.prefill, req.body).customers)),
  );

  app.post(`${P}/reset`, (_req, reply) =>
    handle(reply, () => {
      engine.reset();
      faults.set({});
      engine.resetDelivery(DEFAULT_DELIVERY);
    }),
  );

  // ---- reviews
  app.get(`${P}/reviews`, (_req, reply) => handle(reply, () => ({ reviews: engine.pendingReviews() })));
  app.post(`${P}/reviews/:id/advance`, (req, reply) =>
    handle(reply, () => {
      const id = param(req.params, 'id');
      if (id.startsWith('otp-'))
        throw new ConflictError('an OTP is answered, not advanced: POST /sandbox/brands/:sid/otp-reply');
      engine.advance(id);
      return { reviews: engine.pendingReviews() };
    }),
  );
  app.post(`${P}/reviews/advance-all`, (_req, reply) =>
    handle(reply, () => ({ steps: engine.advanceAll(), reviews: engine.pendingReviews() })),
  );
  app.post(`${P}/bundles/:sid/decision`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.bundleDecision, req.body);
      const sid = param(req.params, 'sid');
      const b = engine.asOwnerOf(sid, () => engine.trustHub.decide(sid, body.decision, body.reason));
      return { sid: b.sid, status: b.status, failureReason: b.failureReason };
    }),
  );
  app.post(`${P}/brands/:sid/decision`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.brandDecision, req.body);
      const sid = param(req.params, 'sid');
      const b = engine.asOwnerOf(sid, () =>
        engine.brands.decide(sid, body.decision, {
          reason: body.reason,
          errors: body.errors?.map((e) => ({
            ...e,
            url: e.url ?? `https://www.twilio.com/docs/api/errors/${e.error_code}`,
          })),
        }),
      );
      return {
        sid: b.sid,
        status: b.status,
        identityStatus: b.identityStatus,
        failureReason: b.failureReason,
      };
    }),
  );
  app.post(`${P}/brands/:sid/otp-reply`, (req, reply) =>
    handle(reply, () => {
      const sid = param(req.params, 'sid');
      const b = engine.asOwnerOf(sid, () => engine.brands.answerOtp(sid));
      return { sid: b.sid, status: b.status, identityStatus: b.identityStatus };
    }),
  );
  // Authentication+: the brand contact opens, clicks or completes the 2FA email, or lets it time out.
  app.post(`${P}/brands/:sid/2fa`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.twoFa, req.body);
      const sid = param(req.params, 'sid');
      const b = engine.asOwnerOf(sid, () => engine.brands.answer2fa(sid, body.action));
      return {
        sid: b.sid,
        status: b.status,
        identityStatus: b.identityStatus,
        twoFa: b.twoFa?.state ?? null,
      };
    }),
  );
  app.post(`${P}/campaigns/:sid/decision`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.campaignDecision, req.body);
      const sid = param(req.params, 'sid');
      const c = engine.asOwnerOf(sid, () =>
        engine.campaigns.decide(
          sid,
          body.decision,
          body.errors?.map((e) => ({
            ...e,
            url: e.url ?? `https://www.twilio.com/docs/api/errors/${e.error_code}`,
          })),
        ),
      );
      return { sid: c.sid, status: c.status, errors: c.errors };
    }),
  );
  app.post(`${P}/shares`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.share, req.body);
      return engine.external.shareCampaign(body.campaignId);
    }),
  );
  app.get(`${P}/shares`, (_req, reply) => handle(reply, () => ({ shares: engine.external.shares() })));
  app.post(`${P}/shares/:campaignId/decision`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.shareDecision, req.body);
      return engine.external.decideShare(param(req.params, 'campaignId'), body.decision, body.feedback);
    }),
  );

  // ---- clock
  app.get(`${P}/clock`, (_req, reply) => handle(reply, () => ({ now: engine.isoNow() })));
  app.post(`${P}/clock/advance`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.clock, req.body);
      engine.advanceClock(body.ms);
      return { now: engine.isoNow() };
    }),
  );

  // ---- faults
  app.get(`${P}/faults`, (_req, reply) => handle(reply, () => faults.settings));
  app.post(`${P}/faults`, (req, reply) => handle(reply, () => faults.set(parse(schemas.faults, req.body))));

  // ---- request log and fee ledger
  app.get(`${P}/requests`, (_req, reply) =>
    handle(reply, () => {
      const counts: Record<string, number> = {};
      for (const e of engine.requestLog) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
      return { entries: engine.requestLog, log: engine.requestLog, counts };
    }),
  );
  app.delete(`${P}/requests`, (_req, reply) =>
    handle(reply, () => {
      engine.requestLog = [];
    }),
  );
  app.get(`${P}/ledger`, (_req, reply) =>
    handle(reply, () => ({
      entries: engine.ledger(),
      totalUsd: engine.ledger().reduce((sum, e) => sum + e.amountUsd, 0),
    })),
  );

  // ---- callbacks and delivery
  app.post(`${P}/event-sink`, (req, reply) =>
    handle(reply, () => {
      engine.eventSinkUrl = parse(schemas.eventSink, req.body).url;
      return { url: engine.eventSinkUrl };
    }),
  );
  app.post(`${P}/tcr-webhook`, (req, reply) =>
    handle(reply, () => {
      const body = parse(schemas.tcrWebhook, req.body);
      engine.setTcrWebhook(body.url, body.secret ?? null);
      return { url: engine.tcrWebhookUrl };
    }),
  );
  app.post(`${P}/delivery`, (req, reply) =>
    handle(reply, () => {
      return engine.setDelivery(parse(schemas.delivery, req.body));
    }),
  );
  app.get(`${P}/deliveries`, (_req, reply) =>
    handle(reply, () => ({ attempts: engine.deliveries(), pending: engine.pendingDeliveries() })),
  );
  app.post(`${P}/otp-auto-reply`, (req, reply) =>
    handle(reply, () => {
      engine.brands.setOtpAutoReply(parse(schemas.otpAutoReply, req.body).ms);
      return { ms: engine.brands.otpAutoReplyMs };
    }),
  );
}
