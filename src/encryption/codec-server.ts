import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { type AccessTokenVerifier, createAccessTokenVerifier } from './access-token';
import { EncryptionCodec } from './codec';
import { loadKeyRing } from './keys';

/**
 * The codec server the Temporal Web UI and the `temporal` CLI call to show decrypted payloads
 * (Temporal's Codec Server protocol): `POST /encode` and `POST /decode` with a JSON body
 * `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }` (proto3 JSON of Payload) and the same
 * shape back. The routes are also served under a namespace segment (`/default/decode`) for the
 * CLI's `--codec-endpoint 'http://host:8888/{namespace}'` templating.
 * Requests must carry `Authorization: Bearer <token>` when a token or an OIDC provider is
 * configured: the static token (for the CLI and scripts), or an access token of the provider (the
 * Web UI's signed-in operator). Browsers get CORS answers for the configured Web UI origins only.
 */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** A static `Authorization: Bearer <token>` that is accepted when set. */
  authToken?: string;
  /** Checks OIDC access tokens (the Web UI's operators) when set. */
  accessToken?: AccessTokenVerifier;
  /** Origins allowed by CORS, e.g. the Web UI at http://localhost:8233. */
  corsOrigins: string[];
}

export const DEFAULT_CODEC_SERVER_PORT = 8888;
export const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';
const HEALTH_PATH = '/healthz';

const jsonPayloads = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.base64()).nullish(),
      data: z.base64().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof jsonPayloads>['payloads'][number];

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: p.data == null ? undefined : Buffer.from(p.data, 'base64'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The codec server as a Fastify app (not listening): `inject()` it in tests, `listen()` it to serve. */
export function buildCodecServer({
  codec,
  authToken,
  accessToken,
  corsOrigins,
}: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      void reply.header('Access-Control-Allow-Origin', origin);
      void reply.header('Vary', 'Origin');
      // The Web UI's "include cross-origin credentials" setting sends cookies with the request.
      void reply.header('Access-Control-Allow-Credentials', 'true');
      void reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      void reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
      void reply.header('Access-Control-Max-Age', '600');
    }
    // Preflights carry no credentials by definition; the POST that follows is checked.
    if (request.method === 'OPTIONS') return reply.code(204).send();
    if (request.url === HEALTH_PATH) return;
    if (!authToken && !accessToken) return;
    const header = request.headers.authorization;
    if (authToken && tokenMatches(header, authToken)) return;
    const verdict = accessToken ? await accessToken(header) : undefined;
    if (verdict?.ok) return;
    void reply.header('WWW-Authenticate', 'Bearer');
    return reply.code(401).send({ error: verdict?.reason ?? 'missing or wrong bearer token' });
  });

  for (const direction of ['encode', 'decode'] as const) {
    for (const path of [`/${direction}`, `/:namespace/${direction}`]) {
      app.options(path, (_request, reply) => reply.code(204).send());
      app.post(path, async (request, reply) => {
        const parsed = jsonPayloads.safeParse(request.body);
        if (!parsed.success)
          return reply
            .code(400)
            .send({ error: 'expected { payloads: [{ metadata, data }] } with base64 values' });
        const payloads = parsed.data.payloads.map(fromJson);
        try {
          const result = direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
          return { payloads: result.map(toJson) };
        } catch (err) {
          // A payload under a key this server does not hold, or tampered ciphertext.
          return reply.code(400).send({ error: err instanceof Error ? err.message : String(err) });
        }
      });
    }
  }
  app.get(HEALTH_PATH, () => ({ status: 'ok' }));
  return app;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

export async function startCodecServer(
  options: CodecServerOptions & { port?: number; host?: string },
): Promise<RunningCodecServer> {
  const app = buildCodecServer(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() };
}

const codecEnvSchema = z
  .object({
    A2P_CODEC_SERVER_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a port number')
      .min(1, 'must be a port number')
      .max(65_535, 'must be a port number')
      .default(DEFAULT_CODEC_SERVER_PORT),
    A2P_CODEC_SERVER_HOST: z.string().trim().min(1).default('127.0.0.1'),
    A2P_CODEC_AUTH_TOKEN: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined),
    A2P_CODEC_OIDC_ISSUER: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.url('must be the https URL of the OIDC issuer').optional()),
    A2P_CODEC_OIDC_AUDIENCE: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined),
    A2P_CODEC_OIDC_JWKS_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.url("must be the URL of the provider's JWKS").optional()),
    A2P_CODEC_CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((o) => o.trim().replace(/\/+$/, ''))
              .filter(Boolean)
          : DEFAULT_CORS_ORIGINS,
      ),
    A2P_ENCRYPTION_KEYS: z.string().trim().optional(),
    A2P_DATA_DIR: z.string().trim().default('.data'),
  })
  .refine((env) => !env.A2P_CODEC_OIDC_ISSUER || env.A2P_CODEC_OIDC_AUDIENCE, {
    path: ['A2P_CODEC_OIDC_AUDIENCE'],
    message: 'is required with A2P_CODEC_OIDC_ISSUER: the audience the access tokens are issued for',
  })
  .refine(
    (env) => isLoopback(env.A2P_CODEC_SERVER_HOST) || env.A2P_CODEC_AUTH_TOKEN || env.A2P_CODEC_OIDC_ISSUER,
    {
      path: ['A2P_CODEC_SERVER_HOST'],
      message:
        'is not a loopback address, and the server decrypts PII for whoever reaches it: set A2P_CODEC_OIDC_ISSUER ' +
        "and A2P_CODEC_OIDC_AUDIENCE (the Web UI passes its users' access tokens) or A2P_CODEC_AUTH_TOKEN",
    },
  );

/** 127.0.0.0/8, ::1 and localhost: only this machine can call a server bound there. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `npm run codec-server` settings; a bad value names its variable. */
export function loadCodecServerEnv(env: NodeJS.ProcessEnv = process.env) {
  const parsed = codecEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}

async function main(): Promise<void> {
  const env = loadCodecServerEnv();
  const ring = loadKeyRing(env.A2P_ENCRYPTION_KEYS, env.A2P_DATA_DIR);
  const server = await startCodecServer({
    codec: new EncryptionCodec(ring.active, ring.previous),
    authToken: env.A2P_CODEC_AUTH_TOKEN,
    accessToken: env.A2P_CODEC_OIDC_ISSUER
      ? createAccessTokenVerifier({
          issuer: env.A2P_CODEC_OIDC_ISSUER,
          audience: env.A2P_CODEC_OIDC_AUDIENCE as string,
          jwksUrl: env.A2P_CODEC_OIDC_JWKS_URL,
        })
      : undefined,
    corsOrigins: env.A2P_CODEC_CORS_ORIGINS,
    port: env.A2P_CODEC_SERVER_PORT,
    host: env.A2P_CODEC_SERVER_HOST,
  });
  console.log(
    `Codec server on ${server.url} for ${env.A2P_CODEC_CORS_ORIGINS.join(', ')}; key ids ${[ring.active, ...ring.previous].map((k) => k.id).join(', ')}` +
      (env.A2P_CODEC_OIDC_ISSUER
        ? `; access tokens of ${env.A2P_CODEC_OIDC_ISSUER} for ${env.A2P_CODEC_OIDC_AUDIENCE}${env.A2P_CODEC_AUTH_TOKEN ? ' or the bearer token' : ''} required`
        : env.A2P_CODEC_AUTH_TOKEN
          ? '; bearer token required'
          : '; no token required (loopback only)'),
  );
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
