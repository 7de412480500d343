import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { twilioCall } from '../activity-options';
import type { AnyRegistration, Registration } from './context';

const act = proxyActivities<Activities>(twilioCall);

/**
 * A cancelled registration removes what can be removed (the number from the service, the
 * campaign, a service it created) and records what only Twilio Support can remove.
 */
export async function cleanUpAfterCancel(reg: Registration): Promise<void> {
  // Cancelled while the number was being attached: the attach may have gone through.
  const attaching = reg.progress.phase === 'phone-number';
  reg.enter('cancelling', 'Cancelled: removing what can be removed');
  const { steps, campaign } = reg.progress;
  const service = steps.messagingService.sid;
  if (service) {
    if (steps.phoneNumber.status === 'done' || attaching) {
      await act.removePhoneNumberFromService({
        messagingServiceSid: service,
        phoneNumberSid: reg.request.phoneNumberSid,
      });
      reg.step('phoneNumber', 'removed');
    }
    if (steps.campaign.sid || campaign.attempt > 0) {
      await act.deleteCampaign({ messagingServiceSid: service });
      reg.step('campaign', 'removed');
    }
    if (reg.state.sids.createdMessagingService) {
      await act.deleteMessagingService({ sid: service });
      reg.step('messagingService', 'removed');
    }
  }
  finishCancelled(reg);
}

/** Ends a cancelled registration, naming what it made that only Twilio Support can remove. */
export function finishCancelled(reg: AnyRegistration): void {
  const { steps } = reg.progress;
  const remaining = (['customerProfile', 'trustBundle', 'brand'] as const).filter((s) => steps[s].sid);
  reg.finish(
    'cancelled',
    remaining.length
      ? `Cancelled. Still at Twilio (not removable by this service): ${remaining.map((s) => `${s} ${steps[s].sid}`).join(', ')}.`
      : 'Cancelled before anything was created at Twilio.',
  );
}
