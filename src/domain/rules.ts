/**
 * Twilio and TCR rules as named constants. Each cites the reference document it comes from
 * (000–004 in the project's reference set) or says where it does not.
 */

// ---- Trust Hub policies and object types.
/** 000 step 1: "a Trust Hub policy with the identifier RN806dd6cd175f314e1f96a9727ee271f4" (Starter Profile). */
export const STARTER_CUSTOMER_PROFILE_POLICY_SID = 'RN806dd6cd175f314e1f96a9727ee271f4';
/** 000 step 2.1: the Sole Proprietor A2P Trust policy. */
export const SOLE_PROPRIETOR_TRUST_POLICY_SID = 'RN670d5d2e282a6130ae063b234b6019c8';
/** Standard / Low-Volume Standard ISV path: Secondary Customer Profile policy (reference README). */
export const SECONDARY_CUSTOMER_PROFILE_POLICY_SID = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
/** Standard / Low-Volume Standard ISV path: A2P Messaging Profile trust product policy (reference README). */
export const A2P_MESSAGING_PROFILE_POLICY_SID = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';

/** 000 1.3: the starter profile's end-user type. */
export const STARTER_PROFILE_END_USER_TYPE = 'starter_customer_profile_information';
/** 000 2.3: the trust bundle's end-user type. */
export const SOLE_PROPRIETOR_END_USER_TYPE = 'sole_proprietor_information';
/** 000 1.5: the address supporting document type. */
export const ADDRESS_DOCUMENT_TYPE = 'customer_profile_address';

// ---- Delays.
/** 000: wait 30 seconds after submitting the profile (1.8), the trust bundle (2.6) and the brand (3). */
export const SETTLE_DELAY_MS = 30_000;
/**
 * 000 5.2 / 003: deletion "takes a few seconds to finalize ... implement a five second delay
 * between removing a Campaign and creating a new association with the same Campaign or the same
 * Messaging Service". Applied before recreating a campaign on the same service too.
 */
export const CAMPAIGN_RECREATE_DELAY_MS = 5_000;
export const EXTERNAL_ASSOCIATION_DELETE_DELAY_MS = 5_000;
/** 000 3.1: "The OTP is valid for 24 hours." */
export const OTP_VALIDITY_MS = 24 * 60 * 60_000;
/** 000 2.3: "the OTP verification must be completed within 30 days of Brand registration." */
export const OTP_COMPLETION_DEADLINE_MS = 30 * 24 * 60 * 60_000;

// ---- TCR limits (000, the customer-information table).
/** A mobile number can verify at most 3 Sole Proprietor brands, across all providers. */
export const MAX_BRANDS_PER_MOBILE_NUMBER = 3;
/** An email can be used at most 10 times across all A2P brand registrations. */
export const MAX_BRANDS_PER_EMAIL = 10;
/** An address can be used at most 10 times across all A2P brand registrations. */
export const MAX_BRANDS_PER_ADDRESS = 10;

// ---- Campaign field lengths (002, UsAppToPerson create parameters).
export const CAMPAIGN_LIMITS = {
  /** "Min length: 40 characters. Max length: 4096 characters." */
  description: { min: 40, max: 4096 },
  /** "40 character minimum. 2048 character maximum." */
  messageFlow: { min: 40, max: 2048 },
  /** "min two and max five" samples */
  samples: { min: 2, max: 5 },
  /** "Min length for each sample: 20 chars. Max length for each sample: 1024 chars." */
  sample: { min: 20, max: 1024 },
  /** opt-in, opt-out and help messages: "20 character minimum. 320 character maximum." */
  autoReply: { min: 20, max: 320 },
  /** keywords: "Values must be alphanumeric. 255 character maximum." */
  keywords: { max: 255 },
} as const;

/** 000 2.3: the values the optional `vertical` of a sole proprietor may take. */
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

// ---- Statuses.
/** 004: customer profile / trust product statuses. */
export const BUNDLE_STATUSES = [
  'draft',
  'pending-review',
  'in-review',
  'twilio-rejected',
  'twilio-approved',
] as const;
/** 001: brand registration statuses. */
export const BRAND_STATUSES = ['PENDING', 'APPROVED', 'FAILED', 'IN_REVIEW', 'DELETED', 'SUSPENDED'] as const;
/** 001: identity statuses. */
export const IDENTITY_STATUSES = ['SELF_DECLARED', 'UNVERIFIED', 'VERIFIED', 'VETTED_VERIFIED'] as const;
/** 002: campaign statuses. */
export const CAMPAIGN_STATUSES = ['PENDING', 'IN_PROGRESS', 'VERIFIED', 'FAILED'] as const;

// ---- SID formats: two-letter prefix and 32 lowercase hex digits.
const sid = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);
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

/** 003: a TCR campaign id "is a seven character alphanumeric string that starts with C". */
export const TCR_CAMPAIGN_ID_PATTERN = /^C[A-Z0-9]{6}$/;
