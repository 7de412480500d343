import { z } from 'zod';
import { type Parsed, parseWith, typeError, whenObject } from './issues';
import { sidField } from './registration';
import { TCR_CAMPAIGN_ID_PATTERN, TEXT_LIMITS } from './rules';

/**
 * 003: connect a campaign registered directly with TCR to a Messaging Service (the one named, or
 * one created for it) and put the given numbers in that service's sender pool.
 */

const max = TEXT_LIMITS.messagingServiceFriendlyName;

export const externalCampaignRequestSchema = z
  .strictObject(
    {
      // 003: campaignId "is a seven character alphanumeric string that starts with C" (e.g. CRMTK1Z)
      campaignId: z
        .string({ error: typeError('text') })
        .trim()
        .toUpperCase()
        .regex(
          TCR_CAMPAIGN_ID_PATTERN,
          "must be TCR's campaign id: 7 letters or digits starting with C, like CRMTK1Z",
        ),
      messagingServiceSid: sidField('messagingService').optional(),
      // 003: "Add phone numbers to the Messaging Service's Sender Pool"
      phoneNumberSids: z
        .array(sidField('phoneNumber'), { error: typeError('a list of phone number SIDs') })
        .min(1, 'must list at least one phone number SID')
        .superRefine((sids, ctx) => {
          sids.forEach((sid, i) => {
            if (sids.indexOf(sid) !== i)
              ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${sid}; list each number once` });
          });
        }),
      // 003 step 1: "Create a Twilio Messaging Service ... Do not specify the Messaging Service's Usecase"
      createMessagingService: z
        .strictObject(
          {
            friendlyName: z
              .string({ error: typeError('text') })
              .trim()
              .min(1, 'must not be blank (leave the field out instead)')
              .max(max, `must be at most ${max} characters`)
              .optional(),
          },
          { error: typeError('an object') },
        )
        .optional(),
    },
    { error: typeError('an object') },
  )
  .superRefine((r, ctx) => {
    if (r.messagingServiceSid !== undefined && r.createMessagingService !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['createMessagingService'],
        message: 'cannot be given together with messagingServiceSid: use the existing service or create one',
      });
  }, whenObject);

export type ExternalCampaignRequest = z.infer<typeof externalCampaignRequestSchema>;

export function parseExternalCampaignRequest(input: unknown): Parsed<ExternalCampaignRequest> {
  return parseWith(externalCampaignRequestSchema, input, '(request)');
}
