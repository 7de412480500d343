import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { twilioCall } from './activity-options';

const { deleteCampaign } = proxyActivities<Activities>(twilioCall);

/** 000 5.2: deletes a service's campaign; its own workflow so the deletion is visible and durable. */
export async function campaignDeletion(input: {
  messagingServiceSid: string;
  /** The customer's subaccount, when the campaign lives in one. */
  accountSid?: string;
}): Promise<void> {
  setCurrentDetails(`Deleting the campaign of ${input.messagingServiceSid}`);
  await deleteCampaign(input);
}
