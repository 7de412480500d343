import type { BundleKind } from '../../activities';
import {
  A2P_BRAND_STATUS,
  type BrandStatusEvent,
  type CampaignStatusEvent,
  type NumberRegistrationEvent,
  type StandardCampaignProgress,
  type StepName,
  type TrustHubStatusEvent,
  type TwilioEventError,
} from '../../shared';
import type { AnyRegistration as Registration } from './context';
import { MAX_EARLY_EVENTS } from './state';

/**
 * How Twilio's events change a registration. Each `apply…` answers whether the event could be
 * matched: one that names a SID this registration does not know yet (its create answer is still
 * on the way, or was lost and is being retried) is kept and applied as soon as the SID is known,
 * so no event is lost because of when it arrived. Duplicates and stale events are dropped.
 */

export const STEP_OF: Record<BundleKind, StepName> = {
  'customer-profile': 'customerProfile',
  'trust-product': 'trustBundle',
};

type Matched = 'applied' | 'not-ours' | 'unknown-sid';

/** Trust Hub statuses (004) on which a registration does nothing: every wait goes on as it was. */
const QUIET_BUNDLE_STATUSES = new Set(['draft', 'pending-review', 'in-review', 'twilio-approved']);

export function receiveTrustHubEvent(reg: Registration, event: TrustHubStatusEvent): void {
  keepIfEarly(reg.state.early.trustHub, event, applyTrustHubEvent(reg, event));
}

export function receiveBrandEvent(reg: Registration, event: BrandStatusEvent): void {
  keepIfEarly(reg.state.early.brand, event, applyBrandEvent(reg, event));
}

export function receiveCampaignEvent(reg: Registration, event: CampaignStatusEvent): void {
  keepIfEarly(reg.state.early.campaign, event, applyCampaignEvent(reg, event));
}

/** Applies the kept events whose SID is known now; called right after a SID is recorded. */
export function applyEarlyEvents(reg: Registration): void {
  const { early } = reg.state;
  early.trustHub = early.trustHub.filter((e) => applyTrustHubEvent(reg, e) === 'unknown-sid');
  early.brand = early.brand.filter((e) => applyBrandEvent(reg, e) === 'unknown-sid');
  early.campaign = early.campaign.filter((e) => applyCampaignEvent(reg, e) === 'unknown-sid');
}

function keepIfEarly<E>(kept: E[], event: E, matched: Matched): void {
  if (matched !== 'unknown-sid') return;
  kept.push(event);
  if (kept.length > MAX_EARLY_EVENTS) kept.shift();
}

function applyTrustHubEvent(reg: Registration, event: TrustHubStatusEvent): Matched {
  const { customerProfile, trustBundle } = reg.progress.steps;
  const kind: BundleKind | undefined =
    event.bundleSid === customerProfile.sid
      ? 'customer-profile'
      : event.bundleSid === trustBundle.sid
        ? 'trust-product'
        : undefined;
  if (!kind) return customerProfile.sid && trustBundle.sid ? 'not-ours' : 'unknown-sid';
  // Only a trigger: the waits fetch the bundles and act on what Twilio's resource says. The
  // callback's reason is kept in case the resource gives none.
  if (reg.events.accept(event, event.bundleSid)) {
    // A callback that names a status needing nothing from us (a bundle moving through review, or
    // approved) no longer costs a fetch of both bundles: only a rejection, or a status we do not
    // know, is checked against the resource. The slow poll still catches a lost rejection.
    if (!(reg.quietTrustHubCallbacks && QUIET_BUNDLE_STATUSES.has(event.status)))
      reg.state.bundlesStale = true;
    const known = reg.state.bundles[kind];
    if (known && event.failureReason) known.failureReason = event.failureReason;
  }
  return 'applied';
}

function applyBrandEvent(reg: Registration, event: BrandStatusEvent): Matched {
  const known = reg.progress.steps.brand.sid;
  if (!known) return 'unknown-sid';
  if (event.brandSid !== known) return 'not-ours';
  if (reg.events.accept(event, event.brandSid)) {
    reg.state.brand.events = (reg.state.brand.events ?? 0) + 1;
    recordBrand(reg, {
      status: event.brandStatus,
      identityStatus: event.identityStatus,
      failureReason: event.failureReason,
      errors: event.errors?.map(describeEventError),
    });
  }
  return 'applied';
}

/**
 * Campaign events name the Messaging Service (and, from Event Streams, the campaign). The parent
 * keeps the verdict of the submission in flight, so an event that arrives while the submission's
 * child is still starting, or before its answer, still counts. Events of an earlier, deleted
 * submission are ignored, and between submissions there is nothing for an event to decide.
 */
function applyCampaignEvent(reg: Registration, event: CampaignStatusEvent): Matched {
  if (reg.progress.standard) return applyStandardCampaignEvent(reg, reg.progress.standard.campaigns, event);
  const service = reg.progress.steps.messagingService.sid;
  if (!service) return 'unknown-sid';
  if (event.messagingServiceSid !== service) return 'not-ours';
  const c = reg.state.campaign;
  if (!c.submittedAt) return 'applied';
  if (event.campaignSid && !isCurrentCampaign(c, event.campaignSid)) return 'applied';
  if (reg.events.accept(event, 'campaign')) {
    c.events = (c.events ?? 0) + 1;
    c.status = event.campaignStatus.toUpperCase();
    if (event.errors?.length) c.errors = event.errors.map(describeEventError);
    reg.progress.campaign.status = c.status;
  }
  return 'applied';
}

/** A Standard registration's campaign events go to the campaign whose Messaging Service they name. */
function applyStandardCampaignEvent(
  reg: Registration,
  campaigns: StandardCampaignProgress[],
  event: CampaignStatusEvent,
): Matched {
  const c = campaigns.find((k) => k.messagingServiceSid === event.messagingServiceSid);
  if (!c) return campaigns.every((k) => k.messagingServiceSid) ? 'not-ours' : 'unknown-sid';
  if (!c.submittedAt) return 'applied';
  if (event.campaignSid && !isCurrentCampaign(c, event.campaignSid)) return 'applied';
  if (reg.events.accept(event, `campaign-${c.index}`)) {
    c.events = (c.events ?? 0) + 1;
    c.status = event.campaignStatus.toUpperCase();
    if (event.errors?.length) c.errors = event.errors.map(describeEventError);
    reg.touch();
  }
  return 'applied';
}

/**
 * Whether an event's campaign SID names the submission in flight. Event Streams name a campaign
 * by its CM… SID, the REST API by its QE… SID, so each kind is compared with its own kind; the
 * first CM… SID an event names for a submission becomes that submission's.
 */
function isCurrentCampaign(
  c: { previousSids: string[]; sid?: string; eventSid?: string },
  sid: string,
): boolean {
  if (c.previousSids.includes(sid)) return false;
  const known = [c.sid, c.eventSid].find((s) => s?.slice(0, 2) === sid.slice(0, 2));
  if (known) return known === sid;
  if (!sid.startsWith('QE')) c.eventSid = sid;
  return true;
}

/**
 * Number (de)registration: once the number joins the service of a registered campaign, Twilio
 * registers it with the carriers for that campaign. Recorded for operators; a failure is an issue.
 */
export function receiveNumberRegistrationEvent(reg: Registration, event: NumberRegistrationEvent): void {
  const { standard } = reg.progress;
  if (standard) {
    const c = standard.campaigns.find((k) => k.messagingServiceSid === event.messagingServiceSid);
    const number = c?.numbers[event.phoneNumberSid];
    if (!number || event.action !== 'registration') return;
    if (!reg.events.accept(event, event.phoneNumberSid)) return;
    number.registration = event.outcome;
    if (event.outcome === 'failed') {
      number.failure =
        event.errors?.map(describeEventError).join('; ') || event.failureReason || 'no reason given';
      reg.issue(
        'phoneNumber',
        `Twilio could not register ${event.phoneNumberSid} with the carriers: ${number.failure}`,
      );
    }
    reg.touch();
    return;
  }
  if (event.messagingServiceSid !== reg.progress.steps.messagingService.sid) return;
  if (!('phoneNumberSid' in reg.request) || event.phoneNumberSid !== reg.request.phoneNumberSid) return;
  if (!reg.events.accept(event, event.phoneNumberSid)) return;
  reg.progress.numberRegistration = { action: event.action, outcome: event.outcome, at: event.occurredAt };
  if (event.outcome === 'failed') {
    const reason =
      event.errors?.map(describeEventError).join('; ') || event.failureReason || 'no reason given';
    reg.issue(
      'phoneNumber',
      `Twilio could not ${event.action === 'registration' ? 'register' : 'deregister'} the number with the carriers: ${reason}`,
    );
  }
  reg.touch();
}

function describeEventError(e: TwilioEventError): string {
  const fields = e.fields?.length ? ` (${e.fields.join(', ')})` : '';
  return `${e.code !== undefined ? `${e.code}: ` : ''}${e.description ?? e.url ?? 'error'}${fields}`;
}

/** Records the brand's state from an event, a create answer or a fetch. */
export function recordBrand(
  reg: Registration,
  state: {
    status?: string;
    identityStatus?: string;
    failureReason?: string;
    errors?: string[];
    brandScore?: number;
    feedback?: string[];
  },
): void {
  const { brand, standard } = reg.progress;
  if (standard && (state.brandScore !== undefined || state.feedback)) {
    standard.vetting = {
      ...standard.vetting,
      ...(state.brandScore !== undefined ? { score: state.brandScore } : {}),
      ...(state.feedback ? { feedback: state.feedback } : {}),
    };
  }
  const before = brand.status;
  if (state.status) brand.status = state.status.toUpperCase();
  if (state.identityStatus) brand.identityStatus = state.identityStatus.toUpperCase();
  if (state.errors?.length) reg.state.brand.errors = state.errors;
  if (state.failureReason) reg.state.brand.failureReason = state.failureReason;
  reg.step('brand', undefined, { twilioStatus: brand.status });
  if (brand.status === 'FAILED' && before !== 'FAILED') {
    const reason = state.failureReason ?? state.errors?.[0] ?? 'no reason given';
    reg.issue('brand', `The brand failed: ${reason}`, state.errors);
  }
  if (brand.status) reg.attribute(A2P_BRAND_STATUS, brand.status);
}
