import {
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StandardRegistrationRequest } from '../domain/standard-registration';
import type { RegistrationProgress, StandardRegistrationWorkflowInput } from '../shared';
import { twilioCall } from './activity-options';
import { countRegistrationStarted } from './metrics';
import { Registration, RegistrationEnded } from './registration/context';
import { installHandlers } from './registration/handlers';
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
  installHandlers(reg);
  if (!input.state) countRegistrationStarted();
  if (input.state) reg.showDetails();
  try {
    await subaccount(reg);
    const profileSid = await secondaryProfile(reg);
    const trustProductSid = await messagingProfile(reg, profileSid);
    const brandSid = await standardBrand(reg, profileSid, trustProductSid);
    await standardCampaigns(reg, brandSid);
    const campaigns = reg.progress.standard?.campaigns.length ?? 0;
    reg.finish(
      'completed',
      `Registered: ${campaigns} campaign(s) verified, their numbers added to their Messaging Services.`,
    );
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
  const { steps } = reg.progress;
  const remaining = (['customerProfile', 'trustBundle', 'brand'] as const).filter((s) => steps[s].sid);
  reg.finish(
    'cancelled',
    remaining.length
      ? `Cancelled. Still at Twilio (not removable by this service): ${remaining.map((s) => `${s} ${steps[s].sid}`).join(', ')}.`
      : 'Cancelled before anything was created at Twilio.',
  );
}
