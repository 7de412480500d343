import { z } from 'zod';
import { CAMPAIGN_LIMITS, SID_PATTERNS, VERTICALS } from './rules';

/**
 * The registration request an ISV submits for one customer, validated against the documented
 * rules before any workflow starts or any Twilio call is made. Unknown keys are refused so a typo
 * surfaces instead of being silently dropped.
 */

const text = (what: string) =>
  z
    .string({ message: `${what} is required` })
    .trim()
    .min(1, `${what} is required`);

const between = (what: string, { min, max }: { min: number; max: number }) =>
  z
    .string({ message: `${what} is required` })
    .trim()
    .min(min, `must be at least ${min} characters (Twilio's minimum)`)
    .max(max, `must be at most ${max} characters (Twilio's maximum)`);

/** E.164: a plus sign, then up to 15 digits, the first not zero. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** NANP (US and Canada): +1, an area code and exchange that do not start with 0 or 1. */
const NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
const EMAIL = /^[^\s@]+@(?=[^\s@]{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

// 000, the customer-information table.
export const soleProprietorInfoSchema = z.strictObject({
  firstName: text('first name').max(100),
  lastName: text('last name').max(100),
  // "This must be a well formatted address with a valid domain and cannot be a disposable address."
  email: z
    .string({ message: 'email is required' })
    .trim()
    .max(254)
    .regex(EMAIL, 'must be a well-formed email address with a valid domain'),
  // "The customer's business/contact phone number. It must be a well-formatted number"
  phoneNumber: z
    .string({ message: 'phone number is required' })
    .trim()
    .regex(E164, 'must be an E.164 number like +14155550123'),
  // "This must be a valid US or Canadian mobile number"
  mobilePhoneNumber: z
    .string({ message: 'mobile number is required' })
    .trim()
    .regex(NANP, 'must be a US or Canadian mobile number in E.164 form, like +14155550123'),
  // "This field cannot be a unique identifier such as an account ID or email address."
  brandName: text('brand name')
    .max(255)
    .refine((v) => !v.includes('@'), 'must be the business (or first and last) name, not an email address'),
  vertical: z.enum(VERTICALS, { message: `must be one of ${VERTICALS.join(', ')}` }).optional(),
});

const US_ZIP = /^\d{5}(-\d{4})?$/;
const CA_POSTAL = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i;

// 000 1.4: "Note that you can only use a valid US or Canadian address".
const addressFields = z.strictObject({
  customerName: z.string().trim().max(255).optional(),
  street: text('street'),
  streetSecondary: z.string().trim().max(255).optional(),
  city: text('city'),
  region: text('region'),
  postalCode: text('postal code'),
  isoCountry: z.enum(['US', 'CA'], {
    message: 'must be US or CA (Sole Proprietor brands are US/Canada only)',
  }),
});

export const customerAddressSchema = addressFields.superRefine((a, ctx) => {
  const pattern = a.isoCountry === 'CA' ? CA_POSTAL : US_ZIP;
  if (!pattern.test(a.postalCode)) {
    ctx.addIssue({
      code: 'custom',
      path: ['postalCode'],
      message:
        a.isoCountry === 'CA'
          ? 'must be a Canadian postal code like K1A 0B1'
          : 'must be a US ZIP code like 94016',
    });
  }
});

const keywords = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]+$/, 'keywords must be alphanumeric'),
  )
  .min(1, 'give at least one keyword')
  .refine((k) => k.join(',').length <= CAMPAIGN_LIMITS.keywords.max, {
    message: `keywords may total at most ${CAMPAIGN_LIMITS.keywords.max} characters`,
  });

const campaignFields = {
  description: between('description', CAMPAIGN_LIMITS.description),
  messageFlow: between('message flow', CAMPAIGN_LIMITS.messageFlow),
  messageSamples: z
    .array(between('message sample', CAMPAIGN_LIMITS.sample))
    .min(CAMPAIGN_LIMITS.samples.min, `give at least ${CAMPAIGN_LIMITS.samples.min} samples`)
    .max(CAMPAIGN_LIMITS.samples.max, `give at most ${CAMPAIGN_LIMITS.samples.max} samples`),
  hasEmbeddedLinks: z.boolean({ message: 'must be true or false' }),
  hasEmbeddedPhone: z.boolean({ message: 'must be true or false' }),
  optInMessage: between('opt-in message', CAMPAIGN_LIMITS.autoReply).optional(),
  optOutMessage: between('opt-out message', CAMPAIGN_LIMITS.autoReply).optional(),
  helpMessage: between('help message', CAMPAIGN_LIMITS.autoReply).optional(),
  optInKeywords: keywords.optional(),
  optOutKeywords: keywords.optional(),
  helpKeywords: keywords.optional(),
};

/**
 * 002: the opt-in message and keywords go together ("required if end users can text in a keyword
 * to start receiving messages"); so do the opt-out and the help message and keywords ("required if
 * managing opt out keywords yourself (i.e. not using Twilio's Default or Advanced Opt Out features)").
 */
function pairedFields(c: Partial<Record<keyof typeof campaignFields, unknown>>, ctx: z.RefinementCtx) {
  for (const [message, words] of [
    ['optInMessage', 'optInKeywords'],
    ['optOutMessage', 'optOutKeywords'],
    ['helpMessage', 'helpKeywords'],
  ] as const) {
    if ((c[message] === undefined) !== (c[words] === undefined)) {
      const missing = c[message] === undefined ? message : words;
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `is required together with ${missing === message ? words : message}`,
      });
    }
  }
}

export const campaignInfoSchema = z.strictObject(campaignFields).superRefine(pairedFields);

export const registrationRequestSchema = z.strictObject({
  // Goes into the workflow id; the ISV's own id, never PII.
  customerId: z
    .string({ message: 'customer id is required' })
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
      'must be 1–64 letters, digits, "_", "." or "-" (your own id, not PII)',
    )
    .refine(
      (v) => !/^\+?\d{10,15}$/.test(v),
      'must not be a phone number (it is visible in the Temporal UI)',
    ),
  soleProprietor: soleProprietorInfoSchema,
  address: customerAddressSchema,
  campaign: campaignInfoSchema,
  messagingServiceSid: z
    .string()
    .regex(SID_PATTERNS.messagingService, 'must be a Messaging Service SID (MG + 32 hex)')
    .optional(),
  phoneNumberSid: z
    .string({ message: 'phone number SID is required' })
    .regex(SID_PATTERNS.phoneNumber, 'must be a phone number SID (PN + 32 hex)'),
  /** 001: a mock brand is not sent to TCR and costs nothing (for testing with a real account). */
  mock: z.boolean().optional(),
});

export const registrationCorrectionSchema = z
  .strictObject({
    soleProprietor: soleProprietorInfoSchema.partial().optional(),
    address: addressFields.partial().optional(),
    campaign: z.strictObject(campaignFields).partial().optional(),
  })
  .refine(
    (c) => [c.soleProprietor, c.address, c.campaign].some((part) => part && Object.keys(part).length > 0),
    {
      message: 'a correction must change at least one field',
    },
  );

export type SoleProprietorInfo = z.output<typeof soleProprietorInfoSchema>;
export type CustomerAddress = z.output<typeof customerAddressSchema>;
export type CampaignInfo = z.output<typeof campaignInfoSchema>;
export type RegistrationRequest = z.output<typeof registrationRequestSchema>;
export type RegistrationCorrection = z.output<typeof registrationCorrectionSchema>;

export interface FieldIssue {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

function toIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message }));
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toIssues(result.error) };
}

export const parseRegistrationRequest = (input: unknown) => parseWith(registrationRequestSchema, input);
export const parseRegistrationCorrection = (input: unknown) => parseWith(registrationCorrectionSchema, input);

/** One line per bad field: `soleProprietor.email: must be a well-formed email address ...`. */
export function formatIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}

/**
 * Merges a correction into a request and revalidates the result (a correction can make a paired
 * field incomplete). Throws with every bad field named.
 */
export function applyCorrection(
  request: RegistrationRequest,
  correction: RegistrationCorrection,
): RegistrationRequest {
  const merged = {
    ...request,
    soleProprietor: { ...request.soleProprietor, ...correction.soleProprietor },
    address: { ...request.address, ...correction.address },
    campaign: { ...request.campaign, ...correction.campaign },
  };
  const parsed = parseRegistrationRequest(merged);
  if (!parsed.ok) throw new Error(`The corrected request is invalid:\n${formatIssues(parsed.issues)}`);
  return parsed.value;
}

/** A complete, valid request for a fictional sole proprietor: the demo's and the tests' sample. */
export const SAMPLE_REGISTRATION_REQUEST: RegistrationRequest = {
  customerId: 'demo-customer',
  soleProprietor: {
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane.doe@example.com',
    phoneNumber: '+14155550123',
    mobilePhoneNumber: '+14155550134',
    brandName: 'Jane Doe Pottery',
    vertical: 'RETAIL',
  },
  address: {
    customerName: 'Jane Doe',
    street: '1 Jersey St',
    city: 'Boston',
    region: 'MA',
    postalCode: '02215',
    isoCountry: 'US',
  },
  campaign: {
    description:
      'Order updates and class reminders from Jane Doe Pottery to customers who opted in at checkout.',
    messageFlow:
      'Customers opt in by ticking an unchecked SMS consent box at checkout on janedoepottery.example.com/checkout; terms at janedoepottery.example.com/terms.',
    messageSamples: [
      'Jane Doe Pottery: your order [order id] is ready for pickup. Reply STOP to opt out.',
      'Jane Doe Pottery: reminder, your wheel-throwing class starts at [time] tomorrow. Reply HELP for help.',
    ],
    hasEmbeddedLinks: false,
    hasEmbeddedPhone: false,
  },
  phoneNumberSid: 'PN00000000000000000000000000000001',
};
