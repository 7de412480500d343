import {
  condition,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { EXTERNAL_ASSOCIATION_DELETE_DELAY_MS } from '../domain/rules';
import {
  A2P_CAMPAIGN_SID,
  A2P_CAMPAIGN_STATUS,
  A2P_MESSAGING_SERVICE_SID,
  A2P_PHASE,
  A2P_TCR_CAMPAIGN_ID,
  campaignShareSignal,
  campaignStatusSignal,
  EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
  type ExternalCampaignPhase,
  type ExternalCampaignProgress,
  externalCampaignProgressQuery,
  type ExternalCampaignWorkflowInput,
} from '../shared';
import { twilioCall } from './activity-options';
import { EventLog } from './event-log';

const act = proxyActivities<Activities>(twilioCall);
/** The ExternalCampaign API's own queue: the server holds it to one request per 5 s account-wide. */
const rateLimited = proxyActivities<Activities>({
  ...twilioCall,
  taskQueue: EXTERNAL_CAMPAIGN_API_TASK_QUEUE,
});

/**
 * 003: connects a campaign the ISV registered directly with TCR to a Twilio Messaging Service.
 * Waits for TCR's CAMPAIGN_SHARE_ACCEPT, associates, waits for VERIFIED. A CAMPAIGN_SHARE_DELETE
 * (or a FAILED association) records TCR's feedback, deletes the association if there is one, and
 * waits for the campaign to be shared again.
 */
export async function externalCampaignRegistration({
  request,
  timings,
}: ExternalCampaignWorkflowInput): Promise<ExternalCampaignProgress> {
  const workflowId = workflowInfo().workflowId;
  const now = () => new Date().toISOString();
  const events = new EventLog();
  let share: 'none' | 'accepted' | 'deleted' = 'none';
  const progress: ExternalCampaignProgress = {
    campaignId: request.campaignId,
    phase: 'messaging-service',
    phoneNumberSids: [],
    associations: 0,
    issues: [],
    startedAt: now(),
    updatedAt: now(),
  };

  setHandler(externalCampaignProgressQuery, () => progress);
  setHandler(campaignShareSignal, (event) => {
    if (event.campaignId !== request.campaignId || !events.accept(event, event.campaignId)) return;
    if (event.type === 'CAMPAIGN_SHARE_ACCEPT') {
      share = 'accepted';
    } else {
      share = 'deleted';
      progress.shareFeedback = event.feedback;
      issue(`TCR deleted the campaign share${event.feedback ? `: ${event.feedback}` : ''}`);
    }
  });
  setHandler(campaignStatusSignal, (event) => {
    if (event.messagingServiceSid !== progress.messagingServiceSid || !events.accept(event, 'campaign'))
      return;
    progress.campaignStatus = event.campaignStatus.toUpperCase();
  });

  upsertSearchAttributes([{ key: A2P_TCR_CAMPAIGN_ID, value: request.campaignId }]);
  try {
    // 003 step 1: a Messaging Service without a use case ("undeclared" suits external campaigns).
    const service = await act.ensureMessagingService({
      workflowId,
      existingSid: request.messagingServiceSid,
      // Not tracked per step here: this path always looks for an earlier run's service.
      mayExist: true,
    });
    progress.messagingServiceSid = service.sid;
    upsertSearchAttributes([{ key: A2P_MESSAGING_SERVICE_SID, value: service.sid }]);

    // 003 step 2: numbers may join the sender pool at any point; we add them up front.
    enter('phone-numbers', 'Adding the phone numbers to the Messaging Service');
    for (const phoneNumberSid of request.phoneNumberSids) {
      await act.ensurePhoneNumberInService({
        messagingServiceSid: service.sid,
        phoneNumberSid,
        mayExist: true,
      });
      progress.phoneNumberSids.push(phoneNumberSid);
    }

    let associationDeleted = false;
    for (;;) {
      enter('awaiting-share', 'Waiting for TCR to accept the campaign share (CAMPAIGN_SHARE_ACCEPT)');
      await condition(() => share === 'accepted');
      if (associationDeleted) {
        // 003: "implement a five second delay between removing a Campaign and creating a new association".
        await sleep(EXTERNAL_ASSOCIATION_DELETE_DELAY_MS, { summary: 'wait after deleting the association' });
      }
      enter('associating', 'Associating the campaign with the Messaging Service');
      const association = await rateLimited.associateExternalCampaign({
        messagingServiceSid: service.sid,
        campaignId: request.campaignId,
      });
      if (association.created) progress.associations += 1;
      progress.campaignSid = association.sid;
      upsertSearchAttributes([{ key: A2P_CAMPAIGN_SID, value: association.sid }]);

      enter('awaiting-verification', 'Waiting for the campaign to be VERIFIED');
      const verdict = await awaitVerdict(service.sid);
      upsertSearchAttributes([{ key: A2P_CAMPAIGN_STATUS, value: progress.campaignStatus ?? 'UNKNOWN' }]);
      if (verdict === 'VERIFIED') {
        progress.outcome = 'completed';
        enter('completed', `Campaign ${request.campaignId} is VERIFIED on ${service.sid}`);
        return progress;
      }
      // 003: after a rejection (or an asynchronous FAILED), delete the association, then reshare.
      if (verdict === 'FAILED')
        issue('The association FAILED; delete it and share the campaign again from TCR');
      await act.deleteCampaign({ messagingServiceSid: service.sid });
      associationDeleted = true;
      progress.campaignSid = undefined;
      progress.campaignStatus = undefined;
      share = 'none';
      enter(
        'share-deleted',
        'Association deleted; update the campaign in TCR and share it with Twilio again',
      );
    }
  } catch (err) {
    progress.outcome = isCancellation(err) ? 'cancelled' : 'failed';
    enter(isCancellation(err) ? 'cancelled' : 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  }

  async function awaitVerdict(messagingServiceSid: string): Promise<'VERIFIED' | 'FAILED' | 'share-deleted'> {
    const decided = () =>
      share === 'deleted' || progress.campaignStatus === 'VERIFIED' || progress.campaignStatus === 'FAILED';
    while (!decided()) {
      if (await condition(decided, timings.pollIntervalMs, { summary: 'await campaign verdict' })) break;
      const polled = await act.fetchCampaign({ messagingServiceSid });
      if (polled) progress.campaignStatus = polled.status.toUpperCase();
    }
    if (share === 'deleted') return 'share-deleted';
    return progress.campaignStatus === 'VERIFIED' ? 'VERIFIED' : 'FAILED';
  }

  function enter(phase: ExternalCampaignPhase, details: string) {
    progress.phase = phase;
    progress.waitingFor = phase.startsWith('awaiting') ? { what: details, since: now() } : undefined;
    progress.updatedAt = now();
    upsertSearchAttributes([{ key: A2P_PHASE, value: phase }]);
    setCurrentDetails(details);
  }

  function issue(message: string) {
    progress.issues.push({ message, at: now() });
    if (progress.issues.length > 20) progress.issues.shift();
  }
}
