import { condition, proxyActivities, setHandler, setCurrentDetails } from '@temporalio/workflow';
import type { Activities, CampaignState } from '../activities';
import type { CampaignInfo } from '../domain/registration';
import { CAMPAIGN_SUBMISSION_TASK_QUEUE, campaignStatusSignal, type CampaignStatusEvent } from '../shared';
import { twilioCall } from './activity-options';
import { EventLog } from './event-log';

const { fetchCampaign } = proxyActivities<Activities>(twilioCall);
const { ensureCampaign } = proxyActivities<Activities>({
  ...twilioCall,
  taskQueue: CAMPAIGN_SUBMISSION_TASK_QUEUE,
});

export interface CampaignRegistrationInput {
  messagingServiceSid: string;
  brandSid: string;
  campaign: CampaignInfo;
  pollIntervalMs: number;
}

export interface CampaignRegistrationResult {
  sid: string;
  status: 'VERIFIED' | 'FAILED';
  errors: string[];
  /** True when this child submitted the campaign (a vetting fee). */
  submitted: boolean;
}

/** 002: VERIFIED and FAILED end a campaign's review. */
function isDecided(status: string | undefined): status is 'VERIFIED' | 'FAILED' {
  return status === 'VERIFIED' || status === 'FAILED';
}

/**
 * Submits one campaign (000 step 5) and waits for its verdict. The parent forwards Event Streams
 * campaign events as signals; a slow poll of 5.1's status endpoint covers lost callbacks.
 */
export async function campaignRegistration(
  input: CampaignRegistrationInput,
): Promise<CampaignRegistrationResult> {
  const events = new EventLog();
  let status: string | undefined;

  setHandler(campaignStatusSignal, (event: CampaignStatusEvent) => {
    if (event.messagingServiceSid !== input.messagingServiceSid || !events.accept(event, 'campaign')) return;
    status = event.campaignStatus.toUpperCase();
  });

  const campaign: CampaignState = await ensureCampaign({
    messagingServiceSid: input.messagingServiceSid,
    brandSid: input.brandSid,
    campaign: input.campaign,
  });
  status ??= campaign.status;
  let errors = campaign.errors;
  setCurrentDetails(`Campaign ${campaign.sid} submitted; waiting for review (${status})`);

  let verdict: 'VERIFIED' | 'FAILED' | undefined = isDecided(status) ? status : undefined;
  while (!verdict) {
    if (
      !(await condition(() => isDecided(status), input.pollIntervalMs, { summary: 'await campaign verdict' }))
    ) {
      const polled = await fetchCampaign({ messagingServiceSid: input.messagingServiceSid });
      if (polled) {
        status = polled.status;
        errors = polled.errors;
      }
    }
    verdict = isDecided(status) ? status : undefined;
  }
  if (verdict === 'FAILED' && errors.length === 0) {
    // The event says FAILED; the resource holds the reasons an operator must fix.
    errors = (await fetchCampaign({ messagingServiceSid: input.messagingServiceSid }))?.errors ?? [];
  }
  setCurrentDetails(`Campaign ${campaign.sid}: ${verdict}`);
  return { sid: campaign.sid, status: verdict, errors, submitted: campaign.created };
}
