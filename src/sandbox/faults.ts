/**
 * Injected faults, so callers can prove they survive Twilio's bad days: 429 (code 20429), 500/503,
 * added latency, a per-account concurrency limit, "commit the write, then lose the response", and
 * "commit the write, then answer too late". With a seed, which requests fail is the same on every
 * run; with `times`, only the first requests of each endpoint fail, so a test can aim one fault at
 * exactly one call.
 */

export interface FaultSettings {
  /** Fraction (0–1) of requests answered 429 with code 20429 before they run. */
  rateLimitFraction: number;
  /** Fraction (0–1) of requests answered 500 or 503 (alternately) before they run. */
  serverErrorFraction: number;
  /** Added to every API request, in milliseconds. */
  latencyMs: number;
  /** Requests in flight per account above this are answered 429 (null: no limit). */
  concurrencyLimit: number | null;
  /** Fraction (0–1) of POSTs that run (the resource is created or changed) and then lose the response. */
  dropAfterCommitFraction: number;
  /** How a dropped response is lost: the connection is destroyed, or a 502 is sent instead. */
  dropMode: 'destroy' | '502';
  /**
   * POSTs that ran (the resource is created or changed) answer only this many milliseconds later:
   * longer than the caller waits, the answer arrives after the caller gave up (0: at once).
   */
  holdAfterCommitMs: number;
  /**
   * Only requests whose "METHOD /route" contains one of these strings are affected (empty: all).
   * An entry ending in `$` must match the end of the route: `POST /messaging/v1/a2p/BrandRegistrations$`
   * is the brand create, not its update or OTP under the same prefix.
   */
  endpoints: string[];
  /**
   * At most this many requests of each endpoint ("METHOD /route") are failed, dropped or held;
   * later ones run normally (null: no bound). `times: 1` aims a fault at one call.
   */
  times: number | null;
  /** Seed for the fault draws; the same seed fails the same requests. Null: Math.random. */
  seed: number | null;
}

export const NO_FAULTS: FaultSettings = {
  rateLimitFraction: 0,
  serverErrorFraction: 0,
  latencyMs: 0,
  concurrencyLimit: null,
  dropAfterCommitFraction: 0,
  dropMode: 'destroy',
  holdAfterCommitMs: 0,
  endpoints: [],
  times: null,
  seed: null,
};

function matches(endpoint: string, entry: string): boolean {
  return entry.endsWith('$') ? endpoint.endsWith(entry.slice(0, -1)) : endpoint.includes(entry);
}

/** mulberry32: a small, fast, seedable generator. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision =
  { kind: 'none' } | { kind: 'rate-limit' } | { kind: 'server-error'; status: 500 | 503 };

export class Faults {
  settings: FaultSettings = { ...NO_FAULTS };
  private random: () => number = Math.random;
  private serverErrors = 0;
  private readonly inFlight = new Map<string, number>();
  /** Faults dealt so far per endpoint, against `times`. */
  private readonly hits = new Map<string, number>();

  set(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...NO_FAULTS, ...patch };
    this.random = this.settings.seed === null ? Math.random : seeded(this.settings.seed);
    this.serverErrors = 0;
    this.hits.clear();
    return this.settings;
  }

  applies(endpoint: string): boolean {
    const { endpoints } = this.settings;
    return endpoints.length === 0 || endpoints.some((e) => matches(endpoint, e));
  }

  /** Whether the endpoint may still be dealt a fault under `times`; counts the fault if so. */
  private deal(endpoint: string): boolean {
    const { times } = this.settings;
    const n = this.hits.get(endpoint) ?? 0;
    if (times !== null && n >= times) return false;
    this.hits.set(endpoint, n + 1);
    return true;
  }

  /** Decides, before the request runs, whether it fails. Draws happen only for matching endpoints. */
  before(endpoint: string): FaultDecision {
    if (!this.applies(endpoint)) return { kind: 'none' };
    const s = this.settings;
    if (s.rateLimitFraction > 0 && this.random() < s.rateLimitFraction && this.deal(endpoint))
      return { kind: 'rate-limit' };
    if (s.serverErrorFraction > 0 && this.random() < s.serverErrorFraction && this.deal(endpoint)) {
      this.serverErrors += 1;
      return { kind: 'server-error', status: this.serverErrors % 2 === 1 ? 500 : 503 };
    }
    return { kind: 'none' };
  }

  /** After a POST ran: whether to lose its response, answer it late, or answer it now. */
  afterCommit(
    endpoint: string,
    method: string,
  ): { kind: 'none' } | { kind: 'drop' } | { kind: 'hold'; ms: number } {
    if (method !== 'POST' || !this.applies(endpoint)) return { kind: 'none' };
    const s = this.settings;
    if (s.dropAfterCommitFraction > 0 && this.random() < s.dropAfterCommitFraction && this.deal(endpoint))
      return { kind: 'drop' };
    if (s.holdAfterCommitMs > 0 && this.deal(endpoint)) return { kind: 'hold', ms: s.holdAfterCommitMs };
    return { kind: 'none' };
  }

  /** Enters a request for the account; false when it is over the concurrency limit. */
  enter(account: string): boolean {
    const n = this.inFlight.get(account) ?? 0;
    const limit = this.settings.concurrencyLimit;
    if (limit !== null && n >= limit) return false;
    this.inFlight.set(account, n + 1);
    return true;
  }

  leave(account: string): void {
    const n = this.inFlight.get(account) ?? 1;
    if (n <= 1) this.inFlight.delete(account);
    else this.inFlight.set(account, n - 1);
  }
}
