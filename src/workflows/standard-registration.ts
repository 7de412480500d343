import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StandardRegistrationRequest } from '../domain/standard-registration';
import type { RegistrationProgress, StandardRegistrationWorkflowInput } from '../shared';
import { twilioCall } from './activity-options';
import { finishCancelled } from './registration/cancellation';
import { Registration } from './registration/context';
import { runRegistration } from './registration/run';
import {
  messagingProfile,
  secondaryProfile,
  type StandardRegistration,
  standardBrand,
  standardCampaigns,
  subaccount,
} from './registration/standard';
import { initialState, type RegistrationState } from './registration/state';

const act = proxyActivities<Activities>(twilioCall);

/**
 * One customer's Standard or Low-Volume Standard A2P 10DLC registration, Twilio's ISV guide for
 * these brands: optionally a subaccount of the customer's own (with its Event Streams sink), the
 * Secondary Customer Profile, the A2P Messaging Profile, the STANDARD brand (secondary vetting,
 * and for a public company the Authentication+ email), then each campaign on its own Messaging
 * Service with its numbers. It shares its steps with the Sole Proprietor workflow: the same
 * state, waits, events, corrections and continue-as-new.
 */
export async function standardRegistration(
  input: StandardRegistrationWorkflowInput & { state?: RegistrationState<StandardRegistrationRequest> },
): Promise<RegistrationProgress> {
  const reg: StandardRegistration = new Registration(
    input.state ?? standardInitialState(input, new Date(workflowInfo().startTime).toISOString()),
  );
  reg.quietTrustHubCallbacks = true;
  return runRegistration(
    reg,
    input.state !== undefined,
    async () => {
      await subaccount(reg);
      const profileSid = await secondaryProfile(reg);
      const trustProductSid = await messagingProfile(reg, profileSid);
      const brandSid = await standardBrand(reg, profileSid, trustProductSid);
      await standardCampaigns(reg, brandSid);
      const campaigns = reg.progress.standard?.campaigns.length ?? 0;
      return `Registered: ${campaigns} campaign(s) verified, their numbers added to their Messaging Services.`;
    },
    () => cleanUpAfterCancel(reg),
  );
}

function standardInitialState(
  input: StandardRegistrationWorkflowInput,
  at: string,
): RegistrationState<StandardRegistrationRequest> {
  const state = initialState({ ...input, at });
  state.progress.standard = {
    brandType: input.request.brandType,
    campaigns: input.request.campaigns.map((c, index) => ({
      index,
      usecase: c.usecase,
      errors: [],
      attempt: 0,
      previousSids: [],
      numbers: {},
    })),
  };
  return state;
}

/**
 * A cancelled Standard registration removes what can be removed (its numbers from their
 * services, its campaigns, the services it created) and records what only Twilio Support can.
 */
async function cleanUpAfterCancel(reg: StandardRegistration): Promise<void> {
  reg.enter('cancelling', 'Cancelled: removing what can be removed');
  const standard = reg.progress.standard;
  const accountSid = standard?.subaccountSid;
  for (const c of standard?.campaigns ?? []) {
    const service = c.messagingServiceSid;
    if (!service) continue;
    for (const phoneNumberSid of Object.keys(c.numbers))
      await act.removePhoneNumberFromService({ messagingServiceSid: service, phoneNumberSid, accountSid });
    if (c.attempt > 0) await act.deleteCampaign({ messagingServiceSid: service, accountSid });
    if (c.createdMessagingService) await act.deleteMessagingService({ sid: service, accountSid });
  }
  finishCancelled(reg);
}
