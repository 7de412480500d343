import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { EncryptionCodec, generateKey } from '../../../src/encryption';
import {
  loadCodecServerEnv,
  type RunningCodecServer,
  startCodecServer,
} from '../../../src/encryption/codec-server';

type JsonPayload = { metadata: Record<string, string>; data?: string };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string) => Buffer.from(s, 'base64').toString('latin1');

/** A payload in the protocol's JSON form (every bytes field base64), as the Web UI sends it. */
function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}
const plainPayload = (value: unknown) => toJson(defaultPayloadConverter.toPayload(value));

const UI = 'http://localhost:8233';
const TOKEN = 'codec-secret';

describe('codec server for the Temporal Web UI', () => {
  const oldKey = generateKey('k-old');
  const newKey = generateKey('k-new');
  let server: RunningCodecServer;

  beforeAll(async () => {
    server = await startCodecServer({
      codec: new EncryptionCodec(newKey, [oldKey]),
      authToken: TOKEN,
      corsOrigins: [UI],
    });
  });
  afterAll(() => server.close());

  const post = (
    path: string,
    body: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
  ) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const payloadsOf = async (res: Response) => ((await res.json()) as { payloads: JsonPayload[] }).payloads;

  test('encode hides the value under the active key id, and decode gives back exactly what was encoded', async () => {
    const plain = plainPayload({ email: 'jane.doe@example.com' });
    const encoded = await post('/encode', { payloads: [plain] });
    expect(encoded.status).toBe(200);
    const [sealed] = await payloadsOf(encoded);
    expect(text(sealed.data ?? '')).not.toContain('jane.doe@example.com');
    expect(text(sealed.metadata.encoding)).toBe('binary/encrypted');
    expect(text(sealed.metadata['encryption-key-id'])).toBe('k-new');

    const decoded = await post('/decode', { payloads: [sealed] });
    expect(decoded.status).toBe(200);
    expect(await payloadsOf(decoded)).toEqual([plain]);
  });

  test('decodes history written before a key rotation, and passes unencrypted payloads through', async () => {
    const [underOldKey] = await new EncryptionCodec(oldKey).encode([
      defaultPayloadConverter.toPayload('before rotation'),
    ]);
    const plain = plainPayload('never encrypted');
    const res = await post('/decode', { payloads: [toJson(underOldKey), plain] });
    expect(res.status).toBe(200);
    const [first, second] = await payloadsOf(res);
    expect(text(first.data ?? '')).toBe('"before rotation"');
    expect(second).toEqual(plain);
  });

  test("serves the CLI's namespace-templated paths too", async () => {
    const sealed = await payloadsOf(await post('/default/encode', { payloads: [plainPayload(42)] }));
    const res = await post('/default/decode', { payloads: sealed });
    expect(res.status).toBe(200);
    expect(text((await payloadsOf(res))[0].data ?? '')).toBe('42');
  });

  test('refuses a missing or wrong bearer token, but health checks need none', async () => {
    expect((await post('/decode', { payloads: [] }, {})).status).toBe(401);
    expect((await post('/decode', { payloads: [] }, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('/encode', { payloads: [] }, { authorization: TOKEN })).status).toBe(401);
    expect((await post('/decode', { payloads: [] })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('without a configured token a request needs none', async () => {
    const open = await startCodecServer({ codec: new EncryptionCodec(newKey), corsOrigins: [UI] });
    try {
      const res = await fetch(`${open.url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"payloads":[]}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ payloads: [] });
    } finally {
      await open.close();
    }
  });

  test("answers the Web UI's preflight for its origin, allowing the Authorization and X-Namespace headers", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('the POST after the preflight carries the CORS headers for the UI origin only', async () => {
    const fromUi = await post(
      '/decode',
      { payloads: [] },
      { authorization: `Bearer ${TOKEN}`, origin: UI, 'x-namespace': 'default' },
    );
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI);
    expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
    const fromElsewhere = await post(
      '/decode',
      { payloads: [] },
      { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' },
    );
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a malformed body, bad base64, an unknown key or tampered ciphertext is a 400', async () => {
    expect((await post('/decode', { nope: true })).status).toBe(400);
    expect((await post('/decode', { payloads: [{ metadata: { encoding: 'not base64!' } }] })).status).toBe(
      400,
    );
    const unknownKey = {
      metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k-unknown') },
      data: b64('x'.repeat(40)),
    };
    const unknown = await post('/decode', { payloads: [unknownKey] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('k-unknown');

    const [sealed] = await payloadsOf(await post('/encode', { payloads: [plainPayload('x')] }));
    const bytes = Buffer.from(sealed.data ?? '', 'base64');
    bytes[bytes.length - 1] ^= 0xff;
    const tampered = await post('/decode', { payloads: [{ ...sealed, data: bytes.toString('base64') }] });
    expect(tampered.status).toBe(400);
  });
});

describe('codec server settings', () => {
  test('defaults: port 8888 on loopback for the local Web UI, no token', () => {
    const env = loadCodecServerEnv({});
    expect(env.A2P_CODEC_SERVER_PORT).toBe(8888);
    expect(env.A2P_CODEC_SERVER_HOST).toBe('127.0.0.1');
    expect(env.A2P_CODEC_CORS_ORIGINS).toContain('http://localhost:8233');
    expect(env.A2P_CODEC_AUTH_TOKEN).toBeUndefined();
  });

  test('reads the port, token and origins, and names a bad port', () => {
    const env = loadCodecServerEnv({
      A2P_CODEC_SERVER_PORT: '9999',
      A2P_CODEC_AUTH_TOKEN: 't',
      A2P_CODEC_CORS_ORIGINS: 'https://ui.example.com/, http://localhost:8080',
    });
    expect(env).toMatchObject({
      A2P_CODEC_SERVER_PORT: 9999,
      A2P_CODEC_AUTH_TOKEN: 't',
      A2P_CODEC_CORS_ORIGINS: ['https://ui.example.com', 'http://localhost:8080'],
    });
    expect(() => loadCodecServerEnv({ A2P_CODEC_SERVER_PORT: 'eighty' })).toThrow(/A2P_CODEC_SERVER_PORT/);
  });
});
