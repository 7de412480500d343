/**
 * Twilio's wire format: form parameters in, snake_case JSON out, list pages with `meta` (v1 APIs)
 * or the 2010-04-01 paging keys, and errors as `{ code, message, more_info, status }`.
 */

export const HOSTS = {
  trusthub: 'https://trusthub.twilio.com',
  messaging: 'https://messaging.twilio.com',
  api: 'https://api.twilio.com',
  events: 'https://events.twilio.com',
} as const;

/** A Twilio REST error; the server renders it as Twilio does. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export const notFound = (path: string) =>
  new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
export const missingParam = (name: string) =>
  new TwilioApiError(400, 20001, `Missing required parameter ${name} in the post body`);
export const invalidParam = (name: string, why: string) =>
  new TwilioApiError(400, 20001, `Invalid parameter ${name}: ${why}`);

/** v1 APIs: ISO 8601 without milliseconds, as the documents show ("2021-02-16T20:40:57Z"). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 2010-04-01 API: RFC 2822 ("Tue, 18 Aug 2015 17:07:30 +0000"), as 004's Address output shows. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

export type RawParams = Record<string, string | string[]>;

/** Parses a form body or query string; a repeated name becomes a list (Twilio's array encoding). */
export function parseForm(raw: string): RawParams {
  const params: RawParams = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else params[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/** Typed access to request parameters, with Twilio's error for a missing or malformed one. */
export class Params {
  constructor(readonly raw: RawParams) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  get(name: string): string | undefined {
    const v = this.raw[name];
    return Array.isArray(v) ? v[0] : v;
  }

  all(name: string): string[] {
    const v = this.raw[name];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '') throw missingParam(name);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw invalidParam(name, 'must be true or false');
  }

  sid(name: string, prefix: string, required: true): string;
  sid(name: string, prefix: string, required?: false): string | undefined;
  sid(name: string, prefix: string, required = false): string | undefined {
    const v = required ? this.required(name) : this.get(name);
    if (v !== undefined && !sidPattern(prefix).test(v))
      throw invalidParam(name, `must match ^${prefix}[0-9a-fA-F]{32}$`);
    return v;
  }

  /** `Attributes` arrive as a JSON string (the twilio package serialises the object). */
  json(name: string): Record<string, unknown> | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw invalidParam(name, 'must be a JSON object');
  }
}

export function sidPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
}

/** Checks a path SID, answering 404 like Twilio for one that cannot exist. */
export function pathSid(value: string, prefix: string, path: string): string {
  if (!sidPattern(prefix).test(value)) throw notFound(path);
  return value;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 50;

interface PageWindow {
  page: number;
  pageSize: number;
  offset: number;
}

function pageWindow(query: Params): PageWindow {
  const sizeText = query.get('PageSize');
  const pageSize = sizeText === undefined ? DEFAULT_PAGE_SIZE : Number(sizeText);
  // 001/002: "How many resources to return in each list page. The default is 50, and the maximum is 1000."
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw invalidParam('PageSize', 'must be between 1 and 1000');
  const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
  const token = query.get('PageToken');
  const tokenOffset = token && /^PT\d+$/.test(token) ? Number(token.slice(2)) : undefined;
  return { page, pageSize, offset: tokenOffset ?? page * pageSize };
}

function withQuery(base: string, filters: Record<string, string | undefined>, extra: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.append(k, v);
  const head = q.toString();
  return `${base}?${head ? `${head}&` : ''}${extra}`;
}

/** A v1 list page: `{ [key]: [...], meta: { page, page_size, first_page_url, ... , key } }`. */
export function v1Page<T>(
  items: T[],
  opts: { url: string; key: string; query: Params; filters?: Record<string, string | undefined> },
) {
  const { page, pageSize, offset } = pageWindow(opts.query);
  const slice = items.slice(offset, offset + pageSize);
  const filters = opts.filters ?? {};
  const at = (p: number, o?: number) =>
    withQuery(
      opts.url,
      filters,
      `PageSize=${pageSize}&Page=${p}${o !== undefined ? `&PageToken=PT${o}` : ''}`,
    );
  const hasNext = offset + pageSize < items.length;
  return {
    [opts.key]: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: at(0),
      previous_page_url: page > 0 ? at(page - 1, Math.max(0, offset - pageSize)) : null,
      url: at(page, offset === page * pageSize ? undefined : offset),
      next_page_url: hasNext ? at(page + 1, offset + pageSize) : null,
      key: opts.key,
    },
  };
}

/** A 2010-04-01 list page: the items under `key` plus uri/first_page_uri/next_page_uri/start/end. */
export function v2010Page<T>(
  items: T[],
  opts: { path: string; key: string; query: Params; filters?: Record<string, string | undefined> },
) {
  const { page, pageSize, offset } = pageWindow(opts.query);
  const slice = items.slice(offset, offset + pageSize);
  const filters = opts.filters ?? {};
  const at = (p: number, o?: number) =>
    withQuery(
      opts.path,
      filters,
      `PageSize=${pageSize}&Page=${p}${o !== undefined ? `&PageToken=PT${o}` : ''}`,
    );
  const hasNext = offset + pageSize < items.length;
  return {
    [opts.key]: slice,
    uri: at(page),
    first_page_uri: at(0),
    next_page_uri: hasNext ? at(page + 1, offset + pageSize) : null,
    previous_page_uri: page > 0 ? at(page - 1, Math.max(0, offset - pageSize)) : null,
    page,
    page_size: pageSize,
    start: offset,
    end: offset + Math.max(0, slice.length - 1),
  };
}
