import { createHash, timingSafeEqual } from 'node:crypto';
import { validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import { normalizeBaseUrl } from './urls';

/**
 * Request authentication.
 *
 * Twilio signs the URL it was configured with (scheme, host, path and query) plus, for form
 * bodies, the sorted POST parameters; for JSON bodies the URL carries `bodySHA256`, the hex SHA-256
 * of the raw body. Behind a TLS-terminating proxy the request reaches us on another scheme, host
 * and port, so the URL we check is always the configured public base URL followed by the path and
 * query exactly as received.
 */

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'no-body-hash' };

/** The URL Twilio signed: public base URL + the request's path and query as received. */
export function publicRequestUrl(publicBaseUrl: string, receivedUrl: string): string {
  const pathAndQuery = receivedUrl.startsWith('/') ? receivedUrl : `/${receivedUrl}`;
  return `${normalizeBaseUrl(publicBaseUrl)}${pathAndQuery}`;
}

/** A header Twilio sends once; a repeated or empty header is treated as absent. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** X-Twilio-Signature over a form-encoded request. */
export function verifyFormSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string | string[]>,
): SignatureVerdict {
  if (!signature) return { ok: false, reason: 'missing' };
  try {
    return validateRequest(authToken, signature, url, params)
      ? { ok: true }
      : { ok: false, reason: 'invalid' };
  } catch {
    // validateRequest parses the URL; one it cannot parse cannot be what Twilio signed.
    return { ok: false, reason: 'invalid' };
  }
}

/**
 * X-Twilio-Signature over a JSON request. Without `bodySHA256` in the URL the signature would
 * cover the URL only and any body could be replayed under it, so such a request is refused.
 */
export function verifyJsonSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  rawBody: string,
): SignatureVerdict {
  if (!signature) return { ok: false, reason: 'missing' };
  let bodyHashes: string[];
  try {
    bodyHashes = new URL(url).searchParams.getAll('bodySHA256');
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (bodyHashes.length !== 1 || !bodyHashes[0]) return { ok: false, reason: 'no-body-hash' };
  try {
    return validateRequestWithBody(authToken, signature, url, rawBody)
      ? { ok: true }
      : { ok: false, reason: 'invalid' };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

/** Constant-time string equality; hashing first makes the lengths equal and hides them. */
export function constantTimeEqual(provided: string, expected: string): boolean {
  const a = createHash('sha256').update(provided, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export const TCR_SECRET_HEADER = 'x-a2p-webhook-secret';

/**
 * The shared secret a TCR webhook request presents, from (in order) the `X-A2P-Webhook-Secret`
 * header, `Authorization: Bearer <secret>`, or `Authorization: Basic` whose password is the
 * secret (the user name is ignored).
 */
export function presentedSecret(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = singleHeader(headers[TCR_SECRET_HEADER]);
  if (direct) return direct;
  const authorization = singleHeader(headers.authorization);
  if (!authorization) return undefined;
  const match = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  const [, scheme, credentials] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() === 'bearer') return credentials;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

export type SecretVerdict = { ok: true } | { ok: false; reason: 'missing' | 'invalid' };

export function verifySharedSecret(
  headers: Record<string, string | string[] | undefined>,
  secret: string,
): SecretVerdict {
  const presented = presentedSecret(headers);
  if (presented === undefined) return { ok: false, reason: 'missing' };
  return constantTimeEqual(presented, secret) ? { ok: true } : { ok: false, reason: 'invalid' };
}
