import type { CustomerAddress, SoleProprietorInfo } from '../domain/registration';
import { resourceFriendlyName } from '../shared/ids';
import type { TwilioClient } from '../twilio/client';
import { twilioCall } from '../twilio/errors';
import { trustHubCallbackUrl } from '../webhooks/urls';
import {
  type ActivityDeps,
  describeTwilioError,
  findInPages,
  isNotFound,
  mayHaveEarlierAttempt,
  nameWithin,
} from './deps';

/** 004: the Address FriendlyName "can be up to 64 characters long". */
const ADDRESS_FRIENDLY_NAME_MAX = 64;

/** An address as the Addresses API takes it, of any country (Standard brands are not limited to the US and Canada). */
export type AddressInput = Omit<CustomerAddress, 'isoCountry'> & { isoCountry: string };

/** Trust Hub has two kinds of bundle with the same shape: customer profiles and trust products. */
export type BundleKind = 'customer-profile' | 'trust-product';

export interface BundleState {
  sid: string;
  status: string;
  failureReason?: string;
  /** Twilio's `errors` of a rejected bundle ("the error codes associated with the rejection"), as readable lines. */
  errors?: string[];
}

export interface EvaluationResult {
  status: 'compliant' | 'noncompliant';
  /** Each failing requirement, as `object_type.field: reason`. */
  failures: string[];
}

interface EvaluationResultItem {
  friendly_name?: string;
  object_type?: string;
  passed?: boolean;
  failure_reason?: string;
  error_code?: number;
  valid?: unknown[];
  invalid?: { friendly_name?: string; object_field?: string; failure_reason?: string; error_code?: number }[];
}

/** Flattens an evaluation's `results` (004's noncompliant example) into one line per failing field. */
export function evaluationFailures(results: unknown): string[] {
  if (!Array.isArray(results)) return [];
  const lines: string[] = [];
  for (const item of results as EvaluationResultItem[]) {
    if (item.passed !== false) continue;
    const invalid = item.invalid ?? [];
    if (invalid.length === 0) {
      lines.push(
        `${item.object_type ?? item.friendly_name ?? 'requirement'}: ${item.failure_reason ?? 'failed'}`,
      );
    }
    for (const field of invalid) {
      lines.push(
        `${item.object_type ?? item.friendly_name ?? 'requirement'}.${field.object_field ?? field.friendly_name ?? '?'}: ${
          field.failure_reason ?? item.failure_reason ?? 'invalid'
        }`,
      );
    }
  }
  return lines;
}

export function createTrustHubActivities({ twilio, primaryProfileSid, publicWebhookUrl }: ActivityDeps) {
  const trusthub = twilio.trusthub.v1;

  function bundle(kind: BundleKind, sid: string) {
    return kind === 'customer-profile' ? trusthub.customerProfiles(sid) : trusthub.trustProducts(sid);
  }

  async function updateBundle(
    kind: BundleKind,
    sid: string,
    params: { status?: 'pending-review'; email?: string },
  ): Promise<BundleState> {
    const updated =
      kind === 'customer-profile'
        ? await trusthub.customerProfiles(sid).update(params)
        : await trusthub.trustProducts(sid).update(params);
    return { sid: updated.sid, status: updated.status };
  }

  let primaryEmail: Promise<string> | undefined;
  /** The ISV's email, from its primary customer profile (read once per process). */
  function isvEmail(): Promise<string> {
    primaryEmail ??= trusthub
      .customerProfiles(primaryProfileSid)
      .fetch()
      .then((p) => p.email);
    primaryEmail.catch(() => (primaryEmail = undefined));
    return primaryEmail;
  }

  function statusCallback(workflowId: string): string | undefined {
    return publicWebhookUrl ? trustHubCallbackUrl(publicWebhookUrl, workflowId) : undefined;
  }

  return {
    /**
     * 000 1.2 / 2.2: create the bundle (customer profile or trust product) for this registration,
     * or find the one an earlier attempt created: its friendly name is derived from the workflow id.
     * Twilio's CustomerProfiles and TrustProducts lists take the query filters Status, FriendlyName
     * and PolicySid ("Read multiple CustomerProfile resources"), so the look-up is one filtered
     * request, made only when an earlier attempt may have created the bundle.
     */
    async ensureBundle(input: {
      kind: BundleKind;
      workflowId: string;
      policySid: string;
      /**
       * The email Twilio writes to about the bundle: the customer's for a Sole Proprietor;
       * absent for a Standard registration, whose profiles carry the ISV's (Twilio's ISV guide),
       * taken from the ISV's primary customer profile.
       */
      email?: string;
      /** An earlier run or attempt of this step may have created the bundle. */
      mayExist?: boolean;
    }): Promise<BundleState> {
      const friendlyName = resourceFriendlyName(input.workflowId, input.kind);
      return twilioCall(`ensure ${input.kind}`, async () => {
        const look = mayHaveEarlierAttempt(input);
        const filter = { friendlyName, policySid: input.policySid, limit: 1 };
        const params = {
          friendlyName,
          email: input.email ?? (await isvEmail()),
          policySid: input.policySid,
          statusCallback: statusCallback(input.workflowId),
        };
        const found =
          input.kind === 'customer-profile'
            ? ((look ? (await trusthub.customerProfiles.list(filter))[0] : undefined) ??
              (await trusthub.customerProfiles.create(params)))
            : ((look ? (await trusthub.trustProducts.list(filter))[0] : undefined) ??
              (await trusthub.trustProducts.create(params)));
        return { sid: found.sid, status: found.status };
      });
    },

    async fetchBundle(input: { kind: BundleKind; sid: string }): Promise<BundleState> {
      return twilioCall(`fetch ${input.kind}`, async () => {
        const found = await bundle(input.kind, input.sid).fetch();
        const errors = (found.errors ?? []).map(describeTwilioError);
        return { sid: found.sid, status: found.status, ...(errors.length ? { errors } : {}) };
      });
    },

    /** Changes the email on a bundle (remediation of an email rejection). */
    async updateBundleEmail(input: { kind: BundleKind; sid: string; email: string }): Promise<void> {
      await twilioCall(`update ${input.kind} email`, () =>
        updateBundle(input.kind, input.sid, { email: input.email }),
      );
    },

    /**
     * 000 1.3: the starter profile's end-user (`starter_customer_profile_information`): first and last
     * name, email and business phone. EndUsers cannot be filtered by friendly name, so the look-up
     * pages through them.
     */
    async ensureStarterProfileEndUser(input: {
      workflowId: string;
      info: SoleProprietorInfo;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      return ensureEndUser(
        trusthub,
        input,
        'starter_customer_profile_information',
        starterProfileAttributes(input.info),
      );
    },

    /** 2.3: the trust bundle's end-user (`sole_proprietor_information`): brand name, mobile, vertical. */
    async ensureSoleProprietorEndUser(input: {
      workflowId: string;
      info: SoleProprietorInfo;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      return ensureEndUser(
        trusthub,
        input,
        'sole_proprietor_information',
        soleProprietorAttributes(input.info),
      );
    },

    /** Remediation: replace an end-user's attributes with corrected data. */
    async updateEndUser(input: {
      sid: string;
      type: 'starter_customer_profile_information' | 'sole_proprietor_information';
      info: SoleProprietorInfo;
    }): Promise<void> {
      const attributes =
        input.type === 'starter_customer_profile_information'
          ? starterProfileAttributes(input.info)
          : soleProprietorAttributes(input.info);
      await twilioCall('update end-user', () => trusthub.endUsers(input.sid).update({ attributes }));
    },

    /**
     * 1.4: the customer's address (Addresses can be filtered by friendly name: `FriendlyName`).
     * `country` names the Address made for a corrected country (see replaceAddressDocument).
     */
    async ensureAddress(input: {
      workflowId: string;
      address: AddressInput;
      country?: string;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      const suffix = input.country ? `/address-${input.country}` : '/address';
      // 004: an Address's FriendlyName "can be up to 64 characters long".
      const friendlyName = nameWithin(ADDRESS_FRIENDLY_NAME_MAX, input.workflowId, suffix);
      return twilioCall('ensure address', async () => {
        if (mayHaveEarlierAttempt(input)) {
          const [existing] = await twilio.addresses.list({ friendlyName, limit: 1 });
          if (existing) return { sid: existing.sid };
        }
        const created = await twilio.addresses.create({ friendlyName, ...addressParams(input.address) });
        return { sid: created.sid };
      });
    },

    /** Remediation of an address rejection (000 1.4's table). */
    async updateAddress(input: { sid: string; address: AddressInput }): Promise<void> {
      await twilioCall('update address', () =>
        twilio.addresses(input.sid).update(addressParams(input.address)),
      );
    },

    /**
     * 1.5: the `customer_profile_address` supporting document pointing at the address.
     * SupportingDocuments cannot be filtered server-side, so the look-up pages through all of them:
     * it runs only when an earlier attempt may have created the document.
     */
    async ensureAddressDocument(input: {
      workflowId: string;
      addressSid: string;
      country?: string;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      const friendlyName = resourceFriendlyName(
        input.workflowId,
        input.country ? `address-document-${input.country}` : 'address-document',
      );
      return twilioCall('ensure address document', async () => {
        const existing = mayHaveEarlierAttempt(input)
          ? await findInPages(
              () => trusthub.supportingDocuments.page({ pageSize: 100 }),
              (doc) => doc.friendlyName === friendlyName,
            )
          : undefined;
        if (existing) return { sid: existing.sid };
        const created = await trusthub.supportingDocuments.create({
          friendlyName,
          type: 'customer_profile_address',
          attributes: { address_sids: input.addressSid },
        });
        return { sid: created.sid };
      });
    },

    /**
     * A corrected country: Twilio's Address update takes no IsoCountry (its parameters are
     * FriendlyName, CustomerName, Street, City, Region, PostalCode, EmergencyEnabled and
     * AutoCorrectAddress), so the customer profile gets a new Address and `customer_profile_address`
     * document (1.4–1.5) in place of the old document. Repeatable: an assignment already made or
     * already removed is left as it is.
     */
    async replaceAddressDocument(input: { customerProfileSid: string; documentSid: string }): Promise<void> {
      await twilioCall('replace the address document', async () => {
        const ctx = trusthub.customerProfiles(input.customerProfileSid).customerProfilesEntityAssignments;
        const assignments = await ctx.list();
        // Supporting documents are RD…; the end-user (IT…) and the primary profile (BU…) stay.
        for (const a of assignments)
          if (a.objectSid.startsWith('RD') && a.objectSid !== input.documentSid) await ctx(a.sid).remove();
        if (!assignments.some((a) => a.objectSid === input.documentSid))
          await ctx.create({ objectSid: input.documentSid });
      });
    },

    /**
     * 1.6 / 2.4: assign each object to the bundle unless an earlier attempt already did. 1.6 also
     * assigns the ISV's primary customer profile to the starter profile (`includePrimaryProfile`).
     */
    async ensureAssignments(input: {
      kind: BundleKind;
      bundleSid: string;
      objectSids: string[];
      includePrimaryProfile?: boolean;
      mayExist?: boolean;
    }): Promise<void> {
      const objectSids = input.includePrimaryProfile
        ? [...input.objectSids, primaryProfileSid]
        : input.objectSids;
      await twilioCall(`assign to ${input.kind}`, async () => {
        const assigned = new Set<string>();
        // A bundle's own assignments: a short list, read only when an earlier attempt may have assigned.
        const look = mayHaveEarlierAttempt(input);
        if (input.kind === 'customer-profile') {
          const ctx = trusthub.customerProfiles(input.bundleSid).customerProfilesEntityAssignments;
          if (look) for (const a of await ctx.list()) assigned.add(a.objectSid);
          for (const objectSid of objectSids) if (!assigned.has(objectSid)) await ctx.create({ objectSid });
        } else {
          const ctx = trusthub.trustProducts(input.bundleSid).trustProductsEntityAssignments;
          if (look) for (const a of await ctx.list()) assigned.add(a.objectSid);
          for (const objectSid of objectSids) if (!assigned.has(objectSid)) await ctx.create({ objectSid });
        }
      });
    },

    /** 1.7 / 2.5: evaluate the bundle against its policy. Evaluations are free and repeatable. */
    async evaluateBundle(input: {
      kind: BundleKind;
      bundleSid: string;
      policySid: string;
    }): Promise<EvaluationResult> {
      return twilioCall(`evaluate ${input.kind}`, async () => {
        const evaluation =
          input.kind === 'customer-profile'
            ? await trusthub
                .customerProfiles(input.bundleSid)
                .customerProfilesEvaluations.create({ policySid: input.policySid })
            : await trusthub
                .trustProducts(input.bundleSid)
                .trustProductsEvaluations.create({ policySid: input.policySid });
        const status = evaluation.status === 'compliant' ? 'compliant' : 'noncompliant';
        return { status, failures: status === 'compliant' ? [] : evaluationFailures(evaluation.results) };
      });
    },

    /**
     * 1.8 / 2.6: submit for review (status pending-review). A bundle that is already under review
     * or approved is left alone, so a retried submission is harmless. A first submission of a
     * bundle the workflow has just created and filled (no earlier attempt) is submitted at once.
     */
    async submitBundle(input: {
      kind: BundleKind;
      bundleSid: string;
      mayExist?: boolean;
    }): Promise<BundleState> {
      return twilioCall(`submit ${input.kind}`, async () => {
        if (!mayHaveEarlierAttempt(input)) {
          return updateBundle(input.kind, input.bundleSid, { status: 'pending-review' });
        }
        const current = await bundle(input.kind, input.bundleSid).fetch();
        if (current.status !== 'draft' && current.status !== 'twilio-rejected') {
          return { sid: current.sid, status: current.status };
        }
        return updateBundle(input.kind, input.bundleSid, { status: 'pending-review' });
      });
    },

    async deleteBundle(input: { kind: BundleKind; sid: string }): Promise<void> {
      await twilioCall(`delete ${input.kind}`, async () => {
        try {
          await bundle(input.kind, input.sid).remove();
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      });
    },
  };
}

/**
 * Creates an end-user of `type`, or finds the one an earlier attempt created. EndUsers cannot be
 * filtered by friendly name, so finding an earlier attempt's end-user pages through all of them:
 * that happens only when one may exist.
 */
export async function ensureEndUser(
  trusthub: TwilioClient['trusthub']['v1'],
  input: { workflowId: string; mayExist?: boolean },
  type: string,
  attributes: Record<string, string>,
): Promise<{ sid: string }> {
  const friendlyName = resourceFriendlyName(input.workflowId, type);
  return twilioCall(`ensure ${type} end-user`, async () => {
    const existing = mayHaveEarlierAttempt(input)
      ? await findInPages(
          () => trusthub.endUsers.page({ pageSize: 100 }),
          (u) => u.friendlyName === friendlyName,
        )
      : undefined;
    if (existing) return { sid: existing.sid };
    const created = await trusthub.endUsers.create({ friendlyName, type, attributes });
    return { sid: created.sid };
  });
}

function starterProfileAttributes(info: SoleProprietorInfo): Record<string, string> {
  // 000 1.3: "An object containing your customer's first name, last name, email address, and phone number"
  return {
    first_name: info.firstName,
    last_name: info.lastName,
    email: info.email,
    phone_number: info.phoneNumber,
  };
}

function soleProprietorAttributes(info: SoleProprietorInfo): Record<string, string> {
  // 000 2.3: brand_name, mobile_phone_number and the optional vertical
  return {
    brand_name: info.brandName,
    mobile_phone_number: info.mobilePhoneNumber,
    ...(info.vertical ? { vertical: info.vertical } : {}),
  };
}

export function addressParams(address: AddressInput) {
  return {
    customerName: address.customerName ?? '',
    street: address.street,
    streetSecondary: address.streetSecondary,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    isoCountry: address.isoCountry,
  };
}
