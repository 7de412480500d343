import { patched, workflowInfo } from '@temporalio/workflow';
import type { RegistrationProgress, RegistrationWorkflowInput } from '../shared';
import { brand } from './registration/brand';
import { campaign, messagingService, phoneNumber } from './registration/campaign';
import { cleanUpAfterCancel } from './registration/cancellation';
import { Registration } from './registration/context';
import { runRegistration } from './registration/run';
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
  return runRegistration(
    reg,
    input.state !== undefined,
    async () => {
      const profileSid = await customerProfile(reg);
      const trustProductSid = await trustBundle(reg, profileSid);
      const brandSid = await brand(reg, profileSid, trustProductSid);
      const serviceSid = await messagingService(reg, brandSid);
      await campaign(reg, serviceSid, brandSid);
      await phoneNumber(reg, serviceSid);
      return 'Registered: the number can send A2P 10DLC traffic on its verified campaign.';
    },
    () => cleanUpAfterCancel(reg),
  );
}
