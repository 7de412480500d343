import { CancellationScope, executeChild, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { describeFinding, reviewRegistrationCampaign } from '../../domain/campaign-review/review';
import type { CampaignFinding, CampaignReview } from '../../domain/campaign-review/types';
import { CAMPAIGN_RECREATE_DELAY_MS, CAMPAIGN_REVIEW_OVER } from '../../domain/rules';
import {
  A2P_CAMPAIGN_SID,
  A2P_CAMPAIGN_STATUS,
  A2P_MESSAGING_SERVICE_SID,
  campaignChildWorkflowId,
  campaignDeletionWorkflowId,
  type StepStatus,
} from '../../shared';
import { twilioCall } from '../activity-options';
import { campaignDeletion } from '../campaign-deletion';
import { campaignRegistration, type CampaignRegistrationInput } from '../campaign-registration';
import { brandSuspended, endIfBrandSuspended } from './brand';
import { type AnyRegistration, type Registration, RegistrationEnded } from './context';
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
 * One campaign of a registration as the submission loop sees it: a Sole Proprietor registration
 * has one, a Standard registration one per campaign (up to five, each on its own Messaging
 * Service). The loop below is the same for both; a slot says where its state lives and what
 * operators see.
 */
export interface CampaignSlot {
  /** The submission in flight (or none), kept by the parent so no event is lost. */
  readonly c: {
    sid?: string;
    eventSid?: string;
    status?: string;
    errors: string[];
    submittedAt?: string;
    events?: number;
    previousSids: string[];
  };
  readonly messagingServiceSid: string;
  readonly brandSid: string;
  /** The account the campaign lives in (a customer's subaccount), absent for the main account. */
  readonly accountSid?: string;
  /** The events-log key of this campaign's submissions. */
  readonly eventsKey: string;
  /** Submissions made so far; `nextAttempt` counts a new one. */
  attempt(): number;
  nextAttempt(): number;
  /** The campaign as it is submitted now (after any correction), and its pre-vetting. */
  payload(): CampaignRegistrationInput['campaign'];
  review(): CampaignReview;
  /** Records what operators see: the step, the status, the warnings, the submission's SID. */
  showStep(status: StepStatus, twilioStatus?: string): void;
  showStatus(status: string): void;
  showWarnings(warnings: CampaignFinding[]): void;
  showSubmitted(sid: string): void;
  childId(attempt: number): string;
  deletionId(attempt: number): string;
  /** The `mayExist` key of submission `attempt`. */
  key(attempt: number): string;
}

/** The Sole Proprietor registration's one campaign (000 step 5). */
function soleProprietorSlot(reg: Registration, messagingServiceSid: string, brandSid: string): CampaignSlot {
  const { customerId } = reg.request;
  return {
    c: reg.state.campaign,
    messagingServiceSid,
    brandSid,
    eventsKey: 'campaign',
    attempt: () => reg.progress.campaign.attempt,
    nextAttempt: () => (reg.progress.campaign.attempt += 1),
    payload: () => reg.request.campaign,
    review: () => reviewRegistrationCampaign(reg.request),
    showStep: (status, twilioStatus) =>
      reg.step('campaign', status, { sid: reg.state.campaign.sid, twilioStatus }),
    showStatus: (status) => {
      reg.progress.campaign.status = status;
    },
    showWarnings: (warnings) => {
      reg.progress.campaign.warnings = warnings;
    },
    showSubmitted: (sid) => reg.attribute(A2P_CAMPAIGN_SID, sid),
    childId: (attempt) => campaignChildWorkflowId(customerId, attempt),
    deletionId: (attempt) => campaignDeletionWorkflowId(customerId, attempt),
    key: (attempt) => `campaign-${attempt}`,
  };
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
  const slot = soleProprietorSlot(reg, messagingServiceSid, brandSid);
  await registerCampaign(reg, slot, (status) => {
    reg.step('campaign', status === 'VERIFIED' ? 'done' : 'failed', {
      sid: slot.c.sid,
      twilioStatus: status,
    });
    reg.attribute(A2P_CAMPAIGN_STATUS, status);
  });
}

/**
 * Submits a campaign and waits for its verdict until it is VERIFIED; `verdict` records each one.
 * A FAILED campaign waits for corrected data, is deleted and recreated; any other end of review
 * ends the registration.
 */
export async function registerCampaign(
  reg: AnyRegistration,
  slot: CampaignSlot,
  verdict: (status: string) => void,
): Promise<void> {
  const { c } = slot;
  for (;;) {
    if (!c.submittedAt) await submit(reg, slot);
    await awaitVerdict(reg, slot);
    endIfBrandSuspended(reg);
    const status = c.status ?? 'PENDING';
    verdict(status);
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
    await removeFailed(slot);
  }
}

/**
 * Submits the campaign through a child workflow; Twilio's 4xx refusal asks for a correction.
 * Every submission is pre-vetted first: a campaign Twilio's documented rejection reasons would
 * certainly fail is not paid for, but sent back for correction.
 */
async function submit(reg: AnyRegistration, slot: CampaignSlot) {
  const { c } = slot;
  for (;;) {
    const review = slot.review();
    slot.showWarnings(review.warnings);
    if (review.blocking.length > 0) {
      reg.issue('campaign', 'The campaign would be rejected', review.blocking.map(describeFinding));
      await awaitCorrection(reg, 'campaign', 'Correct the campaign as the pre-vetting findings say');
      continue;
    }
    const attempt = slot.nextAttempt();
    Object.assign(c, {
      sid: undefined,
      eventSid: undefined,
      status: undefined,
      errors: [],
      submittedAt: reg.now(),
    });
    reg.events.reset(slot.eventsKey);
    slot.showStep('in-progress');
    try {
      const submitted = await executeChild(campaignRegistration, {
        workflowId: slot.childId(attempt),
        args: [
          {
            messagingServiceSid: slot.messagingServiceSid,
            brandSid: slot.brandSid,
            campaign: slot.payload(),
            // Each submission has its own key: a recreated campaign follows a deleted one.
            mayExist: reg.mayExist(slot.key(attempt)),
            ...(slot.accountSid ? { accountSid: slot.accountSid } : {}),
          },
        ],
        staticSummary: `Campaign submission #${attempt}`,
      });
      c.sid = submitted.sid;
      // An event that arrived while the child ran is newer than the create answer.
      c.status ??= submitted.status.toUpperCase();
      if (c.errors.length === 0) c.errors = submitted.errors;
      if (submitted.created) reg.fee('campaign-vetting', submitted.sid);
      slot.showStatus(c.status);
      slot.showSubmitted(submitted.sid);
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

async function awaitVerdict(reg: AnyRegistration, slot: CampaignSlot) {
  const { c, messagingServiceSid, accountSid } = slot;
  slot.showStep('waiting', c.status);
  reg.waiting('campaign review', reviewWait('campaign', c.sid));
  await waitWithPoll(
    reg,
    () => CAMPAIGN_REVIEW_OVER.includes(c.status ?? '') || brandSuspended(reg),
    'await campaign review',
    async () => {
      const events = c.events ?? 0;
      return { found: await act.fetchCampaign({ messagingServiceSid, accountSid }), events };
    },
    ({ found, events }) => {
      // Nothing yet, another campaign, or an event arrived meanwhile (it is newer): keep what we know.
      if (!found || (c.sid && found.sid !== c.sid) || (c.events ?? 0) !== events) return;
      c.status = found.status.toUpperCase();
      c.errors = found.errors;
      slot.showStatus(c.status);
    },
  );
  if (c.status === 'FAILED' && c.errors.length === 0) {
    // The event says FAILED; the resource holds the reasons an operator must fix.
    c.errors = (await act.fetchCampaign({ messagingServiceSid, accountSid }))?.errors ?? [];
  }
}

/** 5.2: delete the failed campaign (its own child), then wait the documented 5 s before recreating. */
async function removeFailed(slot: CampaignSlot) {
  const { c, messagingServiceSid, accountSid } = slot;
  const attempt = slot.attempt();
  await CancellationScope.nonCancellable(() =>
    executeChild(campaignDeletion, {
      workflowId: slot.deletionId(attempt),
      args: [{ messagingServiceSid, ...(accountSid ? { accountSid } : {}) }],
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
