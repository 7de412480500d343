import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from './engine';
import type { Faults } from './faults';
import { Params, TwilioApiError, errorBody, parseForm, type RawParams } from './wire';

/** The request log keeps this many of the latest requests. */
const REQUEST_LOG_LIMIT = 100_000;

/** What an API handler sees: the path parameters, the form body and the query string. */
export interface ApiContext {
  engine: Engine;
  /** The account whose credentials the request carried (the one that may create subaccounts). */
  caller?: string;
  path: Record<string, string>;
  form: Params;
  query: Params;
  /** The request path, without the query string. */
  pathname: string;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export type ApiHandler = (ctx: ApiContext) => ApiResult;

export type Method = 'GET' | 'POST' | 'DELETE';

/** A write the sandbox has committed (the resource is created, changed or deleted), before it answers. */
export interface CommittedRequest {
  method: Method;
  path: string;
  /** `"METHOD /route/pattern"`, as in the request log. */
  endpoint: string;
  /** The status the answer will carry, if it is sent. */
  status: number;
}

/**
 * Runs after a write committed and before its answer leaves: a test's chance to act at exactly
 * that moment (kill the worker that sent it, say). The answer waits for the returned promise.
 */
export type CommitListener = (request: CommittedRequest) => void | Promise<void>;

export interface Api {
  route(method: Method, pattern: string, handler: ApiHandler): void;
}

function basicAuth(header: string | undefined): { user: string; pass: string } | null {
  const m = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * Registers Twilio API routes with everything every request goes through: HTTP Basic auth with the
 * account SID and auth token (401, code 20003, like Twilio), injected faults, the request log, and
 * Twilio's error rendering.
 */
export function createApi(
  app: FastifyInstance,
  engine: Engine,
  faults: Faults,
  commitListeners: Set<CommitListener> = new Set(),
): Api {
  return {
    route(method, pattern, handler) {
      const endpoint = `${method} ${pattern}`;
      app.route({
        method,
        url: pattern,
        handler: async (req: FastifyRequest, reply: FastifyReply) => {
          const started = Date.now();
          const pathname = req.url.split('?')[0] ?? req.url;
          let committed = false;
          const record = (status: number, fault: string | null) => {
            engine.requestLog.push({
              time: new Date().toISOString(),
              method,
              path: pathname,
              endpoint,
              status,
              durationMs: Date.now() - started,
              fault,
              committed,
            });
            // Enough for a benchmark's whole run (hundreds of registrations, ~20 calls each).
            if (engine.requestLog.length > REQUEST_LOG_LIMIT)
              engine.requestLog.splice(0, engine.requestLog.length - REQUEST_LOG_LIMIT);
          };
          const fail = (status: number, code: number, message: string, fault: string | null) => {
            record(status, fault);
            return reply.code(status).send(errorBody(status, code, message));
          };

          const auth = basicAuth(req.headers.authorization);
          const caller = auth ? engine.authenticate(auth.user, auth.pass) : null;
          if (!auth || !caller) return fail(401, 20003, 'Authenticate', null);
          // Subaccounts page: "You can use your main account credentials ... to access ... v2010
          // API resources for any of your subaccounts. You may also use a subaccount's AccountSid
          // and AuthToken to access the resources of that subaccount." Every other API acts for the
          // account whose credentials were sent.
          const pathAccount = (req.params as Record<string, string> | undefined)?.account;
          const account =
            caller === engine.mainAccountSid && pathAccount && engine.subaccount(pathAccount)
              ? pathAccount
              : caller;
          // A suspended or closed subaccount's own credentials stop working; its main account can
          // still reach it (to reactivate it, say).
          const status = caller === engine.mainAccountSid ? 'active' : engine.subaccount(caller)?.status;
          if (status !== 'active')
            return fail(401, 20003, `Authenticate: account ${caller} is ${status ?? 'unknown'}`, null);

          if (!faults.enter(auth.user)) return fail(429, 20429, 'Too Many Requests', 'concurrency');
          try {
            if (faults.settings.latencyMs > 0 && faults.applies(endpoint))
              await sleep(faults.settings.latencyMs);
            const decision = faults.before(endpoint);
            if (decision.kind === 'rate-limit') return fail(429, 20429, 'Too Many Requests', 'rate-limit');
            if (decision.kind === 'server-error')
              return fail(
                decision.status,
                decision.status === 500 ? 20500 : 20503,
                decision.status === 500 ? 'Internal Server Error' : 'Service Unavailable',
                `server-error-${decision.status}`,
              );

            const query = new URLSearchParams(
              req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
            );
            const ctx: ApiContext = {
              engine,
              path: (req.params ?? {}) as Record<string, string>,
              form: new Params(isRaw(req.body) ? req.body : {}),
              query: new Params(parseForm(query.toString())),
              pathname,
              caller,
            };
            const result = engine.inAccount(account, () => engine.batched(() => handler(ctx)));
            engine.changed();
            committed = result.status < 400;
            if (committed && method !== 'GET')
              for (const listener of [...commitListeners])
                await listener({ method, path: pathname, endpoint, status: result.status });

            const after = faults.afterCommit(endpoint, method);
            if (after.kind === 'hold') await sleep(after.ms);
            if (after.kind === 'drop') {
              if (faults.settings.dropMode === '502') {
                record(502, 'drop-after-commit');
                return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>');
              }
              record(0, 'drop-after-commit');
              reply.hijack();
              req.raw.socket.destroy();
              return reply;
            }
            record(result.status, after.kind === 'hold' ? 'hold-after-commit' : null);
            if (result.body === undefined) return reply.code(result.status).send();
            return reply.code(result.status).send(result.body);
          } catch (err) {
            if (err instanceof TwilioApiError) return fail(err.status, err.code, err.message, null);
            req.log.error(err);
            return fail(500, 20500, 'Internal Server Error', null);
          } finally {
            faults.leave(auth.user);
          }
        },
      });
    },
  };
}

function isRaw(body: unknown): body is RawParams {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}
