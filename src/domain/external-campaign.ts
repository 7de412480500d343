import { z } from 'zod';
import { type FieldIssue, type Parsed } from './registration';
import { SID_PATTERNS, TCR_CAMPAIGN_ID_PATTERN } from './rules';

/** 003: connect a TCR-registered campaign to a Messaging Service (one created, or one given). */
export const externalCampaignRequestSchema = z.strictObject({
  campaignId: z
    .string({ message: 'campaign id is required' })
    .trim()
    .regex(TCR_CAMPAIGN_ID_PATTERN, "must be TCR's campaign id: 7 letters or digits starting with C"),
  messagingServiceSid: z
    .string()
    .regex(SID_PATTERNS.messagingService, 'must be a Messaging Service SID (MG + 32 hex)')
    .optional(),
  phoneNumberSids: z
    .array(z.string().regex(SID_PATTERNS.phoneNumber, 'must be a phone number SID (PN + 32 hex)'))
    .min(1, 'give at least one phone number SID'),
});

export type ExternalCampaignRequest = z.output<typeof externalCampaignRequestSchema>;

export function parseExternalCampaignRequest(input: unknown): Parsed<ExternalCampaignRequest> {
  const result = externalCampaignRequestSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues: FieldIssue[] = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(request)',
    message: i.message,
  }));
  return { ok: false, issues };
}
