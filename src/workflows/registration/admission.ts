import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { REGISTRATION_ADMISSION_TASK_QUEUE } from '../../shared';
import type { AnyRegistration } from './context';

/** Registrations started before this patch go on without an admission. */
const ADMISSION_PATCH = 'paced-admission';

const { admitRegistration } = proxyActivities<Activities>({
  taskQueue: REGISTRATION_ADMISSION_TASK_QUEUE,
  // No schedule-to-start limit: a slot comes when the queue's pace reaches it, however long the queue.
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

/**
 * A new registration's first step: a start slot from the admission task queue, whose pace the
 * Temporal server enforces across every worker (A2P_REGISTRATION_ADMISSIONS_PER_SECOND, by
 * default 1.25 times the brand pace). Twilio takes one brand create per second per account, so
 * 1,000 customers signing up at once take over 16 minutes to reach their brands however fast
 * the Trust Hub steps go; entering those steps at about that rate keeps the few registrations
 * that can make progress from queueing behind all the others, and each reaches its brand with
 * its bundles done. The slot takes no Twilio call.
 */
export async function admit(reg: AnyRegistration): Promise<void> {
  if (!patched(ADMISSION_PATCH)) return;
  reg.waiting('a start slot', {
    why: 'Registrations start at a pace near the one Twilio accepts brands at, so a burst of sign-ups does not crowd the worker',
    next: 'nothing to do: the slot comes within seconds, or minutes behind a large import',
  });
  await admitRegistration({});
}
