import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec } from './codec';
import { loadKeyRing } from './keys';

/**
 * The codec server the Temporal Web UI (and `temporal` CLI) calls to show decrypted payloads:
 * POST /encode and POST /decode with `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`.
 * It answers only requests carrying the configured bearer token, and only to the UI's origin.
 */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Required `Authorization: Bearer <token>` when set. */
  authToken?: string;
  /** Origins allowed by CORS, e.g. the Web UI at http://localhost:8233. */
  corsOrigins: string[];
}

const jsonPayloads = z.object({
  payloads: z.array(
    z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() }),
  ),
});
type JsonPayload = z.infer<typeof jsonPayloads>['payloads'][number];

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
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

export function buildCodecServer({ codec, authToken, corsOrigins }: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      void reply.header('Access-Control-Allow-Origin', origin);
      void reply.header('Vary', 'Origin');
      void reply.header('Access-Control-Allow-Credentials', 'true');
      void reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      void reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    }
    if (request.method === 'OPTIONS') return reply.code(204).send();
    if (authToken && !tokenMatches(request.headers.authorization, authToken)) {
      return reply.code(401).send({ error: 'missing or wrong bearer token' });
    }
  });

  for (const direction of ['encode', 'decode'] as const) {
    app.options(`/${direction}`, (_request, reply) => reply.code(204).send());
    app.post(`/${direction}`, async (request, reply) => {
      const parsed = jsonPayloads.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'expected { payloads: [...] }' });
      const payloads = parsed.data.payloads.map(fromJson);
      try {
        const result = direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
        return { payloads: result.map(toJson) };
      } catch (err) {
        return reply.code(400).send({ error: err instanceof Error ? err.message : String(err) });
      }
    });
  }
  app.get('/healthz', () => ({ status: 'ok' }));
  return app;
}

export async function startCodecServer(
  options: CodecServerOptions & { port?: number; host?: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildCodecServer(options);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://${options.host ?? '127.0.0.1'}:${port}`, close: () => app.close() };
}

if (require.main === module) {
  const ring = loadKeyRing(process.env.A2P_ENCRYPTION_KEYS, process.env.A2P_DATA_DIR ?? '.data');
  const port = Number(process.env.A2P_CODEC_SERVER_PORT ?? 8888);
  startCodecServer({
    codec: new EncryptionCodec(ring.active, ring.previous),
    authToken: process.env.A2P_CODEC_AUTH_TOKEN,
    corsOrigins: (process.env.A2P_CODEC_CORS_ORIGINS ?? 'http://localhost:8233').split(','),
    port,
    host: process.env.A2P_CODEC_SERVER_HOST ?? '127.0.0.1',
  })
    .then(({ url }) => console.log(`codec server on ${url}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
