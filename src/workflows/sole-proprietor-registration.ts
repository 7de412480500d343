import {
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { RegistrationProgress, RegistrationWorkflowInput } from '../shared';
import { brand } from './registration/brand';
import { campaign, messagingService, phoneNumber } from './registration/campaign';
import { countRegistrationStarted } from './metrics';
import { cleanUpAfterCancel } from './registration/cancellation';
import { Registration, RegistrationEnded } from './registration/context';
import { installHandlers } from './registration/handlers';
import { initialState, type RegistrationState } from './registration/state';
import { customerProfile, trustBundle } from './registration/trust-hub';

/** Quiet Trust Hub callbacks fetch nothing (see Registration.quietTrustHubCallbacks). */
const QUIET_TRUST_HUB_CALLBACKS_PATCH = 'quiet-trust-hub-callbacks';

/**
 * One customer's Sole Proprietor A2P 10DLC registration, 000's walkthrough from the starter
 * customer profile to a number on a verified campaign. Waits on reviews for as long as they take,
 * reacts to Twilio's callbacks (signals) within a second, polls slowly in case callbacks are
 * lost, asks for corrected data instead of failing when Twilio rejects something, and continues
 * as new with its whole state when its history grows long.
 */
export async function soleProprietorRegistration(
  input: RegistrationWorkflowInput & { state?: RegistrationState },
): Promise<RegistrationProgress> {
  const reg = new Registration(
    input.state ?? initialState({ ...input, at: new Date(workflowInfo().startTime).toISOString() }),
  );
  reg.quietTrustHubCallbacks = patched(QUIET_TRUST_HUB_CALLBACKS_PATCH);
  installHandlers(reg);
  // A run continued from another is the same registration.
  if (!input.state) countRegistrationStarted();
  // A run continued from another starts with that run's Current Details (they are not history).
  if (input.state) reg.showDetails();
  try {
    const profileSid = await customerProfile(reg);
    const trustProductSid = await trustBundle(reg, profileSid);
    const brandSid = await brand(reg, profileSid, trustProductSid);
    const serviceSid = await messagingService(reg, brandSid);
    await campaign(reg, serviceSid, brandSid);
    await phoneNumber(reg, serviceSid);
    reg.finish('completed', 'Registered: the number can send A2P 10DLC traffic on its verified campaign.');
    return reg.progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (err instanceof RegistrationEnded) {
      reg.finish(err.outcome, err.guidance);
      return reg.progress;
    }
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => cleanUpAfterCancel(reg));
      throw err;
    }
    reg.finish('failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
}
