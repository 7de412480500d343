import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { EncryptionCodec, generateKey } from '../../../src/encryption';
import { createAccessTokenVerifier } from '../../../src/encryption/access-token';
import {
  loadCodecServerEnv,
  type RunningCodecServer,
  startCodecServer,
} from '../../../src/encryption/codec-server';

const AUDIENCE = 'a2p-codec';
const STATIC_TOKEN = 'cli-token-0123456789';

/**
 * An OIDC provider on loopback with a key pair made here: its discovery document names its JWKS,
 * as a real provider's does. The codec server is told only the issuer and the audience.
 */
describe("codec server behind OIDC access tokens (the Web UI passes its operators' tokens)", () => {
  let provider: Server;
  let issuer: string;
  let providerKey: KeyLike;
  let otherKey: KeyLike;
  let codecServer: RunningCodecServer;
  const requested: string[] = [];
  const codec = new EncryptionCodec(generateKey('k1'), []);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    providerKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    provider = createServer((req, res) => {
      requested.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      if (req.url === '/keys') return res.end(JSON.stringify({ keys: [jwk] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((done) => provider.listen(0, '127.0.0.1', done));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    codecServer = await startCodecServer({
      codec,
      authToken: STATIC_TOKEN,
      accessToken: createAccessTokenVerifier({ issuer, audience: AUDIENCE }),
      corsOrigins: [],
    });
  });
  afterAll(async () => {
    await codecServer?.close();
    await new Promise((done) => provider?.close(done));
  });

  function token(claims: { iss?: string; aud?: string; exp?: number } = {}, key = providerKey) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? AUDIENCE)
      .setSubject('operator@example.com')
      .setIssuedAt(now - 60)
      .setExpirationTime(claims.exp ?? now + 300)
      .sign(key);
  }

  async function decode(authorization?: string) {
    const [sealed] = await codec.encode([
      defaultPayloadConverter.toPayload({ email: 'jane.doe@example.com' }),
    ]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed.metadata ?? {}).map(([k, v]) => [
              k,
              Buffer.from(v ?? []).toString('base64'),
            ]),
          ),
          data: Buffer.from(sealed.data ?? []).toString('base64'),
        },
      ],
    };
    return fetch(`${codecServer.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
  }
  const reason = async (res: Response) => ((await res.json()) as { error: string }).error;

  test("a valid access token decodes the customer's data; the keys came through discovery", async () => {
    const res = await decode(`Bearer ${await token()}`);
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(payloads[0].data, 'base64').toString()).toContain('jane.doe@example.com');
    expect(requested).toEqual(expect.arrayContaining(['/.well-known/openid-configuration', '/keys']));
  });

  test('no token is refused, with a Bearer challenge', async () => {
    const res = await decode();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await reason(res)).toBe('no bearer token');
  });

  test('an expired token is refused', async () => {
    const res = await decode(`Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 30 })}`);
    expect(res.status).toBe(401);
    expect(await reason(res)).toBe('the token has expired');
  });

  test('a token for another audience is refused', async () => {
    const res = await decode(`Bearer ${await token({ aud: 'some-other-api' })}`);
    expect(res.status).toBe(401);
    expect(await reason(res)).toBe("the token's aud claim is not accepted");
  });

  test('a token from another issuer, or signed with a key the provider does not publish, is refused', async () => {
    const foreign = await decode(`Bearer ${await token({ iss: 'https://idp.example.com' })}`);
    expect(foreign.status).toBe(401);
    expect(await reason(foreign)).toBe("the token's iss claim is not accepted");
    const forged = await decode(`Bearer ${await token({}, otherKey)}`);
    expect(forged.status).toBe(401);
    expect(await reason(forged)).toBe('the token signature does not verify');
  });

  test("an HMAC-signed token is refused: only the provider's public keys may sign", async () => {
    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-anyone-could-pick-0123456789'));
    const res = await decode(`Bearer ${hmac}`);
    expect(res.status).toBe(401);
  });

  test('the static token still works for the CLI, and the health check needs none', async () => {
    expect((await decode(`Bearer ${STATIC_TOKEN}`)).status).toBe(200);
    expect((await fetch(`${codecServer.url}/healthz`)).status).toBe(200);
  });
});

describe('codec server settings for who may read PII', () => {
  test('the embedded default serves loopback without a token', () => {
    expect(() => loadCodecServerEnv({})).not.toThrow();
    expect(() => loadCodecServerEnv({ A2P_CODEC_SERVER_HOST: '::1' })).not.toThrow();
  });

  test('any other address needs OIDC settings or a token', () => {
    expect(() => loadCodecServerEnv({ A2P_CODEC_SERVER_HOST: '0.0.0.0' })).toThrow(
      /A2P_CODEC_SERVER_HOST.*loopback/,
    );
    expect(() =>
      loadCodecServerEnv({
        A2P_CODEC_SERVER_HOST: '0.0.0.0',
        A2P_CODEC_OIDC_ISSUER: 'https://idp.example.com/realms/ops',
        A2P_CODEC_OIDC_AUDIENCE: 'a2p-codec',
      }),
    ).not.toThrow();
    expect(() =>
      loadCodecServerEnv({ A2P_CODEC_SERVER_HOST: '0.0.0.0', A2P_CODEC_AUTH_TOKEN: 't' }),
    ).not.toThrow();
  });

  test('an issuer needs its audience, and must be a URL', () => {
    expect(() => loadCodecServerEnv({ A2P_CODEC_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(
      /A2P_CODEC_OIDC_AUDIENCE/,
    );
    expect(() => loadCodecServerEnv({ A2P_CODEC_OIDC_ISSUER: 'idp', A2P_CODEC_OIDC_AUDIENCE: 'x' })).toThrow(
      /A2P_CODEC_OIDC_ISSUER/,
    );
  });
});
