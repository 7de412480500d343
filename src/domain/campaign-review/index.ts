/**
 * Campaign pre-vetting: Twilio's documented campaign rejection reasons, checked before a campaign
 * is submitted (and paid for). Imported by workflow code: pure, deterministic, no Node built-ins.
 * docs/campaign-review.md lists every rule with its Twilio error code and source.
 */
export * from './types';
export { CAMPAIGN_RULES, type CampaignRule, type RuleHit } from './rules';
export {
  describeFinding,
  findingsAsIssues,
  reviewCampaign,
  reviewCorrectionCampaign,
  reviewRegistrationCampaign,
  type ReviewOptions,
  soleProprietorContext,
  type SoleProprietorNames,
} from './review';
export { type CampaignCheck, type CampaignCheckOptions, checkCampaign } from './check';
