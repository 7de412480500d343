import { CancellationScope, executeChild, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { describeFinding, reviewRegistrationCampaign } from '../../domain/campaign-review';
import { CAMPAIGN_RECREATE_DELAY_MS, CAMPAIGN_REVIEW_OVER } from '../../domain/rules';
import {
  A2P_CAMPAIGN_SID,
  A2P_CAMPAIGN_STATUS,
  A2P_MESSAGING_SERVICE_SID,
  campaignChildWorkflowId,
  campaignDeletionWorkflowId,
} from '../../shared';
import { twilioCall } from '../activity-options';
import { campaignDeletion } from '../campaign-deletion';
import { campaignRegistration } from '../campaign-registration';
import { brandSuspended, endIfBrandSuspended } from './brand';
import { type Registration, RegistrationEnded } from './context';
import { applyEarlyEvents } from './events';
import { awaitCorrection, failureMessage, permanentTwilioError, remediable } from './remediation';
import { reviewWait } from './texts';
import { waitWithPoll } from './waiting';

const act = proxyActivities<Activities>(twilioCall);

/** 000 step 4: create a Messaging Service, or use the one the request names. */
export async function messagingService(reg: Registration, brandSid: string): Promise<string> {
  const step = reg.progress.steps.messagingService;
  if (step.status === 'done' && step.sid) return step.sid;
  reg.enter('messaging-service', 'Preparing the Messaging Service');
  const service = await remediable(reg, 'messagingService', () =>
    act.ensureMessagingService({
      workflowId: reg.workflowId,
      existingSid: reg.request.messagingServiceSid,
      brandSid,
      phoneNumberSid: reg.request.phoneNumberSid,
      mayExist: reg.mayExist('messaging-service'),
    }),
  );
  reg.state.sids.createdMessagingService = service.created || reg.state.sids.createdMessagingService;
  reg.step('messagingService', 'done', { sid: service.sid });
  reg.attribute(A2P_MESSAGING_SERVICE_SID, service.sid);
  applyEarlyEvents(reg);
  return service.sid;
}

/**
 * 000 step 5: each submission is a child workflow; the parent waits for the verdict (events, and
 * a poll in case they are lost). A FAILED campaign is fixed with corrected data, deleted (its own
 * child), and after 5 s recreated. A SUSPENDED campaign, or a suspended brand, ends the
 * registration.
 */
export async function campaign(
  reg: Registration,
  messagingServiceSid: string,
  brandSid: string,
): Promise<void> {
  if (reg.progress.steps.campaign.status === 'done') return;
  reg.enter('campaign', 'Registering the campaign');
  const c = reg.state.campaign;
  for (;;) {
    if (!c.submittedAt) await submit(reg, messagingServiceSid, brandSid);
    await awaitVerdict(reg, messagingServiceSid);
    endIfBrandSuspended(reg);
    const status = c.status ?? 'PENDING';
    reg.step('campaign', status === 'VERIFIED' ? 'done' : 'failed', { sid: c.sid, twilioStatus: status });
    reg.attribute(A2P_CAMPAIGN_STATUS, status);
    if (status === 'VERIFIED') return;
    if (status !== 'FAILED') {
      throw new RegistrationEnded(
        'campaign-suspended',
        `The campaign is ${status}: carriers stopped it and no resubmission can lift that. Contact Twilio Support with the campaign SID.`,
      );
    }
    reg.issue('campaign', 'The campaign failed review', c.errors);
    await awaitCorrection(
      reg,
      'campaign',
      'Correct the campaign (message flow, opt-in, samples) as Twilio asks',
    );
    await removeFailed(reg, messagingServiceSid);
  }
}

/**
 * Submits the campaign through a child workflow; Twilio's 4xx refusal asks for a correction.
 * Every submission is pre-vetted first: a campaign Twilio's documented rejection reasons would
 * certainly fail is not paid for, but sent back for correction.
 */
async function submit(reg: Registration, messagingServiceSid: string, brandSid: string) {
  const c = reg.state.campaign;
  for (;;) {
    const review = reviewRegistrationCampaign(reg.request);
    reg.progress.campaign.warnings = review.warnings;
    if (review.blocking.length > 0) {
      reg.issue('campaign', 'The campaign would be rejected', review.blocking.map(describeFinding));
      await awaitCorrection(reg, 'campaign', 'Correct the campaign as the pre-vetting findings say');
      continue;
    }
    const attempt = (reg.progress.campaign.attempt += 1);
    Object.assign(c, {
      sid: undefined,
      eventSid: undefined,
      status: undefined,
      errors: [],
      submittedAt: reg.now(),
    });
    reg.events.reset('campaign');
    reg.step('campaign', 'in-progress');
    try {
      const submitted = await executeChild(campaignRegistration, {
        workflowId: campaignChildWorkflowId(reg.request.customerId, attempt),
        args: [
          {
            messagingServiceSid,
            brandSid,
            campaign: reg.request.campaign,
            // Each submission has its own key: a recreated campaign follows a deleted one.
            mayExist: reg.mayExist(`campaign-${attempt}`),
          },
        ],
        staticSummary: `Campaign submission #${attempt}`,
      });
      c.sid = submitted.sid;
      // An event that arrived while the child ran is newer than the create answer.
      c.status ??= submitted.status.toUpperCase();
      if (c.errors.length === 0) c.errors = submitted.errors;
      if (submitted.created) reg.fee('campaign-vetting', submitted.sid);
      reg.progress.campaign.status = c.status;
      reg.attribute(A2P_CAMPAIGN_SID, submitted.sid);
      return;
    } catch (err) {
      const refused = permanentTwilioError(err);
      if (!refused) throw err;
      c.submittedAt = undefined;
      reg.issue('campaign', failureMessage(refused));
      await awaitCorrection(reg, 'campaign', 'Correct the campaign data Twilio refused');
    }
  }
}

async function awaitVerdict(reg: Registration, messagingServiceSid: string) {
  const c = reg.state.campaign;
  reg.step('campaign', 'waiting', { sid: c.sid, twilioStatus: c.status });
  reg.waiting('campaign review', reviewWait('campaign', c.sid));
  await waitWithPoll(
    reg,
    () => CAMPAIGN_REVIEW_OVER.includes(c.status ?? '') || brandSuspended(reg),
    'await campaign review',
    async () => {
      const events = c.events ?? 0;
      return { found: await act.fetchCampaign({ messagingServiceSid }), events };
    },
    ({ found, events }) => {
      // Nothing yet, another campaign, or an event arrived meanwhile (it is newer): keep what we know.
      if (!found || (c.sid && found.sid !== c.sid) || (c.events ?? 0) !== events) return;
      c.status = found.status.toUpperCase();
      c.errors = found.errors;
      reg.progress.campaign.status = c.status;
    },
  );
  if (c.status === 'FAILED' && c.errors.length === 0) {
    // The event says FAILED; the resource holds the reasons an operator must fix.
    c.errors = (await act.fetchCampaign({ messagingServiceSid }))?.errors ?? [];
  }
}

/** 5.2: delete the failed campaign (its own child), then wait the documented 5 s before recreating. */
async function removeFailed(reg: Registration, messagingServiceSid: string) {
  const c = reg.state.campaign;
  const attempt = reg.progress.campaign.attempt;
  await CancellationScope.nonCancellable(() =>
    executeChild(campaignDeletion, {
      workflowId: campaignDeletionWorkflowId(reg.request.customerId, attempt),
      args: [{ messagingServiceSid }],
      staticSummary: `Delete failed campaign #${attempt}`,
    }),
  );
  c.previousSids.push(...[c.sid, c.eventSid].filter((s): s is string => s !== undefined));
  Object.assign(c, {
    sid: undefined,
    eventSid: undefined,
    status: undefined,
    errors: [],
    submittedAt: undefined,
  });
  // 000 5.2: "implement at least a 5-second delay between removing the existing Campaign and creating a new one".
  await sleep(CAMPAIGN_RECREATE_DELAY_MS, { summary: 'wait before recreating the campaign' });
}

/** 000 step 6: a Sole Proprietor campaign sends from exactly one number. */
export async function phoneNumber(reg: Registration, messagingServiceSid: string): Promise<void> {
  reg.enter('phone-number', 'Adding the phone number to the Messaging Service');
  await remediable(reg, 'phoneNumber', () =>
    act.ensurePhoneNumberInService({
      messagingServiceSid,
      phoneNumberSid: reg.request.phoneNumberSid,
      mayExist: reg.mayExist('phone-number'),
    }),
  );
  reg.step('phoneNumber', 'done', { sid: reg.request.phoneNumberSid });
}
