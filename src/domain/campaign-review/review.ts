import type { FieldIssue } from '../issues';
import { SOLE_PROPRIETOR_BRAND_TYPE, SOLE_PROPRIETOR_USECASE } from '../rules';
import { CAMPAIGN_RULES, type CampaignRule } from './rules';
import type {
  CampaignFinding,
  CampaignReview,
  CampaignReviewContext,
  ReviewedCampaign,
  SkippedRule,
} from './types';

/**
 * Running the pre-vetting rules over a campaign. Imported by workflow code: deterministic, no
 * Node built-ins, no I/O.
 */

export interface ReviewOptions {
  /**
   * The campaign is part of one (a correction's fields): a rule that needs a field the part does
   * not give is skipped rather than run on a guess. Leave false for a whole campaign.
   */
  partial?: boolean;
}

const given = (c: ReviewedCampaign, field: string) => (c as Record<string, unknown>)[field] !== undefined;

function missingContext(rule: CampaignRule, ctx: CampaignReviewContext): string | undefined {
  for (const part of rule.context ?? []) {
    if (part === 'businessNames' && (ctx.businessNames ?? []).every((n) => n.trim() === ''))
      return 'needs the business name';
    if (part !== 'businessNames' && ctx[part] === undefined) return `needs the ${part}`;
  }
  return undefined;
}

function missingFields(rule: CampaignRule, c: ReviewedCampaign): string | undefined {
  const absent = rule.reads.filter((f) => !given(c, f));
  const judged = rule.needs === 'all' ? absent.length === 0 : absent.length < rule.reads.length;
  return judged ? undefined : `needs ${absent.join(', ')}`;
}

/**
 * Checks a campaign against every pre-vetting rule. Findings come blocking first, in rule order;
 * rules that lack what they need (the business name, a field a partial campaign leaves out) are
 * listed in `skipped`.
 */
export function reviewCampaign(
  campaign: ReviewedCampaign,
  context: CampaignReviewContext = {},
  options: ReviewOptions = {},
): CampaignReview {
  const findings: CampaignFinding[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of CAMPAIGN_RULES) {
    const reason =
      missingContext(rule, context) ?? (options.partial ? missingFields(rule, campaign) : undefined);
    if (reason) {
      skipped.push({ rule: rule.id, reason });
      continue;
    }
    const hits = rule.check(campaign, context);
    const unclear = options.partial ? (rule.clearedBy ?? []).filter((f) => !given(campaign, f)) : [];
    if (hits.length > 0 && unclear.length > 0) {
      // The part leaves out a field that could clear it: judge it on the merged campaign instead.
      skipped.push({ rule: rule.id, reason: `needs ${unclear.join(', ')}` });
      continue;
    }
    findings.push(...hits.map((hit) => ({ rule: rule.id, level: rule.level, code: rule.code, ...hit })));
  }
  const blocking = findings.filter((f) => f.level === 'blocking');
  const warnings = findings.filter((f) => f.level === 'warning');
  return { findings: [...blocking, ...warnings], blocking, warnings, skipped };
}

/** The sole proprietor as the campaign rules see it (000: brand name, first and last name). */
export interface SoleProprietorNames {
  brandName?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * The context of a Sole Proprietor campaign: 000 5 "SOLE_PROPRIETOR (there is only one valid use
 * case for a Sole Proprietor Brand)"; the sender is named by the brand name or, 000's customer
 * table, by the customer's "first name and last name".
 */
export function soleProprietorContext(names: SoleProprietorNames = {}): CampaignReviewContext {
  const fullName = [names.firstName, names.lastName].filter((n) => n?.trim()).join(' ');
  const businessNames = [names.brandName?.trim() ?? '', fullName.trim()].filter(
    (n, i, all) => n !== '' && all.indexOf(n) === i,
  );
  return {
    businessNames,
    brandType: SOLE_PROPRIETOR_BRAND_TYPE,
    usecase: SOLE_PROPRIETOR_USECASE,
  };
}

/**
 * The review of a registration request's campaign: the check to run before a workflow starts and
 * before every campaign (re)submission. Pure and deterministic, so a workflow may call it.
 */
export function reviewRegistrationCampaign(request: {
  soleProprietor: SoleProprietorNames;
  campaign: ReviewedCampaign;
}): CampaignReview {
  return reviewCampaign(request.campaign, soleProprietorContext(request.soleProprietor));
}

/**
 * The review of a correction's own fields, before it is sent: the rules its campaign fields can
 * settle alone (a partial review). The business names count only when the correction gives the
 * brand name and both owner names; otherwise the request's own names decide, and the rules that
 * need them are left to the merged check (`mergeCorrection`, the workflow's update validator).
 */
export function reviewCorrectionCampaign(correction: {
  soleProprietor?: SoleProprietorNames;
  campaign?: ReviewedCampaign;
}): CampaignReview {
  const sp = correction.soleProprietor ?? {};
  const allNames = sp.brandName !== undefined && sp.firstName !== undefined && sp.lastName !== undefined;
  const context = soleProprietorContext(allNames ? sp : {});
  return reviewCampaign(correction.campaign ?? {}, context, { partial: true });
}

/** `no sample message says how to opt out (Twilio would reject it with 30893). Fix: ... Example: "..."` */
export function describeFinding(f: CampaignFinding): string {
  return `${f.problem} (Twilio would reject it with ${f.code}). Fix: ${f.fix}. Example: ${f.example}`;
}

/**
 * Findings as FieldIssues, each at its field under `prefix` (`campaign.messageSamples`), in the
 * same one-line-per-field style as validation.
 */
export function findingsAsIssues(findings: readonly CampaignFinding[], prefix = 'campaign'): FieldIssue[] {
  return findings.map((f) => ({
    path: prefix ? `${prefix}.${f.field}` : f.field,
    message: describeFinding(f),
  }));
}
