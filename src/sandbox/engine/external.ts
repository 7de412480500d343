import {
  DCA_REJECT_CAMPAIGN_ID,
  DCA_REJECT_FEEDBACK,
  SHARE_REJECT_CAMPAIGN_ID,
  SHARE_REJECT_FEEDBACK,
  registrationError,
} from '../outcomes';
import { newSid, type Campaign, type CampaignShare, type Review } from '../state';
import { TwilioApiError } from '../wire';
import type { EngineCore } from './core';
import { ConflictError } from './errors';
import type { Engine } from './index';

/** 003: "Rate limit: One request per five seconds." */
export const EXTERNAL_ASSOCIATION_INTERVAL_MS = 5_000;

/**
 * External campaigns (003): a campaign registered directly with TCR is shared with Twilio as DCA,
 * Twilio reviews the share (CAMPAIGN_SHARE_ACCEPT / DELETE to the ISV's TCR webhook), and an
 * accepted one is associated with a Messaging Service, which the secondary DCA then reviews.
 */
export class ExternalCampaigns {
  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
  ) {
    core.reviews.register('external-campaign', {
      step: (review) => this.stepAssociation(review),
      status: (sid) => this.core.state.campaigns[sid]?.status ?? 'deleted',
    });
    core.reviews.register('campaign-share', {
      step: (review) => this.stepShare(review),
      status: (id) => this.core.state.shares[id]?.status ?? 'deleted',
    });
  }

  private get state() {
    return this.core.state;
  }

  /** POST /v1/Services/PreregisteredUsa2p (003 step 5). */
  associate(campaignId: string, serviceSid: string): Campaign {
    const share = this.state.shares[campaignId];
    // Twilio error 30904 "Campaign Not Shared with Twilio": "the specific Campaign was not found in
    // Twilio's DCA records" (never shared, or the share was deleted: "re-share the Campaign").
    if (!share || share.status === 'DELETED')
      throw new TwilioApiError(
        400,
        30904,
        `Messaging Service could not be associated with Campaign ${campaignId}: it was not found in Twilio's DCA records (share it with Twilio on TCR and wait for CAMPAIGN_SHARE_ACCEPT)`,
      );
    // Twilio error 30905 "Campaign Review Pending by Twilio": associated "before receiving the
    // CAMPAIGN_SHARE_ACCEPT webhook from TCR".
    if (share.status !== 'ACCEPTED')
      throw new TwilioApiError(
        400,
        30905,
        `Unable to attach the Messaging Service to Campaign ${campaignId} as the Campaign is still under review and has not been accepted by Twilio's DCA`,
      );
    this.engine.campaigns.refuseIfOccupied(serviceSid);
    const other = this.engine.campaigns.byTcrId(campaignId);
    if (other?.status === 'DELETION_PENDING')
      throw new TwilioApiError(
        409,
        21721,
        `The association of Campaign ${campaignId} is still being deleted; associate it again once the deletion is finalized (003: wait five seconds)`,
      );
    if (other)
      throw new TwilioApiError(
        409,
        21721,
        `Campaign ${campaignId} is already associated with ${other.messagingServiceSid}`,
      );
    const now = this.core.now();
    const c: Campaign = {
      sid: newSid('QE'),
      eventSid: newSid('CM'),
      messagingServiceSid: serviceSid,
      brandRegistrationSid: null,
      campaignId,
      external: true,
      description: null,
      messageFlow: null,
      messageSamples: [],
      usecase: 'UNDECLARED',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      subscriberOptIn: false,
      ageGated: false,
      directLending: false,
      optInMessage: null,
      optOutMessage: null,
      helpMessage: null,
      optInKeywords: [],
      optOutKeywords: [],
      helpKeywords: [],
      mock: false,
      status: 'PENDING',
      errors: [],
      rateLimited: false,
      dateCreated: now,
      dateUpdated: now,
    };
    const last = this.state.lastExternalAssociationAt;
    // 003: "One request per five seconds. Failures resulting from exceeding this limit are asynchronous"
    c.rateLimited = last !== null && now - last < EXTERNAL_ASSOCIATION_INTERVAL_MS;
    this.state.lastExternalAssociationAt = now;
    this.state.campaigns[c.sid] = c;
    this.core.reviews.schedule('external-campaign', c.sid, 'submitted', this.core.timings.externalReviewMs);
    return c;
  }

  private stepAssociation(review: Review): void {
    const c = this.state.campaigns[review.subject];
    if (!c) return this.core.reviews.finish('external-campaign', review.subject);
    const campaigns = this.engine.campaigns;
    if (c.rateLimited)
      return campaigns.fail(c, [
        registrationError(
          30897,
          'The association request exceeded the rate limit of one request per five seconds; delete the association and reshare the campaign.',
          [],
        ),
      ]);
    // 003: "Twilio will bill the $15 vetting fee for each review conducted by the secondary DCA."
    this.core.charge(c.sid, 'campaign-vetting', 'secondary DCA review');
    if (c.campaignId === DCA_REJECT_CAMPAIGN_ID) {
      this.core.tcrEvent('CAMPAIGN_SHARE_DELETE', c.campaignId, DCA_REJECT_FEEDBACK);
      return campaigns.fail(c, [registrationError(30902, DCA_REJECT_FEEDBACK, [])]);
    }
    campaigns.verify(c);
  }

  // ---- sharing on TCR (003 steps 3–4)

  shares(): CampaignShare[] {
    return Object.values(this.state.shares);
  }

  share(campaignId: string): CampaignShare | undefined {
    return this.state.shares[campaignId];
  }

  /** The ISV shares a TCR campaign with Twilio as DCA; Twilio reviews it. */
  shareCampaign(campaignId: string): CampaignShare {
    const now = this.core.now();
    const existing = this.state.shares[campaignId];
    const share: CampaignShare = {
      campaignId,
      status: 'PENDING',
      feedback: null,
      dateCreated: existing?.dateCreated ?? now,
      dateUpdated: now,
    };
    this.state.shares[campaignId] = share;
    this.core.reviews.schedule('campaign-share', campaignId, 'shared', this.core.timings.shareReviewMs);
    this.core.changed();
    return share;
  }

  private stepShare(review: Review): void {
    if (review.subject === SHARE_REJECT_CAMPAIGN_ID)
      this.decideShare(review.subject, 'delete', SHARE_REJECT_FEEDBACK);
    else this.decideShare(review.subject, 'accept');
  }

  /** Control API (or the review): Twilio accepts the share, or deletes it with feedback. */
  decideShare(campaignId: string, decision: 'accept' | 'delete', feedback?: string): CampaignShare {
    const share = this.state.shares[campaignId];
    if (!share) throw new ConflictError(`campaign ${campaignId} was not shared`);
    share.status = decision === 'accept' ? 'ACCEPTED' : 'DELETED';
    share.feedback = decision === 'delete' ? (feedback ?? 'Rejected by Twilio review.') : null;
    share.dateUpdated = this.core.now();
    this.core.reviews.finish('campaign-share', campaignId);
    this.core.tcrEvent(
      decision === 'accept' ? 'CAMPAIGN_SHARE_ACCEPT' : 'CAMPAIGN_SHARE_DELETE',
      campaignId,
      share.feedback,
    );
    this.core.changed();
    return share;
  }
}
