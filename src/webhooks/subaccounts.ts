import type { TwilioClient } from '../twilio/client';
/**
 * A Twilio subaccount signs the callbacks of its own resources with its own auth token: the
 * Event Streams sink a customer's subaccount holds, and its Trust Hub bundles' status callbacks.
 * The webhook server knows the main account's token; this looks up a subaccount's (the main
 * account may read it from the Accounts resource), so a request that names a subaccount can be
 * verified with that account's token. The name in an unverified request is only a hint: a
 * forged request still needs the named account's token to pass.
 */
export type SubaccountTokenLookup = (accountSid: string) => Promise<string | undefined>;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/**
 * Caches `fetchToken`'s answers: found tokens for `ttlMs`, misses (not our subaccount, or the
 * lookup failed) for `missTtlMs`, so a flood of requests naming other accounts costs one lookup
 * each per minute. At most `capacity` accounts are kept.
 */
export function cachedSubaccountTokens(
  fetchToken: (accountSid: string) => Promise<string | undefined>,
  options: { ttlMs?: number; missTtlMs?: number; capacity?: number; now?: () => number } = {},
): SubaccountTokenLookup {
  const ttl = options.ttlMs ?? 10 * 60_000;
  const missTtl = options.missTtlMs ?? 60_000;
  const capacity = options.capacity ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { token?: string; until: number; pending?: Promise<string | undefined> }>();
  return async (accountSid) => {
    if (!ACCOUNT_SID.test(accountSid)) return undefined;
    const hit = cache.get(accountSid);
    if (hit?.pending) return hit.pending;
    if (hit && hit.until > now()) return hit.token;
    const pending = fetchToken(accountSid).catch(() => undefined);
    cache.set(accountSid, { until: 0, pending });
    const token = await pending;
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    cache.set(accountSid, { token, until: now() + (token ? ttl : missTtl) });
    return token;
  };
}

/** The one account a batch of Event Streams events names (`data.accountsid`), if they agree. */
export function accountOfEvents(rawBody: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  const accounts = new Set<string>();
  for (const event of Array.isArray(json) ? json : [json]) {
    const data = (event as { data?: unknown } | null)?.data;
    const sid = (data as { accountsid?: unknown } | null | undefined)?.accountsid;
    if (typeof sid === 'string') accounts.add(sid);
  }
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

/** The lookup through the main account's Twilio client (the Accounts resource gives a subaccount's token). */
export function twilioSubaccountTokens(twilio: TwilioClient): SubaccountTokenLookup {
  return cachedSubaccountTokens(async (accountSid) => {
    const account = await twilio.api.v2010.accounts(accountSid).fetch();
    // A closed or suspended subaccount signs nothing we act on.
    return account.status === 'active' ? account.authToken : undefined;
  });
}
