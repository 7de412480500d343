import {
  ADDRESS_REASONS,
  PROFILE_REJECT_REASON,
  PROFILE_REJECT_REGISTRATION_NUMBER,
  addressRejection,
  emailRejection,
} from '../outcomes';
import {
  addAssignment,
  assignmentsOf,
  newSid,
  removeAssignment,
  type Assignment,
  type Bundle,
  type BundleError,
  type BundleKind,
  type BundleStatus,
  type EndUser,
  type Evaluation,
  type Review,
  type SupportingDocument,
} from '../state';
import {
  A2P_MESSAGING_PROFILE_POLICY,
  POLICIES,
  SECONDARY_PROFILE_POLICY,
  SOLE_PROPRIETOR_POLICY,
  STARTER_PROFILE_POLICY,
  addressSidsOf,
  assignedObjects,
  evaluate,
  evaluationSummary,
} from '../trust-policies';
import { TwilioApiError, invalidParam, isoDate } from '../wire';
import type { EngineCore } from './core';
import { ConflictError } from './errors';
import type { Engine } from './index';

/** 004: ObjectSid "Pattern: ^[a-zA-Z]{2}[0-9a-fA-F]{32}$" */
const OBJECT_SID = /^[a-zA-Z]{2}[0-9a-fA-F]{32}$/;

/** Why a bundle was rejected: the status callback's reason and the bundle's `errors`. */
export interface Rejection {
  reason: string;
  errors: BundleError[];
}

export interface BundleFilters {
  status?: string;
  friendlyName?: string;
  policySid?: string;
}

/**
 * Trust Hub (000 steps 1 and 2, 004): customer profiles and trust products (bundles), their
 * end-users and supporting documents, assignments, evaluations, the review that approves or
 * rejects a submitted bundle, and its status callback.
 */
export class TrustHub {
  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
  ) {
    core.reviews.register('bundle', {
      step: (review) => this.step(review),
      status: (sid) => this.core.state.bundles[sid]?.status ?? 'deleted',
    });
  }

  private get state() {
    return this.core.state;
  }

  // ---- end-users (000 1.3 / 2.3) and supporting documents (000 1.5)

  createEndUser(fields: {
    friendlyName: string;
    type: string;
    attributes: Record<string, unknown>;
  }): EndUser {
    const now = this.core.now();
    const user: EndUser = { sid: newSid('IT'), ...fields, dateCreated: now, dateUpdated: now };
    this.state.endUsers[user.sid] = user;
    return user;
  }

  endUsers(): EndUser[] {
    return Object.values(this.state.endUsers);
  }

  endUser(sid: string): EndUser | undefined {
    return this.state.endUsers[sid];
  }

  updateEndUser(user: EndUser, patch: { friendlyName?: string; attributes?: Record<string, unknown> }): void {
    user.friendlyName = patch.friendlyName ?? user.friendlyName;
    user.attributes = patch.attributes ?? user.attributes;
    user.dateUpdated = this.core.now();
  }

  deleteEndUser(user: EndUser): void {
    delete this.state.endUsers[user.sid];
  }

  createDocument(fields: {
    friendlyName: string;
    type: string;
    attributes: Record<string, unknown>;
  }): SupportingDocument {
    const now = this.core.now();
    const doc: SupportingDocument = { sid: newSid('RD'), ...fields, dateCreated: now, dateUpdated: now };
    this.state.documents[doc.sid] = doc;
    return doc;
  }

  documents(): SupportingDocument[] {
    return Object.values(this.state.documents);
  }

  document(sid: string): SupportingDocument | undefined {
    return this.state.documents[sid];
  }

  updateDocument(
    doc: SupportingDocument,
    patch: { friendlyName?: string; attributes?: Record<string, unknown> },
  ): void {
    doc.friendlyName = patch.friendlyName ?? doc.friendlyName;
    doc.attributes = patch.attributes ?? doc.attributes;
    doc.dateUpdated = this.core.now();
  }

  deleteDocument(doc: SupportingDocument): void {
    delete this.state.documents[doc.sid];
  }

  // ---- bundles (004, 000 1.2 / 2.2)

  createBundle(fields: {
    kind: BundleKind;
    friendlyName: string;
    email: string;
    policySid: string;
    statusCallback: string | null;
  }): Bundle {
    if (!POLICIES[fields.policySid]) throw invalidParam('PolicySid', `policy ${fields.policySid} not found`);
    if (fields.statusCallback !== null && !/^https?:\/\/\S+$/.test(fields.statusCallback))
      throw invalidParam('StatusCallback', 'must be an http(s) URL');
    const now = this.core.now();
    const b: Bundle = {
      ...fields,
      sid: newSid('BU'),
      status: 'draft',
      failureReason: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.state.bundles[b.sid] = b;
    return b;
  }

  /** Newest first, as Trust Hub lists them. */
  bundles(kind: BundleKind, filters: BundleFilters = {}): Bundle[] {
    return Object.values(this.state.bundles)
      .filter((b) => b.kind === kind)
      .filter((b) => filters.status === undefined || b.status === filters.status)
      .filter((b) => filters.friendlyName === undefined || b.friendlyName === filters.friendlyName)
      .filter((b) => filters.policySid === undefined || b.policySid === filters.policySid)
      .sort((a, b) => b.dateCreated - a.dateCreated);
  }

  bundle(kind: BundleKind, sid: string): Bundle | undefined {
    const b = this.state.bundles[sid];
    return b?.kind === kind ? b : undefined;
  }

  updateBundle(
    b: Bundle,
    patch: { status?: string; friendlyName?: string; email?: string; statusCallback?: string },
  ): void {
    if (patch.status !== undefined) {
      // 004: "If the current verification status ... is draft, you may set the verification status to
      // pending-review ... No other values for status are permissible". A rejected bundle is resubmitted
      // the same way after remediation (000 1.9).
      if (patch.status !== 'pending-review')
        throw new TwilioApiError(
          400,
          70002,
          `Invalid status transition: status can only be set to pending-review`,
        );
      if (b.status !== 'draft' && b.status !== 'twilio-rejected')
        throw new TwilioApiError(400, 70002, `Invalid status transition from ${b.status} to ${patch.status}`);
    }
    b.friendlyName = patch.friendlyName ?? b.friendlyName;
    b.email = patch.email ?? b.email;
    b.statusCallback = patch.statusCallback ?? b.statusCallback;
    b.dateUpdated = this.core.now();
    if (patch.status === 'pending-review') this.submit(b);
  }

  deleteBundle(b: Bundle): void {
    delete this.state.bundles[b.sid];
    for (const a of assignmentsOf(this.state, b.sid)) removeAssignment(this.state, a);
  }

  // ---- entity assignments (000 1.6 / 2.4)

  assign(b: Bundle, objectSid: string): Assignment {
    if (!OBJECT_SID.test(objectSid))
      throw invalidParam('ObjectSid', 'must match ^[a-zA-Z]{2}[0-9a-fA-F]{32}$');
    const s = this.state;
    const exists = s.endUsers[objectSid] ?? s.documents[objectSid] ?? s.bundles[objectSid];
    if (!exists || objectSid === b.sid) throw new TwilioApiError(400, 22201, `Object ${objectSid} not found`);
    if (assignmentsOf(s, b.sid).some((a) => a.objectSid === objectSid))
      throw new TwilioApiError(409, 22202, `Object ${objectSid} is already assigned to ${b.sid}`);
    const a: Assignment = { sid: newSid('BV'), bundleSid: b.sid, objectSid, dateCreated: this.core.now() };
    addAssignment(s, a);
    return a;
  }

  /** Oldest first; `objectType` keeps the end-users and documents of that type. */
  assignments(bundleSid: string, objectType?: string): Assignment[] {
    const s = this.state;
    return assignmentsOf(s, bundleSid)
      .filter(
        (a) =>
          objectType === undefined ||
          s.endUsers[a.objectSid]?.type === objectType ||
          s.documents[a.objectSid]?.type === objectType,
      )
      .sort((x, y) => x.dateCreated - y.dateCreated);
  }

  assignment(bundleSid: string, sid: string): Assignment | undefined {
    const a = this.state.assignments[sid];
    return a?.bundleSid === bundleSid ? a : undefined;
  }

  unassign(a: Assignment): void {
    removeAssignment(this.state, a);
  }

  // ---- evaluations (000 1.7 / 2.5, 004)

  evaluate(b: Bundle, policySid: string): Evaluation {
    const policy = POLICIES[policySid];
    if (!policy) throw invalidParam('PolicySid', `policy ${policySid} not found`);
    const result = evaluate(this.state, b, policy);
    const e: Evaluation = {
      sid: newSid('EL'),
      bundleSid: b.sid,
      policySid,
      status: result.status,
      results: result.results,
      dateCreated: this.core.now(),
    };
    this.state.evaluations[e.sid] = e;
    return e;
  }

  /** Newest first. */
  evaluations(bundleSid: string): Evaluation[] {
    return Object.values(this.state.evaluations)
      .filter((e) => e.bundleSid === bundleSid)
      .sort((x, y) => y.dateCreated - x.dateCreated);
  }

  evaluation(bundleSid: string, sid: string): Evaluation | undefined {
    const e = this.state.evaluations[sid];
    return e?.bundleSid === bundleSid ? e : undefined;
  }

  /** What is assigned to a bundle (end-users, documents, bundles). */
  assignedObjects(bundleSid: string) {
    return assignedObjects(this.state, bundleSid);
  }

  // ---- review and status

  setStatus(bundle: Bundle, status: BundleStatus, rejection: Rejection | null = null): void {
    const failureReason = rejection?.reason ?? null;
    bundle.status = status;
    bundle.failureReason = failureReason;
    // twilio's CustomerProfiles/TrustProducts: `errors`, "The error codes associated with the rejection".
    bundle.errors = rejection?.errors;
    bundle.dateUpdated = this.core.now();
    if (!bundle.statusCallback) return;
    // Trust Hub status_callback: a form-encoded POST, signed like every Twilio webhook.
    const params: Record<string, string> = {
      AccountSid: this.core.accountSid,
      BundleSid: bundle.sid,
      Status: status,
      DateUpdated: isoDate(bundle.dateUpdated),
    };
    if (failureReason) params.FailureReason = failureReason;
    this.core.deliverer.statusCallback(bundle.statusCallback, params);
  }

  /** 000 1.8 / 2.6: the update to pending-review submits the bundle for review. */
  private submit(bundle: Bundle): void {
    this.setStatus(bundle, 'pending-review');
    this.core.reviews.schedule('bundle', bundle.sid, 'submitted', this.core.timings.bundleReviewMs);
  }

  /** Why a submitted bundle is rejected (the reason and the bundle's `errors`), or null. */
  rejection(bundle: Bundle): Rejection | null {
    const objects = assignedObjects(this.state, bundle.sid);
    const because = (reason: string, fields: string[]): Rejection => ({
      reason,
      errors: [{ message: reason, fields }],
    });
    // 000 1.4: "If given address is not present: Address not found with sid AD…"
    for (const doc of objects.documents)
      for (const sid of addressSidsOf(doc.attributes))
        if (!this.state.addresses[sid]) return because(ADDRESS_REASONS.notFound(sid), ['address_sids']);
    const policy = POLICIES[bundle.policySid];
    if (policy) {
      const evaluation = evaluate(this.state, bundle, policy);
      // 004: "If it's non-compliant, it will automatically be rejected with a TWILIO_REJECTED status."
      if (evaluation.status === 'noncompliant')
        return {
          reason: evaluationSummary(evaluation.results),
          // 004's evaluation results carry the codes (22214–22219) and the failing fields.
          errors: evaluation.results
            .filter((r) => !r.passed)
            .map((r): BundleError => ({
              ...(typeof r.error_code === 'number' ? { code: r.error_code } : {}),
              message: r.failure_reason ?? 'requirement not met',
              fields: r.invalid.map((f) => f.object_field),
            })),
        };
    }
    if (bundle.kind === 'customer-profile') {
      // 000 1.2: the email is validated when the complete profile is submitted.
      const emails = [bundle.email, ...objects.endUsers.map((u) => u.attributes.email)].filter(
        (e): e is string => typeof e === 'string' && e.length > 0,
      );
      for (const e of emails) {
        const reason = emailRejection(e);
        if (reason) return because(reason, ['email']);
      }
      // 000 1.4: the address is validated at the same time.
      for (const doc of objects.documents) {
        for (const sid of addressSidsOf(doc.attributes)) {
          const reason = addressRejection(sid, this.state.addresses[sid]);
          if (reason) return because(reason, ['address_sids']);
        }
      }
      // Secondary customer profile: the review checks the business registration (data-chosen).
      const business = objects.endUsers.find((u) => u.type === 'customer_profile_business_information');
      if (
        bundle.policySid === SECONDARY_PROFILE_POLICY &&
        business?.attributes.business_registration_number === PROFILE_REJECT_REGISTRATION_NUMBER
      )
        return because(PROFILE_REJECT_REASON, ['business_registration_number']);
    }
    if (bundle.policySid === A2P_MESSAGING_PROFILE_POLICY) {
      const info = objects.endUsers.find((u) => u.type === 'us_a2p_messaging_profile_information');
      const email = info?.attributes.brand_contact_email;
      const reason = typeof email === 'string' ? emailRejection(email) : null;
      if (reason) return because(reason, ['brand_contact_email']);
    }
    return null;
  }

  /** A bundle a brand can be registered with: submitted, not rejected, compliant with its policy. */
  usable(sid: string, kind: BundleKind): boolean {
    const bundle = this.state.bundles[sid];
    if (!bundle || bundle.kind !== kind) return false;
    if (bundle.status === 'draft' || bundle.status === 'twilio-rejected') return false;
    const policy = POLICIES[bundle.policySid];
    return !policy || evaluate(this.state, bundle, policy).status === 'compliant';
  }

  private isSoleProprietorBundle(bundle: Bundle): boolean {
    return bundle.policySid === STARTER_PROFILE_POLICY || bundle.policySid === SOLE_PROPRIETOR_POLICY;
  }

  private step(review: Review): void {
    const bundle = this.state.bundles[review.subject];
    if (!bundle) return this.core.reviews.finish('bundle', review.subject);
    if (review.stage === 'submitted') {
      const rejection = this.rejection(bundle);
      if (rejection) {
        this.setStatus(bundle, 'twilio-rejected', rejection);
        return this.core.reviews.finish('bundle', bundle.sid);
      }
      this.setStatus(bundle, 'in-review');
      if (this.isSoleProprietorBundle(bundle)) {
        // 000 1.8: "will only reach the twilio-approved status when a Brand is successfully created and OTP-verified"
        if (this.engine.brands.verifiedBrandFor(bundle.sid)) return this.approve(bundle);
        return this.core.reviews.wait(
          'bundle',
          bundle.sid,
          'in-review',
          'an OTP-verified sole proprietor brand',
        );
      }
      return this.core.reviews.schedule(
        'bundle',
        bundle.sid,
        'in-review',
        this.core.timings.bundleApprovalMs,
      );
    }
    this.approve(bundle);
  }

  approve(bundle: Bundle): void {
    this.setStatus(bundle, 'twilio-approved');
    this.core.reviews.finish('bundle', bundle.sid);
  }

  /** Control API: Twilio's reviewer approves or rejects a bundle under review. */
  decide(sid: string, decision: 'approve' | 'reject', reason?: string): Bundle {
    const bundle = this.state.bundles[sid];
    if (!bundle) throw new ConflictError(`no bundle ${sid}`);
    if (bundle.status !== 'pending-review' && bundle.status !== 'in-review')
      throw new ConflictError(`bundle ${sid} is ${bundle.status}, not under review`);
    if (decision === 'approve') this.approve(bundle);
    else {
      const text = reason ?? 'Rejected by the sandbox control API.';
      this.setStatus(bundle, 'twilio-rejected', { reason: text, errors: [{ message: text, fields: [] }] });
      this.core.reviews.finish('bundle', sid);
    }
    this.core.changed();
    return bundle;
  }
}
