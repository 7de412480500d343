import { type FieldIssue, isRecord, parseWith } from '../issues';
import { campaignInfoSchema } from '../registration';
import { reviewCampaign, soleProprietorContext } from './review';
import type { CampaignFinding, CampaignReviewContext, SkippedRule } from './types';

/** What `a2p check` (and `checkCampaign`) reports about one campaign. */
export interface CampaignCheck {
  /** True when Twilio would refuse or reject the campaign: a field issue or a blocking finding. */
  blocked: boolean;
  /** Fields that break the request rules (002's lengths and counts, types, opt-out groups). */
  issues: FieldIssue[];
  /** Pre-vetting findings, blocking first; reviewed only when there are no field issues. */
  findings: CampaignFinding[];
  skipped: SkippedRule[];
}

export interface CampaignCheckOptions {
  /** The brand name, when the input is a campaign alone (a whole request carries its own). */
  brandName?: string;
  /** Overrides of the review context (use case, brand type); a Sole Proprietor campaign by default. */
  context?: Partial<CampaignReviewContext>;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * The campaign pre-vetting on its own, for a signup form: `input` is a whole registration request
 * or just its `campaign` object. Field paths are as in the input (`campaign.messageSamples` for a
 * request, `messageSamples` for a campaign). Nothing is sent anywhere.
 */
export function checkCampaign(input: unknown, options: CampaignCheckOptions = {}): CampaignCheck {
  const whole = isRecord(input) && 'campaign' in input;
  const campaignInput = whole ? input.campaign : input;
  const prefix = whole ? 'campaign' : '';
  const parsed = parseWith(campaignInfoSchema, campaignInput, whole ? 'campaign' : '(campaign)');
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) =>
      prefix && i.path !== 'campaign' ? { ...i, path: `${prefix}.${i.path}` } : i,
    );
    return { blocked: true, issues, findings: [], skipped: [] };
  }
  const sp = whole && isRecord(input.soleProprietor) ? input.soleProprietor : {};
  const context = {
    ...soleProprietorContext({
      brandName: options.brandName ?? text(sp.brandName),
      firstName: text(sp.firstName),
      lastName: text(sp.lastName),
    }),
    ...options.context,
  };
  const review = reviewCampaign(parsed.value, context);
  const findings = review.findings.map((f) => (prefix ? { ...f, field: `${prefix}.${f.field}` } : f));
  return { blocked: review.blocking.length > 0, issues: [], findings, skipped: review.skipped };
}
