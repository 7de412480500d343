import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Dispatcher } from '../dispatcher';
import type { SubaccountTokenLookup } from '../subaccounts';

/** What each route needs from the server. */
export interface RouteContext {
  authToken: string;
  /** A customer subaccount's auth token, for requests it signed (see ../subaccounts.ts). */
  subaccountAuthToken?: SubaccountTokenLookup;
  /** The public base URL Twilio signs against (resolved per request: it may be known only after listen). */
  publicBaseUrl: () => string;
  tcrSecret?: string;
  dispatcher: Dispatcher;
  now: () => Date;
}

/** The content-type parsers keep the body as received; routes verify before they parse. */
export interface RawBody {
  kind: 'form' | 'json';
  raw: string;
}

export function rawBodyOf(body: unknown): RawBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { kind, raw } = body as Partial<RawBody>;
  return (kind === 'form' || kind === 'json') && typeof raw === 'string' ? { kind, raw } : undefined;
}

export function reject(
  reply: FastifyReply,
  status: 400 | 401 | 403 | 415 | 503,
  error: string,
): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="a2p-webhooks", charset="UTF-8"');
  if (status === 503) reply.header('retry-after', '5');
  return reply.code(status).send({ error });
}

/** A Twilio SID: two letters and 32 hex digits. */
export function sidSchema(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix} SID`);
}

/** A status word (letters, `_`, `-`). */
export const statusWord = z.string().regex(/^[A-Za-z][A-Za-z_-]{0,39}$/, 'must be a status word');

/**
 * Keys lower-cased with `_` and `-` removed, so `BundleSid`, `bundle_sid` and `bundlesid` are one
 * field. The first spelling present wins.
 */
export function normalizeKeys(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const normalized = key.toLowerCase().replace(/[_-]/g, '');
    if (!(normalized in out)) out[normalized] = value;
  }
  return out;
}

/** sha256 of a canonical rendering: identical content gives the same id however it is ordered. */
export function digestId(prefix: string, value: unknown): string {
  return `${prefix}:sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An ISO-8601 time from a sender's timestamp, or undefined when it is not one. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && (value.length === 0 || value.length > 64)) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const MAX_REASON = 2000;

/**
 * A failure reason as text, from a string or a list of strings / `{ description | message }`
 * objects. Kept for the workflow (the payload is encrypted), never logged.
 */
export function reasonText(value: unknown): string | undefined {
  const parts: string[] = [];
  const add = (item: unknown) => {
    if (typeof item === 'string' && item.trim()) parts.push(item.trim());
    else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const { description, message, reason } = item as Record<string, unknown>;
      const text = [description, message, reason].find((t) => typeof t === 'string' && t.trim());
      if (typeof text === 'string') parts.push(text.trim());
    }
  };
  if (Array.isArray(value)) value.slice(0, 50).forEach(add);
  else add(value);
  const text = parts.join('; ');
  return text ? text.slice(0, MAX_REASON) : undefined;
}

/** Zod issues as `path: message` without input values. */
export function issuePaths(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => issue.path.map(String).join('.') || '(root)');
}
