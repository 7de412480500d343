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
  type BrandUsageState,
  claimBrandUsageUpdate,
  releaseBrandUsageUpdate,
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

/** The conflict a claim by `registrationId` meets, if the value is used up by others. */
export function brandUsageConflict(
  state: BrandUsageState,
  registrationId: string,
): BrandUsageConflict | undefined {
  if (state.registrations.includes(registrationId)) return undefined;
  const limit = BRAND_USAGE_LIMITS[state.kind];
  if (state.registrations.length < limit) return undefined;
  return { kind: state.kind, limit, usedBy: [...state.registrations] };
}

/**
 * The brand usage of one mobile number, email or address (its workflow id names the value's keyed
 * hash). Claims are updates, handled one at a time and to the end before the next, so two
 * registrations claiming the last use at once cannot both get it. A registration counts once
 * however often it claims (a resubmission, a restarted run); a correction claims its new values
 * and keeps the old ones, which TCR may have counted.
 */
export async function brandUsage(input: { state: BrandUsageState }): Promise<never> {
  const state: BrandUsageState = { kind: input.state.kind, registrations: [...input.state.registrations] };

  setHandler(claimBrandUsageUpdate, ({ registrationId }: BrandUsageClaim) => {
    const conflict = brandUsageConflict(state, registrationId);
    if (conflict) {
      throw ApplicationFailure.create({
        type: BRAND_USAGE_EXCEEDED,
        nonRetryable: true,
        message: `the ${conflict.kind} is already used by ${conflict.usedBy.length} registrations (TCR allows ${conflict.limit})`,
        details: [conflict],
      });
    }
    if (state.registrations.includes(registrationId)) return { accepted: true as const, added: false };
    state.registrations.push(registrationId);
    return { accepted: true as const, added: true };
  });

  setHandler(releaseBrandUsageUpdate, ({ registrationId }: BrandUsageClaim) => {
    const at = state.registrations.indexOf(registrationId);
    if (at >= 0) state.registrations.splice(at, 1);
    return { released: at >= 0 };
  });

  setHandler(brandUsageQuery, () => [...state.registrations]);

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  return continueAsNew<typeof brandUsage>({ state });
}
