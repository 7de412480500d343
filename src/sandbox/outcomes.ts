import type { Address, Campaign, RegistrationError } from './state';

/**
 * Outcomes chosen by the data, like a payment provider's test card numbers. Ordinary data always
 * succeeds; the values below select each failure the reference documents describe. The table in
 * docs/sandbox.md lists them all.
 */

// ---- Emails (000 1.2: checked when the complete profile is submitted; reasons reach status_callback).
export const EMAIL_REASONS = {
  syntax: 'Email domain has an invalid address syntax.',
  unknownDomain: 'Unknown email domain.',
  disposable: 'Email is a suspected disposable address.',
  invalid: 'Email is invalid.',
} as const;

export const DISPOSABLE_DOMAINS = ['mailinator.com', 'yopmail.com', 'guerrillamail.com', '10minutemail.com'];

export function emailRejection(email: string): string | null {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? email.slice(at + 1).toLowerCase() : '';
  // 000 1.2: "Email domain should have correct syntax"
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(domain))
    return EMAIL_REASONS.syntax;
  // "Email domain is unknown": the reserved .invalid top-level domain never resolves.
  if (domain.endsWith('.invalid')) return EMAIL_REASONS.unknownDomain;
  // "Temporary email which can be disposable"
  if (DISPOSABLE_DOMAINS.includes(domain)) return EMAIL_REASONS.disposable;
  // "passed all above validations and still is invalid from sendgrid API"
  if (local.toLowerCase() === 'invalid') return EMAIL_REASONS.invalid;
  return null;
}

// ---- Addresses (000 1.4's table; the magic values are the table's own examples).
const SUGGESTION =
  'Address suggestion -> Street: 1 Jersey St. Secondary Street: Boston, MA 02215-4147. Locality: Boston. Region: MA. Postal Code: 02215-4147. Country: US';

export const ADDRESS_REASONS = {
  notFound: (sid: string) => `Address not found with sid ${sid}`,
  notUsCa: 'The provided address is not a valid US or Canada address',
  postalCode: `[address_sids] - Invalid Postal Code. ${SUGGESTION};`,
  street: `[address_sids] - Invalid Street. ${SUGGESTION}`,
  locality: `[address_sids] - Invalid Locality. ${SUGGESTION};`,
  region: `[address_sids] - Invalid Region. ${SUGGESTION};`,
  houseNumber: '[address_sids] - Invalid House Number',
} as const;

export function addressRejection(sid: string, address: Address | undefined): string | null {
  if (!address) return ADDRESS_REASONS.notFound(sid);
  const country = address.isoCountry.trim().toUpperCase();
  if (country !== 'US' && country !== 'CA') return ADDRESS_REASONS.notUsCa;
  if (/^0+$/.test(address.postalCode.replace(/[-\s]/g, ''))) return ADDRESS_REASONS.postalCode;
  if (/^10000\s/.test(address.street.trim())) return ADDRESS_REASONS.houseNumber;
  if (/\sStr\.?$/i.test(address.street.trim())) return ADDRESS_REASONS.street;
  if (address.city.trim().toLowerCase() === 'bostun') return ADDRESS_REASONS.locality;
  if (address.region.trim().toUpperCase() === 'MAA') return ADDRESS_REASONS.region;
  return null;
}

/** How TCR tells two addresses apart when counting reuse. */
export function addressKey(a: Address): string {
  return [a.street, a.streetSecondary ?? '', a.city, a.region, a.postalCode, a.isoCountry]
    .map((p) => p.trim().toLowerCase().replace(/\s+/g, ' '))
    .join('|');
}

// ---- Brands (000 3.1's failure reasons, the TCR reuse limits, suspension, the silent customer).
export const BRAND_REASONS = {
  a2pBundle:
    'Unable to fetch A2P Bundle Details, please check if the correct bundle sid was provided for registration and the bundle is compliant.',
  customerProfile:
    'Unable to fetch Customer Profile Bundle details, please check if the correct bundle sid was provided for registration and the bundle is compliant.',
  tcr: 'Unable to register Brand with The Campaign Registry',
} as const;

/** A brand name containing this goes to IN_REVIEW (001) before TCR decides it. */
export const MANUAL_REVIEW_MARKER = 'Manual Review';
/** A brand name containing this is refused by TCR. */
export const TCR_REJECT_MARKER = 'TCR Reject';
/** A brand name containing this is registered and then SUSPENDED. */
export const SUSPEND_MARKER = 'Suspend';
/** The customer behind this mobile number never answers the OTP, even with auto-reply on. */
export const SILENT_MOBILE = '+15005550009';

export function registrationError(code: number, description: string, fields: string[]): RegistrationError {
  return { error_code: code, description, url: `https://www.twilio.com/docs/api/errors/${code}`, fields };
}

// ---- The Standard path: secondary customer profiles, brands and their vetting, Authentication+.
/** A secondary customer profile with this business_registration_number is rejected by the review. */
export const PROFILE_REJECT_REGISTRATION_NUMBER = '00-0000000';
export const PROFILE_REJECT_REASON =
  'The Business Registration Number could not be verified for the Business Name.';

/** A STANDARD brand whose business_registration_number is this is not verified by TCR (30795). */
export const BRAND_UNVERIFIED_REGISTRATION_NUMBER = '11-1111111';

/**
 * Secondary vetting outcomes, chosen by the business_name of the secondary profile. The score
 * otherwise is {@link DEFAULT_VETTING_SCORE}. Feedback codes and error codes are the ones Twilio's
 * Event Streams examples carry (reference/twilio-events): TAX_ID with 30795, STOCK_SYMBOL with
 * 30796, GOVERNMENT_ENTITY with 30797.
 */
export const VETTING_FAIL_MARKER = 'Vetting Fail';
export const LOW_SCORE_MARKER = 'Low Score';
export const DEFAULT_VETTING_SCORE = 75;
export const LOW_VETTING_SCORE = 16;
/** The score TCR gives a brand that was not vetted (001's examples show 42). */
export const UNVETTED_BRAND_SCORE = 42;
/** The brand score below which a brand is offered only the low-volume use case (sandbox's choice). */
export const LOW_SCORE_THRESHOLD = 25;
export const FEEDBACK_ERRORS: Record<string, RegistrationError> = {
  TAX_ID: registrationError(30795, 'Brand Registration Feedback: The submitted US EIN is invalid.', [
    'business_registration_number',
    'business_registration_identifier',
    'business_name',
  ]),
  STOCK_SYMBOL: registrationError(
    30796,
    'Brand Registration Feedback: The submitted stock symbol and stock exchange could not be verified for the submitted legal company name.',
    ['stock_ticker', 'stock_exchange', 'business_name'],
  ),
  GOVERNMENT_ENTITY: registrationError(
    30797,
    'Brand Registration Feedback: The company’s submission as a Government Entity type could not be confirmed from independent sources',
    ['entity_type'],
  ),
};

/** Public companies whose ticker is one of these are on the Russell 3000 list (001 `russell_3000`). */
export const RUSSELL_3000_TICKERS = ['AAPL', 'MSFT', 'TWLO', 'R3K'];

/**
 * Authentication+ (public companies): the brand contact answers the 2FA email by itself after
 * {@link TWO_FA_AUTO_MS} real milliseconds when its local part is `2fa-auto`. Any other contact
 * waits for the control API (POST /sandbox/brands/:sid/2fa), or times out after 7 days.
 */
export const TWO_FA_AUTO_LOCAL = '2fa-auto';
export const TWO_FA_AUTO_MS = 50;
/** Authentication+ support article: "The email recipient will have 7 days to complete the 2FA". */
export const TWO_FA_VALIDITY_MS = 7 * 24 * 3600_000;

// ---- Numbers: a number whose last four digits are these fails its A2P registration (30126).
export const NUMBER_REGISTRATION_FAIL_SUFFIX = '0666';
export const NUMBER_REGISTRATION_FAILURE = 'https://www.twilio.com/docs/api/errors/30126';

// ---- Campaigns (002 / 000 5.1: FAILED with `errors`). The codes and titles are Twilio's error
// dictionary's (https://www.twilio.com/docs/api/errors/<code>), so tests see the real ones. A marker
// sits inside an otherwise compliant campaign: the service's pre-vetting passes it, and only this
// review rejects it, as Twilio would one the pre-vetting cannot judge.
export const CAMPAIGN_MARKERS: { marker: string; error: RegistrationError }[] = [
  {
    marker: '#fail-message-flow',
    error: registrationError(
      30909,
      'Campaign rejected: Message Flow or Call to Action incomplete/unverified',
      ['MESSAGE_FLOW'],
    ),
  },
  {
    marker: '#fail-opt-in',
    error: registrationError(30896, 'Campaign vetting rejection - Opt-in Error', [
      'MESSAGE_FLOW',
      'OPT_IN_MESSAGE',
    ]),
  },
  {
    marker: '#fail-samples',
    error: registrationError(
      30893,
      'Campaign vetting rejection - Inconsistency between Sample Message and Use-case',
      ['MESSAGE_SAMPLES'],
    ),
  },
];

export function campaignErrors(c: Campaign): RegistrationError[] {
  const text = [c.description, c.messageFlow, c.optInMessage, ...c.messageSamples].filter(Boolean).join('\n');
  return CAMPAIGN_MARKERS.filter((m) => text.includes(m.marker)).map((m) => m.error);
}

// ---- External campaigns (003).
/** A campaign shared with this id is rejected by Twilio's review (CAMPAIGN_SHARE_DELETE). */
export const SHARE_REJECT_CAMPAIGN_ID = 'CREJECT';
/** An association of this campaign is rejected by the secondary DCA (FAILED + CAMPAIGN_SHARE_DELETE). */
export const DCA_REJECT_CAMPAIGN_ID = 'CDCAREJ';
export const SHARE_REJECT_FEEDBACK =
  'Twilio review: the campaign description does not match the sample messages.';
export const DCA_REJECT_FEEDBACK = 'Secondary DCA review: opt-in evidence could not be verified.';
