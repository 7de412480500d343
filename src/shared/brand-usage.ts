import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * TCR counts how many brands each mobile number, email and address has been used for, across
 * every provider, for life. The service keeps its own count of its own registrations so it can
 * refuse a registration that would exceed a limit before paying for a brand TCR would fail: one
 * small long-running workflow per value, named by the value's keyed hash (HMAC; never the number,
 * email or address itself), holding the registrations that used it. Claims of one value go
 * through its workflow one at a time; claims of different values never wait for each other, and
 * no workflow holds more than its value's few registrations, however many customers there are.
 */
export const BRAND_USAGE_WORKFLOW_PREFIX = 'a2p-brand-usage-';

export type BrandUsageKind = 'mobile' | 'email' | 'address';

/** The workflow that counts one value (`hash` is the value's keyed hash, hex). */
export function brandUsageWorkflowId(kind: BrandUsageKind, hash: string): string {
  return `${BRAND_USAGE_WORKFLOW_PREFIX}${kind}-${hash}`;
}

/** Keyed hashes of one registration's values; a correction's claim may carry only what changed. */
export type BrandUsageKeys = Partial<Record<BrandUsageKind, string>>;

export interface BrandUsageClaim {
  /** The registration (workflow id) that will register a brand with this value. */
  registrationId: string;
}

/** `added`: false when the registration had claimed the value before (a restart, a resubmission). */
export interface BrandUsageClaimed {
  accepted: true;
  added: boolean;
}

export interface BrandUsageConflict {
  kind: BrandUsageKind;
  limit: number;
  /** The registrations (workflow ids) that already used the value. */
  usedBy: string[];
}

/** What one value's workflow keeps. */
export interface BrandUsageState {
  kind: BrandUsageKind;
  /** The registrations (workflow ids) that claimed the value, oldest first. */
  registrations: string[];
}

/** The error type of a refused claim; its details are the `BrandUsageConflict`s. */
export const BRAND_USAGE_EXCEEDED = 'BrandUsageExceeded';

/** Claims the value for a registration; refused (BRAND_USAGE_EXCEEDED) when it is used up. */
export const claimBrandUsageUpdate = defineUpdate<BrandUsageClaimed, [BrandUsageClaim]>('claimBrandUsage');
/**
 * Takes back a claim this registration just added, because another of its values was refused:
 * the registration never started, so it never used the value.
 */
export const releaseBrandUsageUpdate = defineUpdate<{ released: boolean }, [BrandUsageClaim]>(
  'releaseBrandUsage',
);
/** The registrations that used the value. */
export const brandUsageQuery = defineQuery<string[]>('brandUsage');
