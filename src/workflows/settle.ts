import { condition } from '@temporalio/workflow';

export type SettleOutcome = 'settled' | 'rejected';

/**
 * 000: "after submitting ... wait 30 seconds to see if any programmatic validation error surfaces
 * before proceeding". Waits `ms`, but ends at once when `rejected()` turns true (a rejection
 * callback arrived), so a rejection is acted on within a second instead of after the delay.
 */
export async function settle(
  ms: number,
  rejected: () => boolean,
  summary = 'settle',
): Promise<SettleOutcome> {
  if (rejected()) return 'rejected';
  return (await condition(rejected, ms, { summary })) ? 'rejected' : 'settled';
}
