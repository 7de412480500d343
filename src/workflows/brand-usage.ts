import { ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { MAX_BRANDS_PER_ADDRESS, MAX_BRANDS_PER_EMAIL, MAX_BRANDS_PER_MOBILE_NUMBER } from '../domain/rules';
import {
  BRAND_USAGE_EXCEEDED,
  brandUsageQuery,
  type BrandUsageClaim,
  type BrandUsageConflict,
  type BrandUsageKind,
  type BrandUsageKeys,
  type BrandUsageState,
  claimBrandUsageUpdate,
} from '../shared';

/**
 * 000: "This mobile number can only be used a maximum of three times across all A2P Brand
 * registrations with TCR"; an email and an address "a maximum of 10 times". A registration that
 * would be a value's next use past its limit is refused here, before anything is paid.
 */
export const BRAND_USAGE_LIMITS: Record<BrandUsageKind, number> = {
  mobile: MAX_BRANDS_PER_MOBILE_NUMBER,
  email: MAX_BRANDS_PER_EMAIL,
  address: MAX_BRANDS_PER_ADDRESS,
};

const KINDS: BrandUsageKind[] = ['mobile', 'email', 'address'];

/** The registrations other than `registrationId` that used each value of `keys`, over its limit. */
export function brandUsageConflicts(
  state: BrandUsageState,
  registrationId: string,
  keys: BrandUsageKeys,
): BrandUsageConflict[] {
  const conflicts: BrandUsageConflict[] = [];
  for (const kind of KINDS) {
    const value = keys[kind];
    if (!value) continue;
    const usedBy = Object.entries(state.registrations)
      .filter(([id, used]) => id !== registrationId && used[kind].includes(value))
      .map(([id]) => id);
    if (usedBy.length >= BRAND_USAGE_LIMITS[kind])
      conflicts.push({ kind, limit: BRAND_USAGE_LIMITS[kind], usedBy });
  }
  return conflicts;
}

/**
 * The ISV's count of brand registrations per mobile number, email and address (keyed hashes),
 * one workflow per namespace. Claims are updates, handled one at a time and to the end before the
 * next, so two registrations claiming the last use of a number at once cannot both get it. A
 * registration counts once per value however often it claims it (a resubmission, a restarted
 * run); a correction adds its new values and keeps the old ones (TCR may have counted them).
 */
export async function brandUsage(input: { state?: BrandUsageState } = {}): Promise<never> {
  const state: BrandUsageState = input.state ?? { registrations: {} };

  setHandler(claimBrandUsageUpdate, (claim: BrandUsageClaim) => {
    const conflicts = brandUsageConflicts(state, claim.registrationId, claim.keys);
    if (conflicts.length > 0) {
      throw ApplicationFailure.create({
        type: BRAND_USAGE_EXCEEDED,
        nonRetryable: true,
        message: conflicts
          .map(
            (c) =>
              `the ${c.kind} is already used by ${c.usedBy.length} registrations (TCR allows ${c.limit})`,
          )
          .join('; '),
        details: conflicts,
      });
    }
    const used = (state.registrations[claim.registrationId] ??= { mobile: [], email: [], address: [] });
    for (const kind of KINDS) {
      const value = claim.keys[kind];
      if (value && !used[kind].includes(value)) used[kind].push(value);
    }
    return { accepted: true as const };
  });

  setHandler(brandUsageQuery, (keys: BrandUsageKeys) => {
    const counts = { mobile: 0, email: 0, address: 0 };
    for (const used of Object.values(state.registrations))
      for (const kind of KINDS) if (keys[kind] && used[kind].includes(keys[kind])) counts[kind] += 1;
    return counts;
  });

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  return continueAsNew<typeof brandUsage>({ state });
}
