import { assignmentsOf, PRIMARY_PROFILE_POLICY_SID, type Bundle, type StateData } from './state';

/** Trust Hub policies the sandbox knows, with the requirements their evaluations check. */

export const STARTER_PROFILE_POLICY = 'RN806dd6cd175f314e1f96a9727ee271f4';
export const SOLE_PROPRIETOR_POLICY = 'RN670d5d2e282a6130ae063b234b6019c8';
export const SECONDARY_PROFILE_POLICY = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
export const A2P_MESSAGING_PROFILE_POLICY = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';

interface FieldSpec {
  field: string;
  friendly: string;
  optional?: boolean;
  /** The values the policy accepts, when it documents a closed list. */
  accepted?: readonly string[];
}

/** A rule across an end-user's fields: returns the fields it finds invalid, with why. */
type CrossCheck = (attributes: Record<string, unknown>) => { field: string; friendly: string; why: string }[];

interface EndUserRequirement {
  kind: 'end_user';
  requirementName: string;
  requirementFriendly: string;
  type: string;
  name: string;
  fields: FieldSpec[];
  crossCheck?: CrossCheck;
  /** An end-user the bundle may carry (a second authorized representative). */
  optional?: boolean;
}

interface DocumentRequirement {
  kind: 'supporting_document';
  requirementName: string;
  requirementFriendly: string;
  name: string;
  description: string;
  acceptedTypes: { type: string; name: string }[];
}

interface ProfileRequirement {
  kind: 'supporting_customer_profiles';
  requirementName: string;
  requirementFriendly: string;
  /** Policies a supporting profile may have, with the `type` the policy document shows. */
  accepted: { type: string; name: string; policySids: string[] }[];
}

type Requirement = EndUserRequirement | DocumentRequirement | ProfileRequirement;

export interface PolicyDefinition {
  sid: string;
  friendlyName: string;
  requirements: Requirement[];
}

// "API: Create a Secondary Customer Profile", business registration data, accepted values.
export const BUSINESS_IDENTITIES = ['direct_customer', 'isv_reseller_or_partner', 'unknown'] as const;
export const BUSINESS_TYPES = [
  'Sole Proprietorship',
  'Partnership',
  'Limited Liability Corporation',
  'Co-operative',
  'Non-profit Corporation',
  'Corporation',
] as const;
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
/** "Business Registration ID Type: EIN (US), CBN (CA), CN (UK), ACN (AU), CIN (IN), VAT (EU), VATRN (RO), RN (IS), Other" */
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
/** The A2P Messaging Profile's company types (ISV guide for Standard and Low-Volume Standard brands). */
export const COMPANY_TYPES = ['private', 'public', 'non_profit', 'government'] as const;

/**
 * ISV guide, A2P Messaging Profile end-user: stock_exchange and stock_ticker are required when
 * company_type is public and are not accepted for any other company type.
 */
const stockFields: CrossCheck = (a) => {
  const bad: { field: string; friendly: string; why: string }[] = [];
  const fields = [
    ['stock_exchange', 'Stock Exchange'],
    ['stock_ticker', 'Stock Ticker'],
  ] as const;
  for (const [field, friendly] of fields) {
    if (a.company_type === 'public' && !present(a[field]))
      bad.push({ field, friendly, why: `The ${friendly} is required for a public company.` });
    if (a.company_type !== 'public' && present(a[field]))
      bad.push({ field, friendly, why: `The ${friendly} is only accepted for a public company.` });
  }
  return bad;
};

const addressDocument: DocumentRequirement = {
  kind: 'supporting_document',
  requirementName: 'customer_profile_address',
  requirementFriendly: 'Customer Profile Address',
  name: 'Customer Profile Address',
  description: 'Customer Profile Address',
  acceptedTypes: [
    { type: 'customer_profile_address', name: 'Legal Company Address' },
    { type: 'starter_customer_profile_address', name: 'Legal Company Address' },
  ],
};

const primaryProfile: ProfileRequirement = {
  kind: 'supporting_customer_profiles',
  requirementName: 'primary_customer_profile',
  requirementFriendly: 'Primary Customer Profile',
  accepted: [
    {
      type: 'primary_customer_profile_type_business',
      name: 'Primary Customer Profile Bundle',
      policySids: [PRIMARY_PROFILE_POLICY_SID],
    },
  ],
};

/**
 * "API: Create a Secondary Customer Profile": an authorized representative (first_name, last_name,
 * email, phone_number, business_title, job_position); `authorized_representative_2` is optional.
 */
function authorizedRepresentative(n: 1 | 2): EndUserRequirement {
  return {
    kind: 'end_user',
    requirementName: `authorized_representative_${n}`,
    requirementFriendly: `Authorized Representative ${n}`,
    type: `authorized_representative_${n}`,
    name: `Authorized Representative ${n}`,
    optional: n === 2,
    fields: [
      { field: 'first_name', friendly: 'First Name' },
      { field: 'last_name', friendly: 'Last Name' },
      { field: 'email', friendly: 'Email' },
      { field: 'phone_number', friendly: 'Phone Number' },
      { field: 'business_title', friendly: 'Business Title' },
      { field: 'job_position', friendly: 'Job Position' },
    ],
  };
}

export const POLICIES: Record<string, PolicyDefinition> = {
  // 000 1.1: the Starter Customer Profile policy and its requirements.
  [STARTER_PROFILE_POLICY]: {
    sid: STARTER_PROFILE_POLICY,
    friendlyName: 'Starter Customer Profile of type Business',
    requirements: [
      {
        kind: 'end_user',
        requirementName: 'starter_customer_profile_information',
        requirementFriendly: 'Starter Customer Profile Information',
        type: 'starter_customer_profile_information',
        name: 'Information',
        fields: [
          { field: 'first_name', friendly: 'First Name' },
          { field: 'last_name', friendly: 'Last Name' },
          { field: 'email', friendly: 'Email Address' },
          { field: 'phone_number', friendly: 'Phone Number' },
        ],
      },
      addressDocument,
      primaryProfile,
    ],
  },
  // 000 2.1: the Sole Proprietor A2P trust policy.
  [SOLE_PROPRIETOR_POLICY]: {
    sid: SOLE_PROPRIETOR_POLICY,
    friendlyName: 'Sole Proprietor TrustProduct',
    requirements: [
      {
        kind: 'end_user',
        requirementName: 'sole_proprietor_information',
        requirementFriendly: 'Sole Proprietor Information',
        type: 'sole_proprietor_information',
        name: 'Sole Proprietor Information',
        fields: [
          { field: 'brand_name', friendly: 'Brand Name' },
          { field: 'mobile_phone_number', friendly: 'Mobile Phone Number' },
          { field: 'vertical', friendly: 'Vertical', optional: true },
        ],
      },
      {
        kind: 'supporting_customer_profiles',
        requirementName: 'customer_profile',
        requirementFriendly: 'Customer Profile',
        accepted: [
          {
            type: 'starter_customer_profile_type_business',
            name: 'Starter Customer Profile(isv customers) Proof',
            policySids: [STARTER_PROFILE_POLICY],
          },
          {
            type: 'starter_customer_profile_type_direct_long_tail',
            name: 'Starter Customer Profile(direct customers) Proof',
            policySids: [],
          },
        ],
      },
    ],
  },
  // Reference README: Standard ISV path, Secondary Customer Profile.
  [SECONDARY_PROFILE_POLICY]: {
    sid: SECONDARY_PROFILE_POLICY,
    friendlyName: 'Secondary Customer Profile of type Business',
    requirements: [
      {
        kind: 'end_user',
        requirementName: 'customer_profile_business_information',
        requirementFriendly: 'Business Information',
        type: 'customer_profile_business_information',
        name: 'Business Information',
        fields: [
          { field: 'business_name', friendly: 'Business Name' },
          { field: 'business_type', friendly: 'Business Type', accepted: BUSINESS_TYPES },
          {
            field: 'business_registration_identifier',
            friendly: 'Business Registration Identifier',
            accepted: BUSINESS_REGISTRATION_IDENTIFIERS,
          },
          { field: 'business_registration_number', friendly: 'Business Registration Number' },
          { field: 'business_identity', friendly: 'Business Identity', accepted: BUSINESS_IDENTITIES },
          { field: 'business_industry', friendly: 'Business Industry', accepted: BUSINESS_INDUSTRIES },
          { field: 'business_regions_of_operation', friendly: 'Business Regions of Operation' },
          { field: 'website_url', friendly: 'Website URL' },
          { field: 'social_media_profile_urls', friendly: 'Social Media Profile URLs', optional: true },
        ],
      },
      authorizedRepresentative(1),
      authorizedRepresentative(2),
      addressDocument,
      primaryProfile,
    ],
  },
  // Reference README: A2P Messaging Profile trust product (Standard / Low-Volume Standard).
  [A2P_MESSAGING_PROFILE_POLICY]: {
    sid: A2P_MESSAGING_PROFILE_POLICY,
    friendlyName: 'A2P Messaging Profile',
    requirements: [
      {
        kind: 'end_user',
        requirementName: 'us_a2p_messaging_profile_information',
        requirementFriendly: 'US A2P Messaging Profile Information',
        type: 'us_a2p_messaging_profile_information',
        name: 'US A2P Messaging Profile Information',
        fields: [
          { field: 'company_type', friendly: 'Company Type', accepted: COMPANY_TYPES },
          { field: 'stock_exchange', friendly: 'Stock Exchange', optional: true },
          { field: 'stock_ticker', friendly: 'Stock Ticker', optional: true },
          { field: 'brand_contact_email', friendly: 'Brand Contact Email' },
        ],
        crossCheck: stockFields,
      },
      {
        kind: 'supporting_customer_profiles',
        requirementName: 'customer_profile',
        requirementFriendly: 'Customer Profile',
        accepted: [
          {
            type: 'secondary_customer_profile_type_business',
            name: 'Secondary Customer Profile',
            policySids: [SECONDARY_PROFILE_POLICY],
          },
        ],
      },
    ],
  },
  [PRIMARY_PROFILE_POLICY_SID]: {
    sid: PRIMARY_PROFILE_POLICY_SID,
    friendlyName: 'Primary Customer Profile of type Business',
    requirements: [],
  },
};

/** The policy resource as 000 1.1 / 2.1 show it. */
export function policyResource(policy: PolicyDefinition) {
  const endUser = [];
  const documents = [];
  const profiles = [];
  for (const r of policy.requirements) {
    if (r.kind === 'end_user') {
      endUser.push({
        url: `/EndUserTypes/${r.type}`,
        fields: r.fields.map((f) => f.field),
        type: r.type,
        name: r.name,
        requirement_name: r.requirementName,
      });
    } else if (r.kind === 'supporting_document') {
      documents.push([
        {
          description: r.description,
          type: 'document',
          name: r.name,
          accepted_documents: r.acceptedTypes.map((t) => ({
            url: `/SupportingDocumentTypes/${t.type}`,
            fields: ['address_sids'],
            type: t.type,
            name: t.name,
          })),
          requirement_name: r.requirementName,
        },
      ]);
    } else {
      for (const a of r.accepted)
        profiles.push({ type: a.type, name: a.name, requirement_name: r.requirementName });
    }
  }
  return {
    url: `https://trusthub.twilio.com/v1/Policies/${policy.sid}`,
    requirements: {
      end_user: endUser,
      supporting_trust_products: [],
      supporting_document: documents.length > 0 ? documents : [[]],
      supporting_customer_profiles: profiles,
    },
    friendly_name: policy.friendlyName,
    sid: policy.sid,
  };
}

function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Objects assigned to a bundle, resolved. */
export function assignedObjects(state: StateData, bundleSid: string) {
  const sids = assignmentsOf(state, bundleSid).map((a) => a.objectSid);
  return {
    endUsers: sids.map((s) => state.endUsers[s]).filter((x) => x !== undefined),
    documents: sids.map((s) => state.documents[s]).filter((x) => x !== undefined),
    bundles: sids.map((s) => state.bundles[s]).filter((x): x is Bundle => x !== undefined),
  };
}

/** The `address_sids` of a document: one SID or several (string or list). */
export function addressSidsOf(attributes: Record<string, unknown>): string[] {
  const v = attributes.address_sids;
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return [];
}

interface ResultItem {
  passed: boolean;
  failure_reason: string | null;
}

function missingField(f: FieldSpec, owner: string) {
  return {
    friendly_name: f.friendly,
    object_field: f.field,
    failure_reason: `The ${f.friendly} is missing. Please enter in a ${f.friendly} on the ${owner}.`,
    error_code: 22215,
  };
}

function invalidField(f: FieldSpec, why: string) {
  return { friendly_name: f.friendly, object_field: f.field, failure_reason: why, error_code: 22215 };
}

function passedField(field: string, friendly: string) {
  return {
    object_field: field,
    error_code: null,
    friendly_name: friendly,
    passed: true,
    failure_reason: null,
  };
}

function checkEndUser(state: StateData, bundleSid: string, r: EndUserRequirement) {
  const user = assignedObjects(state, bundleSid).endUsers.find((u) => u.type === r.type);
  if (!user && r.optional)
    return {
      valid: [],
      invalid: [],
      object_type: r.type,
      friendly_name: r.name,
      failure_reason: null,
      passed: true,
      requirement_friendly_name: r.requirementFriendly,
      error_code: null,
      requirement_name: r.requirementName,
    };
  if (!user) {
    return {
      friendly_name: r.name,
      object_type: r.type,
      passed: false,
      failure_reason: `A ${r.name} End-User is missing. Please add one to the regulatory bundle.`,
      error_code: 22214,
      valid: [],
      invalid: r.fields.filter((f) => !f.optional).map((f) => missingField(f, r.name)),
      requirement_friendly_name: r.requirementFriendly,
      requirement_name: r.requirementName,
    };
  }
  const valid = [];
  const invalid = [];
  const crossed = r.crossCheck?.(user.attributes) ?? [];
  for (const f of r.fields) {
    const value = user.attributes[f.field];
    const cross = crossed.find((c) => c.field === f.field);
    if (cross) invalid.push(invalidField(f, cross.why));
    else if (!present(value) && !f.optional) invalid.push(missingField(f, r.name));
    else if (present(value) && f.accepted && !f.accepted.includes(String(value)))
      invalid.push(
        invalidField(
          f,
          `The ${f.friendly} ${JSON.stringify(value)} is invalid. Accepted values: ${f.accepted.join(', ')}.`,
        ),
      );
    else valid.push(passedField(f.field, f.friendly));
  }
  return {
    valid,
    invalid,
    object_type: r.type,
    friendly_name: r.name,
    failure_reason: invalid.length ? `The ${r.name} is incomplete.` : null,
    passed: invalid.length === 0,
    requirement_friendly_name: r.requirementFriendly,
    error_code: invalid.length ? 22215 : null,
    requirement_name: r.requirementName,
  };
}

function checkDocument(state: StateData, bundleSid: string, r: DocumentRequirement) {
  const doc = assignedObjects(state, bundleSid).documents.find((d) =>
    r.acceptedTypes.some((t) => t.type === d.type),
  );
  const acceptedName = r.acceptedTypes[0]?.name ?? r.name;
  const addressSids = doc ? addressSidsOf(doc.attributes) : [];
  const addressesExist = addressSids.length > 0 && addressSids.every((s) => state.addresses[s] !== undefined);
  const addressMissing = `The Address is missing. Please enter in the address shown on the ${r.name}.`;
  if (!doc || !addressesExist) {
    return {
      friendly_name: acceptedName,
      object_type: doc?.type ?? r.acceptedTypes[0]?.type ?? 'document',
      passed: false,
      failure_reason: doc
        ? addressMissing
        : `A ${r.name} is missing. Please add one to the regulatory bundle.`,
      error_code: doc ? 22219 : 22216,
      valid: [],
      invalid: [
        {
          friendly_name: 'Address sid(s)',
          object_field: 'address_sids',
          failure_reason: addressMissing,
          error_code: 22219,
        },
      ],
      requirement_friendly_name: r.requirementFriendly,
      requirement_name: r.requirementName,
    };
  }
  return {
    valid: [passedField('address_sids', 'address sids')],
    invalid: [],
    object_type: doc.type,
    friendly_name: acceptedName,
    failure_reason: null,
    passed: true,
    requirement_friendly_name: r.requirementFriendly,
    error_code: null,
    requirement_name: r.requirementName,
  };
}

function checkProfile(state: StateData, bundleSid: string, r: ProfileRequirement) {
  const bundles = assignedObjects(state, bundleSid).bundles;
  const match = r.accepted.find((a) => bundles.some((b) => a.policySids.includes(b.policySid)));
  const supporting = match && bundles.find((b) => match.policySids.includes(b.policySid));
  const usable = supporting !== undefined && supporting.status !== 'twilio-rejected';
  const first = r.accepted[0];
  // 000 1.7 reports the primary profile as `bundle_sid`, 2.5 the starter profile as `bundle_status`.
  const field = r.requirementName === 'primary_customer_profile' ? 'bundle_sid' : 'bundle_status';
  if (!usable || !match) {
    return {
      friendly_name: first?.name ?? r.requirementFriendly,
      object_type: first?.type ?? 'customer_profile',
      passed: false,
      failure_reason: supporting
        ? `The ${first?.name ?? 'supporting profile'} has been rejected.`
        : `A ${first?.name ?? 'supporting profile'} is missing. Please add one to the regulatory bundle.`,
      error_code: 22216,
      valid: [],
      invalid: [
        {
          friendly_name: 'Supporting Bundle Status',
          object_field: field,
          failure_reason: 'The supporting bundle is missing or has been rejected.',
          error_code: 22217,
        },
      ],
      requirement_friendly_name: r.requirementFriendly,
      requirement_name: r.requirementName,
    };
  }
  return {
    valid: [passedField(field, 'Supporting Bundle Status')],
    invalid: [],
    object_type: match.type,
    friendly_name: match.name,
    failure_reason: null,
    passed: true,
    requirement_friendly_name: r.requirementFriendly,
    error_code: null,
    requirement_name: r.requirementName,
  };
}

/**
 * Evaluates a bundle against a policy: `compliant` only when every requirement is met, otherwise
 * `noncompliant` with `results` shaped like 004's example (error codes 22214–22219).
 */
export function evaluate(state: StateData, bundle: Bundle, policy: PolicyDefinition) {
  const results = policy.requirements.map((r) => {
    if (r.kind === 'end_user') return checkEndUser(state, bundle.sid, r);
    if (r.kind === 'supporting_document') return checkDocument(state, bundle.sid, r);
    return checkProfile(state, bundle.sid, r);
  });
  const status: 'compliant' | 'noncompliant' = results.every((r) => r.passed) ? 'compliant' : 'noncompliant';
  return { status, results };
}

/** A one-line summary of a noncompliant evaluation, used as a rejected bundle's failure_reason. */
export function evaluationSummary(results: ResultItem[]): string {
  return results
    .filter((r) => !r.passed)
    .map((r) => r.failure_reason ?? 'requirement not met')
    .join(' ');
}
