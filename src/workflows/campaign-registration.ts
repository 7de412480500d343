import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities, CampaignState } from '../activities';
import type { StandardCampaignFields } from '../activities';
import type { CampaignInfo } from '../domain/registration';
import { CAMPAIGN_SUBMISSION_TASK_QUEUE } from '../shared';
import { twilioCall } from './activity-options';

const { ensureCampaign } = proxyActivities<Activities>({
  ...twilioCall,
  taskQueue: CAMPAIGN_SUBMISSION_TASK_QUEUE,
});

export interface CampaignRegistrationInput {
  messagingServiceSid: string;
  brandSid: string;
  campaign: CampaignInfo & StandardCampaignFields;
  /** An earlier run or attempt of this submission may have created the campaign. */
  mayExist?: boolean;
  /** The customer's subaccount, when the campaign lives in one. */
  accountSid?: string;
}

/**
 * Submits one campaign (000 step 5), the paid call, as a workflow of its own with a business id
 * per submission, so each submission is visible on its own. It returns at once with the
 * campaign's SID and status: the parent keeps the verdict, so an event that arrives while this
 * child starts is never lost, and the parent can continue as new during a review of weeks.
 */
export async function campaignRegistration(input: CampaignRegistrationInput): Promise<CampaignState> {
  const campaign = await ensureCampaign(input);
  setCurrentDetails(`Campaign ${campaign.sid} submitted (${campaign.status})`);
  return campaign;
}
