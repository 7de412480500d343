import { CancellationScope, ContinueAsNew, isCancellation } from '@temporalio/workflow';
import type { RegistrationProgress } from '../../shared';
import { countRegistrationStarted } from '../metrics';
import { admit } from './admission';
import { type AnyRegistration, RegistrationEnded } from './context';
import { installHandlers } from './handlers';

/**
 * Runs a registration's steps (a new one's after its admission) to one of its named ends, the
 * same for either kind: `completed` with `done`'s guidance, an outcome no correction can fix
 * (RegistrationEnded), `cancelled` after `cleanUp` removed what it can, or `failed` for anything
 * unforeseen. A continue-as-new passes through. A run continued from another is the same
 * registration: it is counted once, and starts with that run's Current Details (they are not
 * history).
 */
export async function runRegistration(
  reg: AnyRegistration,
  continued: boolean,
  steps: () => Promise<string>,
  cleanUp: () => Promise<void>,
): Promise<RegistrationProgress> {
  installHandlers(reg);
  if (!continued) countRegistrationStarted();
  if (continued) reg.showDetails();
  try {
    if (!continued) await admit(reg);
    reg.finish('completed', await steps());
    return reg.progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (err instanceof RegistrationEnded) {
      reg.finish(err.outcome, err.guidance);
      return reg.progress;
    }
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(cleanUp);
      throw err;
    }
    reg.finish('failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
}
