import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Checks the OIDC access token the Temporal Web UI forwards to the codec server
 * (`TEMPORAL_CODEC_PASS_ACCESS_TOKEN`): `Authorization: Bearer <JWT>` signed by a key of the
 * provider's JWKS, issued by `issuer`, for `audience`, not expired. The JWKS address comes from
 * the issuer's discovery document unless given; keys are fetched once and again when a token names
 * a key id the set lacks (the provider rotated).
 */
export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  /** Default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
}

export type TokenVerdict = { ok: true; subject: string } | { ok: false; reason: string };
export type AccessTokenVerifier = (authorization: string | undefined) => Promise<TokenVerdict>;

/** Asymmetric algorithms only: an HMAC "JWT" would be signed with a secret the UI does not hold. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
  return document.jwks_uri;
}

function reasonFor(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey)
    return "the token was not signed by one of the provider's keys";
  if (err instanceof errors.JOSEError) return `the token is not valid (${err.code})`;
  return 'the token could not be checked';
}

export function createAccessTokenVerifier(settings: AccessTokenSettings): AccessTokenVerifier {
  // Fetched at the first request, so a provider that is down then is asked again at the next.
  let keys: JWTVerifyGetKey | undefined;
  const keySet = async () =>
    (keys ??= createRemoteJWKSet(new URL(settings.jwksUrl ?? (await discoverJwksUrl(settings.issuer)))));
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'no bearer token' };
    try {
      const { payload } = await jwtVerify(match[1], await keySet(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
      });
      return { ok: true, subject: payload.sub ?? '' };
    } catch (err) {
      return { ok: false, reason: reasonFor(err) };
    }
  };
}
