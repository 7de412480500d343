import type { CampaignInfo } from '../registration';

/**
 * The shapes of the campaign pre-vetting check. Imported by workflow code: plain types only.
 */

/**
 * - `blocking`: Twilio's documented rejection reasons say the campaign would be rejected for
 *   certain; the request (or correction) is refused before anything is paid.
 * - `warning`: likely rejected; shown, recorded, and accepted only on purpose.
 */
export type FindingLevel = 'blocking' | 'warning';

/** One thing wrong with a campaign, as Twilio's review would see it, and how to put it right. */
export interface CampaignFinding {
  /** The rule that found it, e.g. `sample-opt-out-language` (docs/campaign-review.md lists them). */
  rule: string;
  level: FindingLevel;
  /** The Twilio error code a campaign FAILED for this reason carries (e.g. 30893). */
  code: number;
  /** The campaign field, relative to the campaign: `messageSamples`, `messageSamples.1`, `messageFlow`. */
  field: string;
  /** What is wrong. */
  problem: string;
  /** How to fix it. */
  fix: string;
  /** A fixed value to copy from. */
  example: string;
}

/** The campaign's fields as the check reads them: a request's campaign, or part of one (a correction). */
export type ReviewedCampaign = Partial<CampaignInfo>;
export type CampaignField = keyof CampaignInfo;

/** Brand types as 001 names them (`LOW_VOLUME_STANDARD` is a STANDARD brand with skipAutomaticSecVet). */
export type BrandKind = 'SOLE_PROPRIETOR' | 'STANDARD' | 'LOW_VOLUME_STANDARD';

/** What the check knows about the brand the campaign is for. Rules that need a missing part are skipped. */
export interface CampaignReviewContext {
  /**
   * Names that identify the sender to a recipient: the brand name and, for a sole proprietor, the
   * customer's first and last name (000: a Sole Proprietor's "business name is usually their first
   * name and last name").
   */
  businessNames?: readonly string[];
  brandType?: BrandKind;
  /** The campaign's `us_app_to_person_usecase` (002), e.g. SOLE_PROPRIETOR, 2FA, MARKETING. */
  usecase?: string;
  /** A Standard brand's A2P messaging profile company_type. */
  companyType?: 'private' | 'public' | 'non_profit' | 'government';
  /** A public for-profit brand has completed TCR's Authentication+ (brand_contact_email 2FA). */
  authenticationPlusVerified?: boolean;
}

/** A rule that did not run, and why (a field the partial campaign lacks, or context). */
export interface SkippedRule {
  rule: string;
  reason: string;
}

export interface CampaignReview {
  /** Every finding, blocking first, in rule order. */
  findings: CampaignFinding[];
  blocking: CampaignFinding[];
  warnings: CampaignFinding[];
  skipped: SkippedRule[];
}
