import { proxyActivities, setCurrentDetails, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CAMPAIGN_RECREATE_DELAY_MS } from '../domain/rules';
import {
  type DeregistrationInput,
  type DeregistrationProgress,
  deregistrationProgressQuery,
} from '../shared';
import { twilioCall } from './activity-options';

const act = proxyActivities<Activities>(twilioCall);

/**
 * Undoes a registration in the order Twilio needs: the campaign (or external association) first,
 * then the numbers, then — only on request — the Messaging Service (deleting it would delete the
 * campaign too). Brands, Trust Hub bundles and TCR campaigns cannot be removed by API; they are
 * recorded as what remains.
 */
export async function deregistration(input: DeregistrationInput): Promise<DeregistrationProgress> {
  const progress: DeregistrationProgress = {
    registrationWorkflowId: input.registrationWorkflowId,
    phase: 'campaign',
    removed: [],
    remaining: [...input.remainsAtTwilio],
  };
  setHandler(deregistrationProgressQuery, () => progress);
  const service = input.messagingServiceSid;
  if (service) {
    setCurrentDetails(`Deleting the campaign of ${service}`);
    await act.deleteCampaign({ messagingServiceSid: service });
    progress.removed.push(`campaign on ${service}`);

    progress.phase = 'phone-numbers';
    for (const phoneNumberSid of input.phoneNumberSids) {
      setCurrentDetails(`Removing ${phoneNumberSid} from ${service}`);
      await act.removePhoneNumberFromService({ messagingServiceSid: service, phoneNumberSid });
      progress.removed.push(`phone number ${phoneNumberSid}`);
    }

    if (input.deleteMessagingService) {
      progress.phase = 'messaging-service';
      setCurrentDetails(`Deleting the Messaging Service ${service}`);
      await act.deleteMessagingService({ sid: service });
      progress.removed.push(`messaging service ${service}`);
    } else {
      progress.remaining.push(`messaging service ${service} (kept; delete with --delete-messaging-service)`);
      // 000 5.2 / 003: deletion takes a few seconds to finalize; nothing may be created on the same
      // service for 5 s, so the deregistration ends only after that.
      progress.phase = 'settling';
      await sleep(CAMPAIGN_RECREATE_DELAY_MS, { summary: 'let the campaign deletion finalize' });
    }
  }
  progress.phase = 'done';
  setCurrentDetails(
    progress.remaining.length
      ? `Deregistered. Remaining: ${progress.remaining.join('; ')}`
      : 'Deregistered; nothing remains.',
  );
  return progress;
}
