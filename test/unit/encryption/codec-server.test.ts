import { EncryptionCodec, generateKey } from '../../../src/encryption';
import { startCodecServer } from '../../../src/encryption/codec-server';

describe('codec server for the Temporal Web UI', () => {
  const codec = new EncryptionCodec(generateKey('k1'));
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await startCodecServer({
      codec,
      authToken: 'secret-token',
      corsOrigins: ['http://localhost:8233'],
    });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, token = 'secret-token') =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  test('decodes what it encoded, and the encoded form hides the plaintext', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"jane@example.com"').toString('base64'),
    };
    const encoded = (await (await post('/encode', { payloads: [plain] })).json()) as {
      payloads: { data: string; metadata: Record<string, string> }[];
    };
    expect(Buffer.from(encoded.payloads[0].data, 'base64').toString('latin1')).not.toContain(
      'jane@example.com',
    );
    expect(Buffer.from(encoded.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('k1');
    const decoded = (await (await post('/decode', encoded)).json()) as { payloads: (typeof plain)[] };
    expect(decoded.payloads).toEqual([plain]);
  });

  test('refuses requests without the bearer token', async () => {
    expect((await post('/decode', { payloads: [] }, 'wrong')).status).toBe(401);
  });

  test('answers the Web UI preflight for its origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,x-namespace',
        },
      });
    const ok = await preflight('http://localhost:8233');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(ok.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a malformed body is a 400, not a crash', async () => {
    expect((await post('/decode', { nope: true })).status).toBe(400);
    expect(
      (
        await post('/decode', {
          payloads: [
            {
              metadata: {
                encoding: Buffer.from('binary/encrypted').toString('base64'),
                'encryption-key-id': Buffer.from('unknown').toString('base64'),
              },
              data: 'AAAA',
            },
          ],
        })
      ).status,
    ).toBe(400);
  });
});
