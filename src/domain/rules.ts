/**
 * Twilio and TCR rules as named constants. Each one quotes the reference document it comes from
 * (000–004 in /shared/reference/twilio-docs, see its README) or says plainly that it is a service
 * policy of ours rather than a documented rule.
 *
 * Imported by workflow code: plain values only, no Node built-ins, no I/O, no clock.
 */
// ---------------------------------------------------------------------------------------------
// Trust Hub policies and object types
// ---------------------------------------------------------------------------------------------

/** 000 1.1: "The SID for the Starter Customer Profile Policy is RN806dd6cd175f314e1f96a9727ee271f4." (also 004 step 1) */
export const STARTER_CUSTOMER_PROFILE_POLICY_SID = 'RN806dd6cd175f314e1f96a9727ee271f4';
/** 000 2.2: policy_sid "The static A2P Messaging TrustHub Policy identifier. The hard-coded value is RN670d5d2e282a6130ae063b234b6019c8." */
export const SOLE_PROPRIETOR_TRUST_POLICY_SID = 'RN670d5d2e282a6130ae063b234b6019c8';
/** Reference README (Twilio's public docs, not in 000–004): Standard / Low-Volume Standard Secondary Customer Profile policy. */
export const SECONDARY_CUSTOMER_PROFILE_POLICY_SID = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
/** Reference README (Twilio's public docs, not in 000–004): A2P Messaging Profile trust product policy. */
export const A2P_MESSAGING_PROFILE_POLICY_SID = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';

/** 000 1.3: type "will always be starter_customer_profile_information for Starter Profiles". */
export const STARTER_PROFILE_END_USER_TYPE = 'starter_customer_profile_information';
/** 000 2.3: type "The string sole_proprietor_information". */
export const SOLE_PROPRIETOR_END_USER_TYPE = 'sole_proprietor_information';
/** 000 1.5: type "The string customer_profile_address". */
export const ADDRESS_DOCUMENT_TYPE = 'customer_profile_address';

/** 000 3 / 001: brandType "One of: "STANDARD", "SOLE_PROPRIETOR"". */
export const SOLE_PROPRIETOR_BRAND_TYPE = 'SOLE_PROPRIETOR';
/** 000 5: us_app_to_person_usecase "SOLE_PROPRIETOR (there is only one valid use case for a Sole Proprietor Brand)". */
export const SOLE_PROPRIETOR_USECASE = 'SOLE_PROPRIETOR';
/** 000 steps 3–4: "each Sole Proprietor Brand can only have one Campaign". */
export const MAX_CAMPAIGNS_PER_SOLE_PROPRIETOR_BRAND = 1;
/** 000 6 / 003: "Sole Proprietor Campaigns can only have one 10DLC phone number attached to them." */
export const MAX_PHONE_NUMBERS_PER_SOLE_PROPRIETOR_CAMPAIGN = 1;
/**
 * Twilio (error 60724): "Twilio supports up to three self-service brand updates or resubmissions
 * before you need Support assistance"; a further update fails with 21724 "Maximum number of brand
 * update requests reached on this brand".
 */
export const MAX_BRAND_RESUBMISSIONS = 3;

// ---------------------------------------------------------------------------------------------
// Delays and rate limits
// ---------------------------------------------------------------------------------------------

/**
 * 000 (warning after the step list): "after submitting the complete Business Profile bundle in Step
 * 1.8, you wait 30 seconds ... after the Trust Bundle is submitted in Step 2.6 you wait another 30
 * seconds ... after Brand submission in Step 3 you wait 30 seconds".
 */
export const SETTLE_DELAY_MS = 30_000;

/** 000 5.2: "implement at least a 5-second delay between removing the existing Campaign and creating a new one on the same Messaging Service". */
export const CAMPAIGN_RECREATE_DELAY_MS = 5_000;
/** 003: "implement a five second delay between removing a Campaign and creating a new association with the same Campaign or the same Messaging Service". */
export const EXTERNAL_ASSOCIATION_DELETE_DELAY_MS = 5_000;
/** 003: ExternalCampaign create "Rate limit: One request per five seconds." (per account). */
export const EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS = 5_000;
/** 000 3.2: the brand OTP retry endpoint "has a rate limit of 10 requests per second per account". */
export const OTP_RETRY_REQUESTS_PER_SECOND = 10;

/** 000 3.1 / 3.2: "The OTP is valid for 24 hours." (after which a fresh OTP must be triggered). */
export const OTP_VALIDITY_MS = 24 * 60 * 60_000;
/**
 * 000 2.3: "the OTP verification must be completed within 30 days of Brand registration."
 * 000 3.1 adds that TCR "may begin to enforce a 30-day limit", after which the brand is EXPIRED.
 */
export const OTP_COMPLETION_DEADLINE_MS = 30 * 24 * 60 * 60_000;
/** 000 3.1: the OTP arrives "from +1(915)-278-2000". */
export const OTP_SENDER_NUMBER = '+19152782000';
/** 000 3.1: "The owner of the mobile number must reply "YES" back to the OTP message". */
export const OTP_CONFIRMATION_REPLY = 'YES';

// ---------------------------------------------------------------------------------------------
// TCR limits (000, the customer-information table; counted across all providers)
// ---------------------------------------------------------------------------------------------

/** 000: "This mobile number can only be used a maximum of three times across all A2P Brand registrations with TCR." */
export const MAX_BRANDS_PER_MOBILE_NUMBER = 3;
/** 000: "This email address can only be used a maximum of 10 times across all A2P Brand registrations with TCR." */
export const MAX_BRANDS_PER_EMAIL = 10;
/** 000: "This address can only be used a maximum of 10 times across all A2P Brand registrations with TCR." */
export const MAX_BRANDS_PER_ADDRESS = 10;

/** Reference README (Twilio pricing, not in 000–004): approximate fees, why a duplicate create is a bug. */
export const FEES_USD = { brandRegistration: 4, secondaryVetting: 40, campaignVetting: 15 } as const;
/** The same by the fee kinds a registration records; a brand resubmission is billed like a registration. */
export const FEE_USD = {
  'brand-registration': FEES_USD.brandRegistration,
  'brand-resubmission': FEES_USD.brandRegistration,
  'secondary-vetting': FEES_USD.secondaryVetting,
  // Twilio's Authentication+ support article: "TCR charges a $12.50 fee each time a brand completes
  // the new Authentication Plus step" (public, for-profit brands only).
  'authentication-plus': 12.5,
  'campaign-vetting': FEES_USD.campaignVetting,
} as const;

// ---------------------------------------------------------------------------------------------
// Campaign field lengths (002 UsAppToPerson create parameters; 000 section 5 says the same)
// ---------------------------------------------------------------------------------------------

export const CAMPAIGN_LIMITS = {
  /** 002: description "Min length: 40 characters. Max length: 4096 characters." */
  description: { min: 40, max: 4096 },
  /** 002: message_flow "40 character minimum. 2048 character maximum." */
  messageFlow: { min: 40, max: 2048 },
  /** 002: message_samples "min two and max five" */
  samples: { min: 2, max: 5 },
  /** 002: "Min length for each sample: 20 chars. Max length for each sample: 1024 chars." */
  sample: { min: 20, max: 1024 },
  /** 002: opt_in_message, opt_out_message, help_message "20 character minimum. 320 character maximum." */
  autoReply: { min: 20, max: 320 },
  /**
   * 002: *_keywords "Values must be alphanumeric. 255 character maximum." The maximum is applied to
   * the keywords joined with commas (how TCR stores the list), which also bounds each keyword.
   */
  keywords: { max: 255 },
} as const;
/** 002: keyword "Values must be alphanumeric." */
export const KEYWORD_PATTERN = /^[A-Za-z0-9]+$/;

// ---------------------------------------------------------------------------------------------
// Customer data
// ---------------------------------------------------------------------------------------------

/**
 * 000 2.3: "The optional vertical field describes the customer's business. It can be one of the
 * following values" (the same list as the vertical / business_industry of customer profiles).
 */
export const VERTICALS = [
  'AGRICULTURE',
  'COMMUNICATION',
  'CONSTRUCTION',
  'EDUCATION',
  'ENERGY',
  'ENTERTAINMENT',
  'FINANCIAL',
  'GAMBLING',
  'GOVERNMENT',
  'HEALTHCARE',
  'HOSPITALITY',
  'HUMAN_RESOURCES',
  'INSURANCE',
  'LEGAL',
  'MANUFACTURING',
  'NGO',
  'POLITICAL',
  'POSTAL',
  'PROFESSIONAL',
  'REAL_ESTATE',
  'RETAIL',
  'TECHNOLOGY',
  'TRANSPORTATION',
] as const;
export type Vertical = (typeof VERTICALS)[number];

/** 000 1.4: "you can only use a valid US or Canadian address if you are creating a Sole Proprietor registration." */
export const SOLE_PROPRIETOR_COUNTRIES = ['US', 'CA'] as const;
export type SoleProprietorCountry = (typeof SOLE_PROPRIETOR_COUNTRIES)[number];

/** US ZIP or ZIP+4 (000 1.4 examples: "94016", "02215-4147"). */
export const US_ZIP_PATTERN = /^\d{5}(?:-\d{4})?$/;
/** Canadian postal code "A1A 1A1" (Canada Post: no D, F, I, O, Q, U; no W or Z first), space optional. */
export const CA_POSTAL_CODE_PATTERN = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i;

/** E.164: "+", then at most 15 digits, the first not 0 (000: "a well-formatted number"). */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
/**
 * 000 2.3: the mobile number "must be a valid US or Canadian mobile number". Both are NANP: +1, then
 * an area code and an exchange that each start with 2–9.
 */
export const NANP_PATTERN = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
/**
 * 000 1.2: the email must have "correct syntax" for its domain ("Email domain has an invalid
 * address syntax."): a local part, then dot-separated labels of letters, digits and inner hyphens,
 * ending in an alphabetic TLD. Whether the domain exists or is disposable is checked by Twilio.
 */
export const EMAIL_PATTERN =
  /^[^\s@]{1,64}@(?=[^\s@]{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/**
 * Service policy (not a Twilio rule): the ISV's own customer id goes into the workflow id
 * `a2p-registration-<customerId>`, so it is a short token of letters, digits, "_", "." and "-".
 */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Service policy: upper bounds for free-text customer fields that 000–004 give no length for.
 * Generous, so real data passes, but a pasted document cannot reach Twilio. The email bound is
 * RFC 5321's 254.
 */
export const TEXT_LIMITS = {
  name: 100,
  email: 254,
  brandName: 255,
  street: 255,
  city: 100,
  region: 100,
  customerName: 255,
  /** Twilio's Messaging Service friendly_name "can be up to 64 characters" (Twilio public docs). */
  messagingServiceFriendlyName: 64,
} as const;

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** 000 1.8 / 2.6 and 004: customer profile and trust bundle status values. */
export const BUNDLE_STATUSES = [
  'draft',
  'pending-review',
  'in-review',
  'twilio-rejected',
  'twilio-approved',
] as const;
export type BundleStatus = (typeof BUNDLE_STATUSES)[number];

/**
 * 001: brand status "One of "PENDING", "APPROVED", "FAILED", "IN_REVIEW", "DELETION_PENDING",
 * "DELETION_FAILED", "SUSPENDED"". (000 3.1 warns TCR may later mark unverified brands EXPIRED;
 * treat any value not listed here as unknown.)
 */
export const BRAND_STATUSES = [
  'PENDING',
  'APPROVED',
  'FAILED',
  'IN_REVIEW',
  'DELETION_PENDING',
  'DELETION_FAILED',
  'SUSPENDED',
] as const;
export type BrandStatus = (typeof BRAND_STATUSES)[number];

/** 001: identityStatus "SELF_DECLARED UNVERIFIED VERIFIED VETTED_VERIFIED" (000 3.1: a Sole Proprietor brand is UNVERIFIED or VERIFIED). */
export const IDENTITY_STATUSES = ['SELF_DECLARED', 'UNVERIFIED', 'VERIFIED', 'VETTED_VERIFIED'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/** 002: campaign_status PENDING, IN_PROGRESS, FAILED, VERIFIED; 000 5.1: "In certain rare cases the status will instead be SUSPENDED." */
export const CAMPAIGN_STATUSES = ['PENDING', 'IN_PROGRESS', 'VERIFIED', 'FAILED', 'SUSPENDED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/**
 * Statuses that end a campaign's review: VERIFIED and FAILED (002), SUSPENDED (000 5.1), and
 * EXPIRED, which Event Streams can report for a campaign that lapsed.
 */
export const CAMPAIGN_REVIEW_OVER: readonly string[] = ['VERIFIED', 'FAILED', 'SUSPENDED', 'EXPIRED'];

const member =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);
export const isBundleStatus = member(BUNDLE_STATUSES);
export const isBrandStatus = member(BRAND_STATUSES);
export const isIdentityStatus = member(IDENTITY_STATUSES);
export const isCampaignStatus = member(CAMPAIGN_STATUSES);

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

/** 001/002/004: every SID is its two-letter prefix and 32 hex digits, e.g. "^BU[0-9a-fA-F]{32}$", "Min length: 34". */
const sid = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
export const SID_PATTERNS = {
  account: sid('AC'),
  bundle: sid('BU'),
  endUser: sid('IT'),
  supportingDocument: sid('RD'),
  address: sid('AD'),
  phoneNumber: sid('PN'),
  messagingService: sid('MG'),
  brand: sid('BN'),
  campaign: sid('QE'),
  policy: sid('RN'),
} as const;
export type SidKind = keyof typeof SID_PATTERNS;
export const isSid = (kind: SidKind, value: unknown): value is string =>
  typeof value === 'string' && SID_PATTERNS[kind].test(value);

/** 003: campaignId "is a seven character alphanumeric string that starts with C" (e.g. CRMTK1Z). */
export const TCR_CAMPAIGN_ID_LENGTH = 7;
export const TCR_CAMPAIGN_ID_PATTERN = /^C[A-Z0-9]{6}$/;

// ---------------------------------------------------------------------------------------------
// Standard and Low-Volume Standard brands (Twilio's ISV guide for them, "API: Create a Secondary
// Customer Profile"; facts listed in the reference README)
// ---------------------------------------------------------------------------------------------

/** Secondary Customer Profile end-user: the business's registration data. */
export const BUSINESS_INFORMATION_END_USER_TYPE = 'customer_profile_business_information';
/** Secondary Customer Profile end-users: the people Twilio may contact about the business. */
export const AUTHORIZED_REPRESENTATIVE_END_USER_TYPES = [
  'authorized_representative_1',
  'authorized_representative_2',
] as const;
/** A2P Messaging Profile trust product end-user: company type, stock listing, brand contact email. */
export const MESSAGING_PROFILE_END_USER_TYPE = 'us_a2p_messaging_profile_information';
/** 001: brandType "STANDARD is for all other campaign use cases." */
export const STANDARD_BRAND_TYPE = 'STANDARD';

/** Secondary profile "Business Identity": "direct_customer, isv_reseller_or_partner, unknown". */
export const BUSINESS_IDENTITIES = ['direct_customer', 'isv_reseller_or_partner', 'unknown'] as const;
/**
 * Secondary profile "Business Type": "Sole Proprietorship, Partnership, Limited Liability
 * Corporation, Co-operative, Non-profit Corporation, Corporation".
 */
export const BUSINESS_TYPES = [
  'Sole Proprietorship',
  'Partnership',
  'Limited Liability Corporation',
  'Co-operative',
  'Non-profit Corporation',
  'Corporation',
] as const;
/** Secondary profile "Business Industry": its accepted values. */
export const BUSINESS_INDUSTRIES = [
  'AGRICULTURE',
  'AUTOMOTIVE',
  'BANKING',
  'CONSUMER',
  'EDUCATION',
  'ELECTRONICS',
  'ENERGY',
  'ENGINEERING',
  'FAST_MOVING_CONSUMER_GOODS',
  'FINANCIAL',
  'FINTECH',
  'FOOD_AND_BEVERAGE',
  'GOVERNMENT',
  'HEALTHCARE',
  'HOSPITALITY',
  'INSURANCE',
  'JEWELRY',
  'LEGAL',
  'MANUFACTURING',
  'MEDIA',
  'NOT_FOR_PROFIT',
  'OIL_AND_GAS',
  'ONLINE',
  'RAW_MATERIALS',
  'REAL_ESTATE',
  'RELIGION',
  'RETAIL',
  'TECHNOLOGY',
  'TELECOMMUNICATIONS',
  'TRANSPORTATION',
  'TRAVEL',
] as const;
/**
 * Secondary profile "Business Registration ID Type": "EIN (US), CBN (CA), CN (UK), ACN (AU), CIN
 * (IN), VAT (EU), VATRN (RO), RN (IS), Other".
 */
export const BUSINESS_REGISTRATION_IDENTIFIERS = [
  'EIN',
  'CBN',
  'CN',
  'ACN',
  'CIN',
  'VAT',
  'VATRN',
  'RN',
  'Other',
] as const;
/** Secondary profile "Business Regions of Operation" (one or more). */
export const BUSINESS_REGIONS = ['AFRICA', 'ASIA', 'EUROPE', 'LATIN_AMERICA', 'USA_AND_CANADA'] as const;
/** Authorized representative "Job Position". */
export const JOB_POSITIONS = ['Director', 'GM', 'VP', 'CEO', 'CFO', 'General Counsel', 'Other'] as const;
/** A2P Messaging Profile company_type: "private", "public", "non_profit", "government". */
export const COMPANY_TYPES = ['private', 'public', 'non_profit', 'government'] as const;
/** A2P Messaging Profile stock_exchange values (public companies only). */
export const STOCK_EXCHANGES = [
  'NONE',
  'NASDAQ',
  'NYSE',
  'AMEX',
  'AMX',
  'ASX',
  'B3',
  'BME',
  'BSE',
  'FRA',
  'ICEX',
  'JPX',
  'JSE',
  'KRX',
  'LON',
  'NSE',
  'OMX',
  'SEHK',
  'SSE',
  'STO',
  'SWX',
  'SZSE',
  'TSX',
  'TWSE',
  'VSE',
  'OTHER',
] as const;
/** A US EIN: nine digits, written 12-3456789 or 123456789. */
export const EIN_PATTERN = /^\d{2}-?\d{7}$/;

/** The Standard campaign use cases (002 us_app_to_person_usecase; the Usecases resource lists a brand's). */
export const STANDARD_USECASES = [
  '2FA',
  'ACCOUNT_NOTIFICATION',
  'CUSTOMER_CARE',
  'CHARITY',
  'DELIVERY_NOTIFICATION',
  'FRAUD_ALERT',
  'HIGHER_EDUCATION',
  'LOW_VOLUME',
  'MARKETING',
  'MIXED',
  'POLLING_VOTING',
  'PUBLIC_SERVICE_ANNOUNCEMENT',
  'SECURITY_ALERT',
  'AGENTS_FRANCHISES',
  'CARRIER_EXEMPT',
  'EMERGENCY',
  'K12_EDUCATION',
  'POLITICAL',
  'PROXY',
  'SOCIAL',
  'SWEEPSTAKE',
  'UCAAS_HIGH',
  'UCAAS_LOW',
] as const;
/**
 * Service policy: one registration submits at most five campaigns for its brand, each on a
 * Messaging Service of its own (a Messaging Service holds one campaign). TCR's own limit is far
 * higher (Twilio error 30930: "Brand campaign limit of 100 reached"); a customer with more use
 * cases registers them in a later request.
 */
export const MAX_CAMPAIGNS_PER_STANDARD_BRAND = 5;
/** Service policy: the numbers one Standard registration may add per campaign's service. */
export const MAX_PHONE_NUMBERS_PER_STANDARD_CAMPAIGN = 400;
