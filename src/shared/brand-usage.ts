import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * TCR counts how many brands each mobile number, email and address has been used for, across
 * every provider, for life. The service keeps its own count of its own registrations in one
 * long-running workflow per namespace (the ISV's), so it can refuse a registration that would
 * exceed a limit before paying for a brand TCR would fail. The values are keyed hashes (HMAC),
 * never the numbers, emails or addresses themselves.
 */
export const BRAND_USAGE_WORKFLOW_ID = 'a2p-brand-usage';

export type BrandUsageKind = 'mobile' | 'email' | 'address';

/** Keyed hashes of one registration's values; a correction's claim may carry only what changed. */
export type BrandUsageKeys = Partial<Record<BrandUsageKind, string>>;

export interface BrandUsageClaim {
  /** The registration (workflow id) that will register a brand with these values. */
  registrationId: string;
  keys: BrandUsageKeys;
}

export interface BrandUsageConflict {
  kind: BrandUsageKind;
  limit: number;
  /** The registrations (workflow ids) that already used the value. */
  usedBy: string[];
}

/** What the workflow keeps: per registration, every hash it has claimed (a correction adds to them). */
export interface BrandUsageState {
  registrations: Record<string, Record<BrandUsageKind, string[]>>;
}

/** The error type of a refused claim; its details are the `BrandUsageConflict`s. */
export const BRAND_USAGE_EXCEEDED = 'BrandUsageExceeded';

/** Claims the values for a registration; refused (BRAND_USAGE_EXCEEDED) when one is used up. */
export const claimBrandUsageUpdate = defineUpdate<{ accepted: true }, [BrandUsageClaim]>('claimBrandUsage');
/** How many registrations use each value of a claim, without claiming it. */
export const brandUsageQuery = defineQuery<Record<BrandUsageKind, number>, [BrandUsageKeys]>('brandUsage');
