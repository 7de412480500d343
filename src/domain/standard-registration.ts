import { z } from 'zod';
import { findingsAsIssues } from './campaign-review/review';
import { type FieldIssue, isRecord, type Parsed, parseWith, typeError, whenObject } from './issues';
import {
  addressShape,
  businessPhone,
  campaignShape,
  checkCampaignGroups,
  checkPostalCode,
  checkRegion,
  customerIdField,
  emailField,
  flag,
  optionalText,
  parseRegistrationRequest,
  type RegistrationRequest,
  personName,
  printable,
  requiredText,
  sidField,
  strictObject,
  text,
} from './registration';
import {
  isStandard,
  reviewStandardCampaign,
  standardAddressForTwilio,
  standardCampaignContext,
} from './requests';
import {
  BUSINESS_IDENTITIES,
  BUSINESS_INDUSTRIES,
  BUSINESS_REGIONS,
  BUSINESS_REGISTRATION_IDENTIFIERS,
  BUSINESS_TYPES,
  COMPANY_TYPES,
  EIN_PATTERN,
  JOB_POSITIONS,
  MAX_CAMPAIGNS_PER_STANDARD_BRAND,
  MAX_PHONE_NUMBERS_PER_STANDARD_CAMPAIGN,
  STANDARD_USECASES,
  STOCK_EXCHANGES,
  TEXT_LIMITS,
} from './rules';

/**
 * The registration request for a customer with a Standard or Low-Volume Standard brand: every
 * business with a tax id (every US LLC among them), every business outside the US and Canada,
 * non-profits, government agencies and public companies. Twilio's ISV guide for these brands:
 * a Secondary Customer Profile (business information, authorized representatives, address), an
 * A2P Messaging Profile trust product (company type, stock listing, brand contact email), a
 * STANDARD brand (Low-Volume Standard: with `skipAutomaticSecVet`), then up to five campaigns,
 * each on its own Messaging Service with its numbers.
 *
 * Imported by workflow code: zod and plain functions only.
 */

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** An https URL (Twilio reviews the page, so it must be reachable by the public web). */
const webUrl = () =>
  text()
    .max(2048, 'must be at most 2048 characters')
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
      } catch {
        return false;
      }
    }, 'must be a web address starting with https://, like https://example.com');

// ---------------------------------------------------------------------------------------------
// The business (Secondary Customer Profile, end-user customer_profile_business_information)
// ---------------------------------------------------------------------------------------------

const businessShape = {
  /** business_name: the legal name, as the registration authority lists it. */
  name: printable(requiredText(TEXT_LIMITS.brandName)),
  /** business_identity: "direct_customer, isv_reseller_or_partner, unknown". */
  identity: oneOf(BUSINESS_IDENTITIES),
  /** business_type. */
  type: oneOf(BUSINESS_TYPES),
  /** business_industry. */
  industry: oneOf(BUSINESS_INDUSTRIES),
  /** business_registration_identifier: "EIN (US), CBN (CA), CN (UK), ...". */
  registrationIdentifier: oneOf(BUSINESS_REGISTRATION_IDENTIFIERS),
  /** business_registration_number: the EIN, company number, VAT number... */
  registrationNumber: printable(requiredText(64)),
  /** business_regions_of_operation (one or more). */
  regionsOfOperation: z
    .array(oneOf(BUSINESS_REGIONS), { error: typeError('a list of regions') })
    .min(1, `must list at least one of ${BUSINESS_REGIONS.join(', ')}`),
  /** website_url: the business's public website, which Twilio and TCR review. */
  websiteUrl: webUrl(),
  /** social_media_profile_urls (optional). */
  socialMediaProfileUrls: z.array(webUrl(), { error: typeError('a list of web addresses') }).optional(),
};

export const businessInfoSchema = strictObject(businessShape).superRefine((b, ctx) => {
  // "EIN (US)": nine digits; TCR matches it against the IRS record of the legal name.
  if (b.registrationIdentifier === 'EIN' && !EIN_PATTERN.test(b.registrationNumber))
    ctx.addIssue({
      code: 'custom',
      path: ['registrationNumber'],
      message: 'must be a US EIN: nine digits, like 12-3456789 (registrationIdentifier is EIN)',
    });
}, whenObject);

// ---------------------------------------------------------------------------------------------
// Authorized representatives (end-users authorized_representative_1 and _2)
// ---------------------------------------------------------------------------------------------

export const authorizedRepresentativeSchema = strictObject({
  firstName: personName(TEXT_LIMITS.name),
  lastName: personName(TEXT_LIMITS.name),
  email: emailField(),
  phoneNumber: businessPhone(),
  /** business_title: the representative's title, free text ("Owner", "Head of Operations"). */
  businessTitle: printable(requiredText(TEXT_LIMITS.name)),
  /** job_position. */
  jobPosition: oneOf(JOB_POSITIONS),
});

// ---------------------------------------------------------------------------------------------
// The A2P Messaging Profile (end-user us_a2p_messaging_profile_information)
// ---------------------------------------------------------------------------------------------

const messagingProfileShape = {
  /** company_type: "private", "public", "non_profit", "government". */
  companyType: oneOf(COMPANY_TYPES),
  /** stock_exchange: for public companies only. */
  stockExchange: oneOf(STOCK_EXCHANGES).optional(),
  /** stock_ticker: for public companies only. */
  stockTicker: text()
    .toUpperCase()
    .regex(/^[A-Z0-9.-]{1,10}$/, 'must be a stock ticker symbol, like TWLO')
    .optional(),
  /**
   * brand_contact_email: where TCR writes about the brand; a public company's Authentication+
   * email (2FA) goes here and must be answered before the brand is verified.
   */
  brandContactEmail: emailField(),
};

export const messagingProfileSchema = strictObject(messagingProfileShape).superRefine((p, ctx) => {
  if (p.companyType === 'public') {
    if (p.stockExchange === undefined || p.stockExchange === 'NONE')
      ctx.addIssue({
        code: 'custom',
        path: ['stockExchange'],
        message: 'is required for a public company: the exchange its stock is listed on, like NASDAQ',
      });
    if (p.stockTicker === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['stockTicker'],
        message: 'is required for a public company: its ticker symbol, like TWLO',
      });
  } else {
    for (const field of ['stockExchange', 'stockTicker'] as const)
      if (p[field] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `is only for public companies (companyType is ${String(p.companyType)}); leave it out`,
        });
  }
}, whenObject);

// ---------------------------------------------------------------------------------------------
// The address (any country: Standard brands are not limited to the US and Canada)
// ---------------------------------------------------------------------------------------------

const standardAddressShape = {
  ...addressShape,
  customerName: printable(optionalText(TEXT_LIMITS.customerName)),
  isoCountry: text()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code, like US, GB or DE'),
};

export const standardAddressSchema = strictObject(standardAddressShape).superRefine((a, ctx) => {
  // The US and Canadian formats are known; other countries' are Twilio's to check.
  if (a.isoCountry === 'US' || a.isoCountry === 'CA') {
    checkPostalCode(a, ctx);
    checkRegion(a, ctx);
  }
}, whenObject);

// ---------------------------------------------------------------------------------------------
// Campaigns (002), up to five, each on its own Messaging Service
// ---------------------------------------------------------------------------------------------

const standardCampaignShape = {
  /** 002 us_app_to_person_usecase; checked against the brand's allowed use cases before it is paid for. */
  usecase: oneOf(STANDARD_USECASES),
  ...campaignShape,
  /** 002: "A boolean that specifies whether campaign has Subscriber Optin or not." */
  subscriberOptIn: flag().optional(),
  /** 002: age_gated. */
  ageGated: flag().optional(),
  /** 002: "A boolean that specifies whether campaign allows direct lending or not." */
  directLending: flag().optional(),
  /** 002 privacy_policy_url: the privacy policy of the site where consent is given. */
  privacyPolicyUrl: webUrl().optional(),
  /** 002 terms_and_conditions_url. */
  termsAndConditionsUrl: webUrl().optional(),
  /** A Messaging Service of the ISV's to use; otherwise one is created for this campaign. */
  messagingServiceSid: sidField('messagingService').optional(),
  /** The 10DLC numbers (PN…) this campaign sends from, added to its Messaging Service. */
  phoneNumberSids: z
    .array(sidField('phoneNumber'), { error: typeError('a list of phone number SIDs') })
    .min(1, 'must list at least one phone number SID (PN…)')
    .max(
      MAX_PHONE_NUMBERS_PER_STANDARD_CAMPAIGN,
      `must list at most ${MAX_PHONE_NUMBERS_PER_STANDARD_CAMPAIGN} numbers`,
    ),
};

export const standardCampaignSchema = strictObject(standardCampaignShape).superRefine(
  checkCampaignGroups,
  whenObject,
);

// ---------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------

export const STANDARD_BRAND_TYPES = ['STANDARD', 'LOW_VOLUME_STANDARD'] as const;
export type StandardBrandType = (typeof STANDARD_BRAND_TYPES)[number];

export const standardRegistrationRequestSchema = strictObject({
  customerId: customerIdField,
  /**
   * STANDARD: the brand goes through TCR's secondary vetting (paid) and gets a vetting score.
   * LOW_VOLUME_STANDARD: the same brand, registered with 001's `skipAutomaticSecVet` ("This is
   * only for registering a Low Volume Standard Brand, 527 political organization, ...").
   */
  brandType: oneOf(STANDARD_BRAND_TYPES),
  business: businessInfoSchema,
  authorizedRepresentatives: z
    .array(authorizedRepresentativeSchema, { error: typeError('a list of representatives') })
    .min(1, 'must name at least one authorized representative')
    .max(2, 'must name at most two authorized representatives'),
  messagingProfile: messagingProfileSchema,
  address: standardAddressSchema,
  campaigns: z
    .array(standardCampaignSchema, { error: typeError('a list of campaigns') })
    .min(1, 'must have at least one campaign')
    .max(
      MAX_CAMPAIGNS_PER_STANDARD_BRAND,
      `must have at most ${MAX_CAMPAIGNS_PER_STANDARD_BRAND} campaigns per brand`,
    ),
  /**
   * Register the customer in a Twilio subaccount of its own (created by the registration), as
   * Twilio recommends for ISVs: the customer's profile, brand, services, numbers and Event
   * Streams sink live there, its fees and traffic apart from other customers'.
   */
  subaccount: flag().optional(),
  // 001: mock "If true, brand will be registered as a mock brand."
  mock: flag().optional(),
}).superRefine((r, ctx) => {
  const campaigns = Array.isArray(r.campaigns) ? r.campaigns : [];
  const seen = new Map<string, string>();
  campaigns.forEach((c, i) => {
    if (!isRecord(c)) return;
    const service = c.messagingServiceSid;
    if (typeof service === 'string') {
      // A Messaging Service holds one campaign.
      const other = seen.get(service);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['campaigns', i, 'messagingServiceSid'],
          message: `is also ${other}'s: each campaign needs a Messaging Service of its own`,
        });
      else seen.set(service, `campaigns.${i}`);
    }
    const numbers = Array.isArray(c.phoneNumberSids) ? c.phoneNumberSids : [];
    numbers.forEach((n, j) => {
      if (typeof n !== 'string') return;
      const other = seen.get(n);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['campaigns', i, 'phoneNumberSids', j],
          message: `is also listed at ${other}: a number sends for one campaign`,
        });
      else seen.set(n, `campaigns.${i}.phoneNumberSids.${j}`);
    });
  });
  if (
    r.brandType === 'LOW_VOLUME_STANDARD' &&
    isRecord(r.messagingProfile) &&
    r.messagingProfile.companyType === 'public'
  )
    ctx.addIssue({
      code: 'custom',
      path: ['brandType'],
      message:
        'must be STANDARD for a public company: its brand is verified by secondary vetting and the Authentication+ email',
    });
}, whenObject);

export type BusinessInfo = z.infer<typeof businessInfoSchema>;
export type AuthorizedRepresentative = z.infer<typeof authorizedRepresentativeSchema>;
export type MessagingProfileInfo = z.infer<typeof messagingProfileSchema>;
export type StandardAddress = z.infer<typeof standardAddressSchema>;
export type StandardCampaign = z.infer<typeof standardCampaignSchema>;
export type StandardRegistrationRequest = z.infer<typeof standardRegistrationRequestSchema>;

/**
 * Validates a Standard request: every field against the documented rules, then each campaign
 * against Twilio's documented rejection reasons (blocking findings only), all issues at once.
 */
export function parseStandardRegistrationRequest(input: unknown): Parsed<StandardRegistrationRequest> {
  const parsed = parseWith(standardRegistrationRequestSchema, input, '(request)');
  if (!parsed.ok) return parsed;
  const blocking: FieldIssue[] = parsed.value.campaigns.flatMap((_, i) =>
    findingsAsIssues(reviewStandardCampaign(parsed.value, i).blocking, `campaigns.${i}`),
  );
  return blocking.length === 0 ? parsed : { ok: false, issues: blocking };
}

/** Either kind of registration request, told apart by `brandType` (absent: Sole Proprietor). */
export type AnyRegistrationRequest = RegistrationRequest | StandardRegistrationRequest;

export { isStandard, reviewStandardCampaign, standardAddressForTwilio, standardCampaignContext };

/**
 * Validates a request of either kind: one with a `brandType` of STANDARD or LOW_VOLUME_STANDARD
 * is a Standard request, one without (or with SOLE_PROPRIETOR) a Sole Proprietor request.
 */
export function parseAnyRegistrationRequest(input: unknown): Parsed<AnyRegistrationRequest> {
  if (isStandardRequest(input)) return parseStandardRegistrationRequest(input);
  if (isRecord(input) && input.brandType === 'SOLE_PROPRIETOR') {
    const { brandType: _, ...rest } = input;
    return parseRegistrationRequest(rest);
  }
  return parseRegistrationRequest(input);
}

/** Whether a request (validated or not) asks for a Standard or Low-Volume Standard brand. */
export function isStandardRequest(input: unknown): boolean {
  return isRecord(input) && input.brandType !== undefined && input.brandType !== 'SOLE_PROPRIETOR';
}

/**
 * A fictional US LLC with an EIN, one customer-care campaign on one number: the demo's and the
 * tests' Standard sample.
 */
export const SAMPLE_STANDARD_REQUEST: StandardRegistrationRequest = {
  customerId: 'demo-llc',
  brandType: 'STANDARD',
  business: {
    name: 'Acme Plumbing LLC',
    identity: 'direct_customer',
    type: 'Limited Liability Corporation',
    industry: 'CONSUMER',
    registrationIdentifier: 'EIN',
    registrationNumber: '12-3456789',
    regionsOfOperation: ['USA_AND_CANADA'],
    websiteUrl: 'https://acmeplumbing.example.com',
  },
  authorizedRepresentatives: [
    {
      firstName: 'Ada',
      lastName: 'Acme',
      email: 'ada@acmeplumbing.example.com',
      phoneNumber: '+14155550111',
      businessTitle: 'Owner',
      jobPosition: 'CEO',
    },
  ],
  messagingProfile: { companyType: 'private', brandContactEmail: 'ada@acmeplumbing.example.com' },
  address: {
    street: '10 Main St',
    city: 'Boston',
    region: 'MA',
    postalCode: '02110',
    isoCountry: 'US',
  },
  campaigns: [
    {
      usecase: 'CUSTOMER_CARE',
      description:
        'Appointment confirmations and service updates from Acme Plumbing to customers who booked a visit.',
      messageFlow:
        'Customers opt in by ticking an unchecked SMS consent box when booking at acmeplumbing.example.com/book; terms at acmeplumbing.example.com/terms, privacy policy at acmeplumbing.example.com/privacy.',
      messageSamples: [
        'Acme Plumbing: your visit is booked for [date] at [time]. Reply STOP to opt out.',
        'Acme Plumbing service update: your plumber [name] is on the way to your booked visit. Reply HELP for help.',
      ],
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      privacyPolicyUrl: 'https://acmeplumbing.example.com/privacy',
      termsAndConditionsUrl: 'https://acmeplumbing.example.com/terms',
      phoneNumberSids: ['PN00000000000000000000000000000002'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Corrections
// ---------------------------------------------------------------------------------------------

/**
 * Corrected data after Twilio rejected something in a Standard registration: any fields of the
 * business, the messaging profile and the address, the whole list of representatives, and any
 * fields of a campaign by its index (`campaigns: { "0": { messageFlow: "..." } }`). The merged
 * request is checked by the same rules as a new one.
 */
export const standardCorrectionSchema = strictObject({
  business: strictObject(businessShape).partial().optional(),
  authorizedRepresentatives: z.array(authorizedRepresentativeSchema).min(1).max(2).optional(),
  messagingProfile: strictObject(messagingProfileShape).partial().optional(),
  address: strictObject(standardAddressShape).partial().optional(),
  campaigns: z
    .record(
      z.string().regex(/^[0-4]$/, 'must be a campaign index, 0 to 4'),
      strictObject(standardCampaignShape).partial(),
    )
    .optional(),
}).superRefine((c, ctx) => {
  if (Object.values(c).every((v) => v === undefined))
    ctx.addIssue({
      code: 'custom',
      message:
        'must change at least one of business, authorizedRepresentatives, messagingProfile, address or campaigns',
    });
}, whenObject);

export type StandardCorrection = z.infer<typeof standardCorrectionSchema>;

const definedOf = (part: object | undefined) =>
  Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined));

function mergedStandard(request: StandardRegistrationRequest, c: StandardCorrection): unknown {
  return {
    ...request,
    business: { ...request.business, ...definedOf(c.business) },
    authorizedRepresentatives: c.authorizedRepresentatives ?? request.authorizedRepresentatives,
    messagingProfile: { ...request.messagingProfile, ...definedOf(c.messagingProfile) },
    address: { ...request.address, ...definedOf(c.address) },
    campaigns: request.campaigns.map((campaign, i) => ({
      ...campaign,
      ...definedOf(c.campaigns?.[String(i)]),
    })),
  };
}

export function parseStandardCorrection(input: unknown): Parsed<StandardCorrection> {
  return parseWith(standardCorrectionSchema, input, '(correction)');
}

/** The request with a correction applied, validated (fields and pre-vetting) as a new request is. */
export function mergeStandardCorrection(
  request: StandardRegistrationRequest,
  correction: StandardCorrection,
): Parsed<StandardRegistrationRequest> {
  const index = Object.keys(correction.campaigns ?? {}).find((k) => Number(k) >= request.campaigns.length);
  if (index !== undefined)
    return {
      ok: false,
      issues: [
        {
          path: `campaigns.${index}`,
          message: `names no campaign: the request has ${request.campaigns.length}`,
        },
      ],
    };
  return parseStandardRegistrationRequest(mergedStandard(request, correction));
}

/**
 * Applies an accepted correction. Like `applyCorrection`, it re-checks the fields' own rules only,
 * so a correction once accepted applies the same way on every replay.
 */
export function applyStandardCorrection(
  request: StandardRegistrationRequest,
  correction: StandardCorrection,
): StandardRegistrationRequest {
  const result = parseWith(
    standardRegistrationRequestSchema,
    mergedStandard(request, correction),
    '(request)',
  );
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return result.value;
}
