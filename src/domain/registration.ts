import { z } from 'zod';
import { findingsAsIssues, reviewCampaign, soleProprietorContext } from './campaign-review/review';
import {
  type FieldIssue,
  formatIssues,
  isRecord,
  type Parsed,
  parseWith,
  typeError,
  whenObject,
} from './issues';
import { CA_REGION_CODES, countryCallingCode, US_REGION_CODES } from './places';
import {
  CA_POSTAL_CODE_PATTERN,
  CAMPAIGN_LIMITS,
  CUSTOMER_ID_PATTERN,
  E164_PATTERN,
  EMAIL_PATTERN,
  KEYWORD_PATTERN,
  NANP_PATTERN,
  SID_PATTERNS,
  type SidKind,
  SOLE_PROPRIETOR_COUNTRIES,
  TEXT_LIMITS,
  US_ZIP_PATTERN,
  VERTICALS,
} from './rules';

/**
 * The registration request an ISV submits for one customer, validated against the documented rules
 * before any workflow starts or any Twilio call is made. Objects are strict (an unknown key is an
 * error, so a typo surfaces instead of being dropped), strings are trimmed, and every bad field is
 * reported with a message that says how to fix it.
 *
 * Imported by workflow code: zod and plain functions only.
 */

// ---------------------------------------------------------------------------------------------
// Field builders
// ---------------------------------------------------------------------------------------------

/** Characters as people count them (code points, so an emoji is one), not UTF-16 units. */
const length = (value: string) => Array.from(value).length;

export const text = () => z.string({ error: typeError('text') }).trim();

/** A trimmed, non-blank string of at most `max` characters. */
export const requiredText = (max: number) =>
  text()
    .min(1, 'must not be blank')
    .refine((v) => length(v) <= max, `must be at most ${max} characters`);

/** Optional, but when given it must not be blank: leaving the field out is how to say "none". */
export const optionalText = (max: number) =>
  text()
    .min(1, 'must not be blank (leave the field out instead)')
    .refine((v) => length(v) <= max, `must be at most ${max} characters`)
    .optional();

/** A trimmed string whose length Twilio bounds, with a message that gives the actual length. */
const boundedText = ({ min, max }: { min: number; max: number }) =>
  text().superRefine((v, ctx) => {
    const n = length(v);
    if (n < min)
      ctx.addIssue({ code: 'custom', message: `must be at least ${min} characters (it has ${n})` });
    if (n > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters (it has ${n})` });
  });

/**
 * 000: TCR "supports all "utf8mb4" supported characters" of "Unicode 15.0 supported scripts and
 * characters". What it cannot take: control characters (C0 and C1, NUL among them), line and
 * paragraph separators in a one-line field, lone surrogates (not encodable in UTF-8), private-use
 * and unassigned code points (no script). Names in any script pass.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

function unprintable(value: string): string | undefined {
  const found = UNPRINTABLE.exec(value)?.[0];
  if (found === undefined) return undefined;
  const code = (found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control, unassigned or private-use characters (it has U+${code})`;
}

/** {@link requiredText} / {@link optionalText} that also refuses what TCR cannot store. */
export const printable = <T extends z.ZodType<string | undefined>>(schema: T) =>
  schema.superRefine((v, ctx) => {
    const problem = typeof v === 'string' ? unprintable(v) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A person's first or last name: letters of any script with their combining marks, and the
 * punctuation names carry (spaces, apostrophes, hyphens, periods, commas, middle dots; ZWJ and ZWNJ,
 * which some scripts need). It must have a letter: `+1` or `a@b` is not a name.
 */
const PERSON_NAME = /^[\p{L}\p{M}\p{Zs}'’‘ʼ.,\-‐‑·・\u200C\u200D]+$/u;

export const personName = (max: number) =>
  printable(requiredText(max)).superRefine((v, ctx) => {
    if (v === '' || unprintable(v)) return; // reported above
    if (!/\p{L}/u.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be a name: it has no letters' });
      return;
    }
    const odd = Array.from(v).find((c) => !PERSON_NAME.test(c));
    if (odd !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: `must be a name: letters (any script), spaces, apostrophes, hyphens and periods, not "${odd}"`,
      });
  });

/**
 * 000: the phone number "must be a well-formatted number": E.164 whose country calling code is one
 * in service, and for +1 a North American number (area code and exchange starting 2–9).
 */
export const businessPhone = () =>
  text()
    .regex(E164_PATTERN, 'must be an E.164 number: "+", country code and number, like +14155550123')
    .superRefine((v, ctx) => {
      if (!E164_PATTERN.test(v)) return; // reported above
      const code = countryCallingCode(v);
      if (code === undefined)
        ctx.addIssue({
          code: 'custom',
          message: `must start with a country calling code in use, like +1 or +44 (${v.slice(0, 4)}… is none)`,
        });
      else if (code === '1' && !NANP_PATTERN.test(v))
        ctx.addIssue({
          code: 'custom',
          message: 'must be a North American number: +1 and 10 digits, like +14155550123',
        });
    });

const SID_NAMES: Record<SidKind, string> = {
  account: 'an Account',
  bundle: 'a Trust Hub bundle',
  endUser: 'an End-User',
  supportingDocument: 'a Supporting Document',
  address: 'an Address',
  phoneNumber: 'a phone number',
  messagingService: 'a Messaging Service',
  brand: 'a Brand',
  campaign: 'a Campaign',
  policy: 'a policy',
};

/** A Twilio SID of one kind: its two-letter prefix and 32 hex digits. */
export const sidField = (kind: SidKind) =>
  text().regex(
    SID_PATTERNS[kind],
    `must be ${SID_NAMES[kind]} SID: "${SID_PATTERNS[kind].source.slice(1, 3)}" followed by 32 hex digits`,
  );

export const flag = () =>
  z.boolean({
    error: (issue) => (issue.input === undefined ? 'is required (true or false)' : 'must be true or false'),
  });

export const strictObject = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.strictObject(shape, { error: typeError('an object') });

// ---------------------------------------------------------------------------------------------
// The sole proprietor (000: the customer-information table, 1.3 and 2.3)
// ---------------------------------------------------------------------------------------------

/**
 * 000: brand name "cannot be a unique identifier such as an account ID or email address"; it is
 * the business (DBA) name or the customer's first and last name. Returns why a value looks like an
 * identifier, or undefined.
 */
export function identifierLikeBrandName(value: string): string | undefined {
  if (value.includes('@')) return 'must be the business name (or first and last name), not an email address';
  if (!/\p{L}/u.test(value))
    return 'must be the business name (or first and last name), not a number or code';
  const token = !/\s/.test(value);
  if (
    /^[A-Za-z]{2}[0-9a-fA-F]{32}$/.test(value) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ||
    (token && (value.includes('_') || /\d{5}/.test(value)))
  )
    return 'must be the business name (or first and last name), not an account id or other identifier';
  return undefined;
}

/** 000: email "must be a well formatted address with a valid domain" (the domain's existence only Twilio can check). */
export const emailField = () =>
  text()
    .max(TEXT_LIMITS.email, `must be at most ${TEXT_LIMITS.email} characters`)
    .regex(EMAIL_PATTERN, 'must be a well-formed email address with a valid domain, like jane@example.com');

const soleProprietorShape = {
  firstName: personName(TEXT_LIMITS.name),
  lastName: personName(TEXT_LIMITS.name),
  // 000: email "must be a well formatted address with a valid domain and cannot be a disposable address"
  // (whether the domain exists or is disposable only Twilio can check, at profile submission).
  email: emailField(),
  // 000: phone number "must be a well-formatted number and can be a landline, mobile, or other number"
  phoneNumber: businessPhone(),
  // 000 2.3: "This must be a valid US or Canadian mobile number" (receives the OTP)
  mobilePhoneNumber: text().regex(
    NANP_PATTERN,
    'must be a US or Canadian mobile number in E.164 form, like +14155550123',
  ),
  // 000: "This field cannot be a unique identifier such as an account ID or email address."
  brandName: printable(requiredText(TEXT_LIMITS.brandName)).superRefine((v, ctx) => {
    const problem = v === '' || unprintable(v) ? undefined : identifierLikeBrandName(v); // reported above
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  // 000 2.3: the optional vertical "can be one of the following values"
  vertical: z.enum(VERTICALS, { error: `must be one of ${VERTICALS.join(', ')}` }).optional(),
};

export const soleProprietorInfoSchema = strictObject(soleProprietorShape);

// ---------------------------------------------------------------------------------------------
// The address (000 1.4)
// ---------------------------------------------------------------------------------------------

export const addressShape = {
  // 000 1.4: "Customer Name (optional)"
  customerName: printable(optionalText(TEXT_LIMITS.customerName)),
  street: printable(requiredText(TEXT_LIMITS.street)),
  // 000 1.4: "Street Address 2 (optional)"
  streetSecondary: printable(optionalText(TEXT_LIMITS.street)),
  city: printable(requiredText(TEXT_LIMITS.city)).superRefine((v, ctx) => {
    if (v !== '' && !unprintable(v) && !/\p{L}/u.test(v))
      ctx.addIssue({ code: 'custom', message: 'must be a city name: it has no letters' });
  }),
  // 000 1.4: region "Can be a State or Province": its postal code (MA, ON), checked against the country below
  region: text().toUpperCase().min(1, 'must not be blank'),
  postalCode: text().toUpperCase().min(1, 'must not be blank'),
  // 000 1.4: "you can only use a valid US or Canadian address if you are creating a Sole Proprietor registration"
  isoCountry: text()
    .toUpperCase()
    .pipe(
      z.enum(SOLE_PROPRIETOR_COUNTRIES, {
        error: 'must be US or CA (a Sole Proprietor registration needs a US or Canadian address)',
      }),
    ),
};

const POSTAL_FORMATS = {
  US: { pattern: US_ZIP_PATTERN, message: 'must be a US ZIP code like 94016 or 02215-4147' },
  CA: { pattern: CA_POSTAL_CODE_PATTERN, message: 'must be a Canadian postal code like K1A 0B1' },
} as const;

/** 000 1.4: "If given address has invalid postal code" Twilio rejects the profile; check the format first. */
export function checkPostalCode(a: Record<string, unknown>, ctx: z.RefinementCtx) {
  const code = a.postalCode;
  if (typeof code !== 'string' || code === '') return;
  const country = a.isoCountry;
  if (country === 'US' || country === 'CA') {
    const format = POSTAL_FORMATS[country];
    if (!format.pattern.test(code))
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        message: `${format.message} (isoCountry is ${country})`,
      });
  } else if (country === undefined && !US_ZIP_PATTERN.test(code) && !CA_POSTAL_CODE_PATTERN.test(code)) {
    // A correction may change the postal code alone: it must fit one of the two countries.
    ctx.addIssue({
      code: 'custom',
      path: ['postalCode'],
      message: 'must be a US ZIP code (94016) or a Canadian postal code (K1A 0B1)',
    });
  }
}

const REGION_FORMATS = {
  US: {
    codes: US_REGION_CODES as readonly string[],
    message: 'must be a US state or territory code like MA or PR',
  },
  CA: {
    codes: CA_REGION_CODES as readonly string[],
    message: 'must be a Canadian province or territory code like ON or BC',
  },
} as const;

/** 000 1.4: Twilio rejects a profile whose address has an "Invalid Region"; the codes are known. */
export function checkRegion(a: Record<string, unknown>, ctx: z.RefinementCtx) {
  const region = a.region;
  if (typeof region !== 'string' || region === '') return;
  const country = a.isoCountry;
  if (country === 'US' || country === 'CA') {
    const format = REGION_FORMATS[country];
    if (!format.codes.includes(region))
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: `${format.message} (isoCountry is ${country})`,
      });
  } else if (
    country === undefined &&
    !US_REGION_CODES.some((c) => c === region) &&
    !CA_REGION_CODES.some((c) => c === region)
  ) {
    // A correction may change the region alone: it must be one of the two countries'.
    ctx.addIssue({
      code: 'custom',
      path: ['region'],
      message: 'must be a US state or territory code (MA) or a Canadian province or territory code (ON)',
    });
  }
}

export function checkAddress(a: Record<string, unknown>, ctx: z.RefinementCtx) {
  checkPostalCode(a, ctx);
  checkRegion(a, ctx);
}

export const customerAddressSchema = strictObject(addressShape).superRefine(checkAddress, whenObject);

// ---------------------------------------------------------------------------------------------
// The campaign (000 section 5, 002)
// ---------------------------------------------------------------------------------------------

// 002: keywords "Values must be alphanumeric. 255 character maximum."
const keywordList = z
  .array(text().regex(KEYWORD_PATTERN, 'must be letters and digits only (no spaces or punctuation)'), {
    error: typeError('a list of keywords'),
  })
  .min(1, 'must list at least one keyword (or leave the field out)')
  .superRefine((words, ctx) => {
    const n = words.join(',').length;
    if (n > CAMPAIGN_LIMITS.keywords.max)
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${CAMPAIGN_LIMITS.keywords.max} characters in all, joined with commas (they are ${n})`,
      });
  });

const { samples } = CAMPAIGN_LIMITS;
export const campaignShape = {
  // 002: description "Min length: 40 characters. Max length: 4096 characters."
  description: boundedText(CAMPAIGN_LIMITS.description),
  // 002: message_flow "40 character minimum. 2048 character maximum."
  messageFlow: boundedText(CAMPAIGN_LIMITS.messageFlow),
  // 002: message_samples "min two and max five"; "Min length for each sample: 20 chars. Max length for each sample: 1024 chars."
  messageSamples: z
    .array(boundedText(CAMPAIGN_LIMITS.sample), { error: typeError('a list of sample messages') })
    .min(samples.min, `must have at least ${samples.min} sample messages`)
    .max(samples.max, `must have at most ${samples.max} sample messages`),
  // 002: has_embedded_links / has_embedded_phone (booleans)
  hasEmbeddedLinks: flag(),
  hasEmbeddedPhone: flag(),
  // 002: opt_in / opt_out / help messages "20 character minimum. 320 character maximum."
  optInMessage: boundedText(CAMPAIGN_LIMITS.autoReply).optional(),
  optOutMessage: boundedText(CAMPAIGN_LIMITS.autoReply).optional(),
  helpMessage: boundedText(CAMPAIGN_LIMITS.autoReply).optional(),
  optInKeywords: keywordList.optional(),
  optOutKeywords: keywordList.optional(),
  helpKeywords: keywordList.optional(),
};
type CampaignField = keyof typeof campaignShape;

/** 002 opt_in_message/opt_in_keywords: each "is required if end users can text in a keyword to start receiving messages". */
const OPT_IN_FIELDS = ['optInMessage', 'optInKeywords'] as const;
/**
 * 002: "If you manage opt-out and help yourself, you must pass the opt-out and help parameters";
 * 000 5: "Customers managing their own opt-out will need to provide additional opt-out and help
 * information". With Twilio's default or advanced opt-out all four are left out.
 */
const SELF_MANAGED_OPT_OUT_FIELDS = [
  'optOutMessage',
  'optOutKeywords',
  'helpMessage',
  'helpKeywords',
] as const;

export function checkCampaignGroups(c: Record<string, unknown>, ctx: z.RefinementCtx) {
  const given = (f: CampaignField) => c[f] !== undefined;
  const [message, words] = OPT_IN_FIELDS;
  if (given(message) !== given(words)) {
    const missing = given(message) ? words : message;
    const other = missing === message ? words : message;
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `is required together with ${other} (the opt-in keywords and their auto-reply go together)`,
    });
  }
  const present = SELF_MANAGED_OPT_OUT_FIELDS.filter(given);
  if (present.length > 0 && present.length < SELF_MANAGED_OPT_OUT_FIELDS.length) {
    for (const missing of SELF_MANAGED_OPT_OUT_FIELDS.filter((f) => !given(f))) {
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message:
          `is required when you manage opt-out yourself (${present.join(', ')} given): give all of ` +
          `${SELF_MANAGED_OPT_OUT_FIELDS.join(', ')}, or none of them to use Twilio's default opt-out`,
      });
    }
  }
}

export const campaignInfoSchema = strictObject(campaignShape).superRefine(checkCampaignGroups, whenObject);

// ---------------------------------------------------------------------------------------------
// The request and the correction
// ---------------------------------------------------------------------------------------------

/** Service policy: the customer id goes into the workflow id, visible to operators; never PII. */
export const customerIdField = z
  .string({ error: typeError('text') })
  .regex(
    CUSTOMER_ID_PATTERN,
    'must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit',
  )
  .refine((v) => {
    const digits = v.replace(/[-._]/g, '');
    return !(/^\d+$/.test(digits) && digits.length >= 10 && digits.length <= 15);
  }, 'must be your own customer id, not a phone number (it is shown in the Temporal UI)');

export const registrationRequestSchema = strictObject({
  customerId: customerIdField,
  soleProprietor: soleProprietorInfoSchema,
  address: customerAddressSchema,
  campaign: campaignInfoSchema,
  // 000 4: "You do not need to complete this step if you have already created a Messaging Service for your customer."
  messagingServiceSid: sidField('messagingService').optional(),
  // 000 6: the one 10DLC number the Sole Proprietor campaign sends from
  phoneNumberSid: sidField('phoneNumber'),
  // 001: mock "If true, brand will be registered as a mock brand."
  mock: flag().optional(),
});

const correctionFieldCount = (c: Record<string, unknown>) =>
  ['soleProprietor', 'address', 'campaign']
    .map((k) => c[k])
    .filter(isRecord)
    .reduce((n, part) => n + Object.values(part).filter((v) => v !== undefined).length, 0) +
  (c.messagingServiceSid === undefined ? 0 : 1);

/**
 * Corrected data after Twilio rejected something: any subset of the three sub-objects' fields,
 * each checked by the same rule as in a request. Rules that span fields (postal code against
 * country, opt-out groups) are checked again on the merged request by `mergeCorrection`.
 */
export const registrationCorrectionSchema = strictObject({
  /** Another Messaging Service, when the one named holds another customer's number or campaign. */
  messagingServiceSid: sidField('messagingService').optional(),
  soleProprietor: strictObject(soleProprietorShape).partial().optional(),
  address: strictObject(addressShape).partial().superRefine(checkAddress, whenObject).optional(),
  campaign: strictObject(campaignShape).partial().optional(),
}).superRefine((c, ctx) => {
  if (correctionFieldCount(c) === 0)
    ctx.addIssue({
      code: 'custom',
      message: 'must change messagingServiceSid or at least one field of soleProprietor, address or campaign',
    });
});

export type SoleProprietorInfo = z.infer<typeof soleProprietorInfoSchema>;
export type CustomerAddress = z.infer<typeof customerAddressSchema>;
export type CampaignInfo = z.infer<typeof campaignInfoSchema>;
export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;
export type RegistrationCorrection = z.infer<typeof registrationCorrectionSchema>;

// ---------------------------------------------------------------------------------------------
// Parsing and merging
// ---------------------------------------------------------------------------------------------

export { type FieldIssue, formatIssues, type Parsed } from './issues';

/** The request's fields against their own rules (lengths, formats, groups), without the campaign review. */
function parseRequestFields(input: unknown): Parsed<RegistrationRequest> {
  return parseWith(registrationRequestSchema, input, '(request)');
}

const textOrUndefined = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The blocking findings of the campaign pre-vetting (campaign-review/), as field issues: a
 * campaign Twilio's documented rejection reasons say would fail is refused like a malformed one,
 * before a fee is paid. Run once the campaign's own fields are valid (a too-short sample is
 * reported as that, not reviewed); the brand and owner names come from the request as given.
 */
function blockingCampaignIssues(input: unknown): FieldIssue[] {
  if (!isRecord(input)) return [];
  const campaign = campaignInfoSchema.safeParse(input.campaign);
  if (!campaign.success) return [];
  const sp = isRecord(input.soleProprietor) ? input.soleProprietor : {};
  const context = soleProprietorContext({
    brandName: textOrUndefined(sp.brandName)?.trim(),
    firstName: textOrUndefined(sp.firstName)?.trim(),
    lastName: textOrUndefined(sp.lastName)?.trim(),
  });
  return findingsAsIssues(reviewCampaign(campaign.data, context).blocking);
}

/**
 * Validates a registration request: every field against the documented rules, and the campaign
 * against Twilio's documented rejection reasons (blocking findings only; warnings are the
 * caller's to show, see `reviewRegistrationCampaign`). All issues come at once.
 */
export function parseRegistrationRequest(input: unknown): Parsed<RegistrationRequest> {
  const parsed = parseRequestFields(input);
  const blocking = blockingCampaignIssues(input);
  if (blocking.length === 0) return parsed;
  return { ok: false, issues: [...(parsed.ok ? [] : parsed.issues), ...blocking] };
}

export function parseRegistrationCorrection(input: unknown): Parsed<RegistrationCorrection> {
  return parseWith(registrationCorrectionSchema, input, '(correction)');
}

/** Thrown by `applyCorrection` when the merged request breaks a rule; `issues` names each field. */
export class InvalidRegistrationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`The corrected request is invalid:\n${formatIssues(issues)}`);
    this.name = 'InvalidRegistrationError';
  }
}

const definedEntries = (part: object | undefined) =>
  Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined));

const merged = (request: RegistrationRequest, correction: RegistrationCorrection) => ({
  ...request,
  ...(correction.messagingServiceSid ? { messagingServiceSid: correction.messagingServiceSid } : {}),
  soleProprietor: { ...request.soleProprietor, ...definedEntries(correction.soleProprietor) },
  address: { ...request.address, ...definedEntries(correction.address) },
  campaign: { ...request.campaign, ...definedEntries(correction.campaign) },
});

/**
 * Merges a correction's given fields into the request and validates the result: the check to run
 * before accepting a correction (the workflow's update validator), since a correction can break a
 * rule that spans fields (a postal code that does not fit the country, half of the self-managed
 * opt-out fields) or leave a campaign that the pre-vetting blocks (samples that no longer name a
 * corrected brand name). Blocking campaign findings are refused like invalid fields.
 */
export function mergeCorrection(
  request: RegistrationRequest,
  correction: RegistrationCorrection,
): Parsed<RegistrationRequest> {
  return parseRegistrationRequest(merged(request, correction));
}

export { addressForTwilio } from './requests';

/**
 * Applies a correction that was accepted, throwing `InvalidRegistrationError` when the merged
 * fields break a rule. It re-checks the fields' own rules only, not the campaign review: workflows
 * call it while replaying corrections accepted under earlier review rules, and a correction once
 * accepted must apply the same way on every replay.
 */
export function applyCorrection(
  request: RegistrationRequest,
  correction: RegistrationCorrection,
): RegistrationRequest {
  const result = parseRequestFields(merged(request, correction));
  if (!result.ok) throw new InvalidRegistrationError(result.issues);
  return result.value;
}

// ---------------------------------------------------------------------------------------------
// Sample
// ---------------------------------------------------------------------------------------------

/**
 * A complete, valid request for a fictional sole proprietor: the demo's and the tests' sample. Its
 * campaign passes the pre-vetting without a warning (campaign-review/): samples name the business
 * and say how to opt out, the message flow says how SMS consent is given and links the terms and
 * privacy policy of the website where it happens.
 */
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
      'Customers opt in by ticking an unchecked SMS consent box at checkout on janedoepottery.example.com/checkout; terms at janedoepottery.example.com/terms, privacy policy at janedoepottery.example.com/privacy.',
    messageSamples: [
      'Jane Doe Pottery: your order [order id] is ready for pickup. Reply STOP to opt out.',
      'Jane Doe Pottery: reminder, your wheel-throwing class starts at [time] tomorrow. Reply HELP for help.',
    ],
    hasEmbeddedLinks: false,
    hasEmbeddedPhone: false,
  },
  phoneNumberSid: 'PN00000000000000000000000000000001',
};
