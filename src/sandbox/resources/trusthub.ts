import type { Api, ApiContext } from '../http';
import { POLICIES, evaluate, policyResource } from '../trust-policies';
import { newSid, type Bundle, type BundleKind, type EndUser, type SupportingDocument } from '../state';
import { HOSTS, TwilioApiError, invalidParam, isoDate, notFound, pathSid, v1Page } from '../wire';

const BASE = `${HOSTS.trusthub}/v1`;
const P = '/trusthub/v1';

/** Customer profiles and trust products are the same kind of bundle under two names. */
const KINDS: Record<
  BundleKind,
  {
    collection: string;
    parentKey: string;
    linkPrefix: string;
    listKey: string;
    assignmentsKey: string;
    evaluationsKey: string;
  }
> = {
  'customer-profile': {
    collection: 'CustomerProfiles',
    parentKey: 'customer_profile_sid',
    linkPrefix: 'customer_profiles',
    listKey: 'results',
    assignmentsKey: 'results',
    evaluationsKey: 'results',
  },
  'trust-product': {
    collection: 'TrustProducts',
    parentKey: 'trust_product_sid',
    linkPrefix: 'trust_products',
    listKey: 'results',
    assignmentsKey: 'results',
    evaluationsKey: 'results',
  },
};

export function bundleJson(ctx: ApiContext, b: Bundle) {
  const k = KINDS[b.kind];
  const url = `${BASE}/${k.collection}/${b.sid}`;
  return {
    sid: b.sid,
    account_sid: ctx.engine.accountSid,
    policy_sid: b.policySid,
    friendly_name: b.friendlyName,
    status: b.status,
    email: b.email,
    status_callback: b.statusCallback,
    valid_until: null,
    date_created: isoDate(b.dateCreated),
    date_updated: isoDate(b.dateUpdated),
    url,
    links: {
      [`${k.linkPrefix}_entity_assignments`]: `${url}/EntityAssignments`,
      [`${k.linkPrefix}_evaluations`]: `${url}/Evaluations`,
      [`${k.linkPrefix}_channel_endpoint_assignment`]: `${url}/ChannelEndpointAssignments`,
    },
    errors: null,
  };
}

function endUserJson(ctx: ApiContext, u: EndUser) {
  return {
    sid: u.sid,
    account_sid: ctx.engine.accountSid,
    friendly_name: u.friendlyName,
    type: u.type,
    attributes: u.attributes,
    date_created: isoDate(u.dateCreated),
    date_updated: isoDate(u.dateUpdated),
    url: `${BASE}/EndUsers/${u.sid}`,
  };
}

function documentJson(ctx: ApiContext, d: SupportingDocument) {
  return {
    sid: d.sid,
    account_sid: ctx.engine.accountSid,
    friendly_name: d.friendlyName,
    mime_type: null,
    status: 'draft',
    failure_reason: null,
    errors: null,
    type: d.type,
    attributes: d.attributes,
    date_created: isoDate(d.dateCreated),
    date_updated: isoDate(d.dateUpdated),
    url: `${BASE}/SupportingDocuments/${d.sid}`,
  };
}

const OBJECT_SID = /^[a-zA-Z]{2}[0-9a-fA-F]{32}$/;

export function registerTrustHub(api: Api): void {
  // ---- Policies (000 1.1 / 2.1)
  api.route('GET', `${P}/Policies/:sid`, (ctx) => {
    const policy = POLICIES[ctx.path.sid ?? ''];
    if (!policy) throw notFound(ctx.pathname);
    return { status: 200, body: policyResource(policy) };
  });
  api.route('GET', `${P}/Policies`, (ctx) => ({
    status: 200,
    body: v1Page(Object.values(POLICIES).map(policyResource), {
      url: `${BASE}/Policies`,
      key: 'results',
      query: ctx.query,
    }),
  }));

  registerBundles(api, 'customer-profile');
  registerBundles(api, 'trust-product');

  // ---- EndUsers (000 1.3 / 2.3)
  api.route('POST', `${P}/EndUsers`, (ctx) => {
    const now = ctx.engine.now();
    const user: EndUser = {
      sid: newSid('IT'),
      friendlyName: ctx.form.required('FriendlyName'),
      type: ctx.form.required('Type'),
      attributes: ctx.form.json('Attributes') ?? {},
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.state.endUsers[user.sid] = user;
    return { status: 201, body: endUserJson(ctx, user) };
  });
  api.route('GET', `${P}/EndUsers`, (ctx) => ({
    status: 200,
    body: v1Page(
      Object.values(ctx.engine.state.endUsers).map((u) => endUserJson(ctx, u)),
      { url: `${BASE}/EndUsers`, key: 'results', query: ctx.query },
    ),
  }));
  const endUser = (ctx: ApiContext) => {
    const u = ctx.engine.state.endUsers[pathSid(ctx.path.sid ?? '', 'IT', ctx.pathname)];
    if (!u) throw notFound(ctx.pathname);
    return u;
  };
  api.route('GET', `${P}/EndUsers/:sid`, (ctx) => ({ status: 200, body: endUserJson(ctx, endUser(ctx)) }));
  api.route('POST', `${P}/EndUsers/:sid`, (ctx) => {
    const u = endUser(ctx);
    u.friendlyName = ctx.form.get('FriendlyName') ?? u.friendlyName;
    u.attributes = ctx.form.json('Attributes') ?? u.attributes;
    u.dateUpdated = ctx.engine.now();
    return { status: 200, body: endUserJson(ctx, u) };
  });
  api.route('DELETE', `${P}/EndUsers/:sid`, (ctx) => {
    const u = endUser(ctx);
    delete ctx.engine.state.endUsers[u.sid];
    return { status: 204 };
  });

  // ---- SupportingDocuments (000 1.5)
  api.route('POST', `${P}/SupportingDocuments`, (ctx) => {
    const now = ctx.engine.now();
    const doc: SupportingDocument = {
      sid: newSid('RD'),
      friendlyName: ctx.form.required('FriendlyName'),
      type: ctx.form.required('Type'),
      attributes: ctx.form.json('Attributes') ?? {},
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.state.documents[doc.sid] = doc;
    return { status: 201, body: documentJson(ctx, doc) };
  });
  api.route('GET', `${P}/SupportingDocuments`, (ctx) => ({
    status: 200,
    body: v1Page(
      Object.values(ctx.engine.state.documents).map((d) => documentJson(ctx, d)),
      { url: `${BASE}/SupportingDocuments`, key: 'results', query: ctx.query },
    ),
  }));
  const doc = (ctx: ApiContext) => {
    const d = ctx.engine.state.documents[pathSid(ctx.path.sid ?? '', 'RD', ctx.pathname)];
    if (!d) throw notFound(ctx.pathname);
    return d;
  };
  api.route('GET', `${P}/SupportingDocuments/:sid`, (ctx) => ({
    status: 200,
    body: documentJson(ctx, doc(ctx)),
  }));
  api.route('POST', `${P}/SupportingDocuments/:sid`, (ctx) => {
    const d = doc(ctx);
    d.friendlyName = ctx.form.get('FriendlyName') ?? d.friendlyName;
    d.attributes = ctx.form.json('Attributes') ?? d.attributes;
    d.dateUpdated = ctx.engine.now();
    return { status: 200, body: documentJson(ctx, d) };
  });
  api.route('DELETE', `${P}/SupportingDocuments/:sid`, (ctx) => {
    const d = doc(ctx);
    delete ctx.engine.state.documents[d.sid];
    return { status: 204 };
  });
}

function registerBundles(api: Api, kind: BundleKind): void {
  const k = KINDS[kind];
  const collection = `${P}/${k.collection}`;
  const collectionUrl = `${BASE}/${k.collection}`;

  const find = (ctx: ApiContext, sid: string | undefined): Bundle => {
    const b = ctx.engine.state.bundles[pathSid(sid ?? '', 'BU', ctx.pathname)];
    if (!b || b.kind !== kind) throw notFound(ctx.pathname);
    return b;
  };

  // 004 / 000 1.2 / 2.2: FriendlyName, Email and PolicySid are required; StatusCallback is optional.
  api.route('POST', collection, (ctx) => {
    const friendlyName = ctx.form.required('FriendlyName');
    const email = ctx.form.required('Email');
    const policySid = ctx.form.sid('PolicySid', 'RN', true);
    if (!POLICIES[policySid]) throw invalidParam('PolicySid', `policy ${policySid} not found`);
    const statusCallback = ctx.form.get('StatusCallback') ?? null;
    if (statusCallback !== null && !/^https?:\/\/\S+$/.test(statusCallback))
      throw invalidParam('StatusCallback', 'must be an http(s) URL');
    const now = ctx.engine.now();
    const b: Bundle = {
      kind,
      sid: newSid('BU'),
      friendlyName,
      email,
      policySid,
      statusCallback,
      status: 'draft',
      failureReason: null,
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.state.bundles[b.sid] = b;
    return { status: 201, body: bundleJson(ctx, b) };
  });

  api.route('GET', collection, (ctx) => {
    const filters = {
      Status: ctx.query.get('Status'),
      FriendlyName: ctx.query.get('FriendlyName'),
      PolicySid: ctx.query.get('PolicySid'),
    };
    const items = Object.values(ctx.engine.state.bundles)
      .filter((b) => b.kind === kind)
      .filter((b) => filters.Status === undefined || b.status === filters.Status)
      .filter((b) => filters.FriendlyName === undefined || b.friendlyName === filters.FriendlyName)
      .filter((b) => filters.PolicySid === undefined || b.policySid === filters.PolicySid)
      .sort((a, b) => b.dateCreated - a.dateCreated)
      .map((b) => bundleJson(ctx, b));
    return {
      status: 200,
      body: v1Page(items, { url: collectionUrl, key: k.listKey, query: ctx.query, filters }),
    };
  });

  api.route('GET', `${collection}/:sid`, (ctx) => ({
    status: 200,
    body: bundleJson(ctx, find(ctx, ctx.path.sid)),
  }));

  api.route('POST', `${collection}/:sid`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const status = ctx.form.get('Status');
    if (status !== undefined) {
      // 004: "If the current verification status ... is draft, you may set the verification status to
      // pending-review ... No other values for status are permissible". A rejected bundle is resubmitted
      // the same way after remediation (000 1.9).
      if (status !== 'pending-review')
        throw new TwilioApiError(
          400,
          70002,
          `Invalid status transition: status can only be set to pending-review`,
        );
      if (b.status !== 'draft' && b.status !== 'twilio-rejected')
        throw new TwilioApiError(400, 70002, `Invalid status transition from ${b.status} to ${status}`);
    }
    b.friendlyName = ctx.form.get('FriendlyName') ?? b.friendlyName;
    b.email = ctx.form.get('Email') ?? b.email;
    b.statusCallback = ctx.form.get('StatusCallback') ?? b.statusCallback;
    b.dateUpdated = ctx.engine.now();
    if (status === 'pending-review') ctx.engine.submitBundle(b);
    return { status: 200, body: bundleJson(ctx, b) };
  });

  api.route('DELETE', `${collection}/:sid`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    delete ctx.engine.state.bundles[b.sid];
    for (const a of Object.values(ctx.engine.state.assignments))
      if (a.bundleSid === b.sid) delete ctx.engine.state.assignments[a.sid];
    return { status: 204 };
  });

  // ---- EntityAssignments (000 1.6 / 2.4)
  const assignmentJson = (
    ctx: ApiContext,
    a: { sid: string; bundleSid: string; objectSid: string; dateCreated: number },
  ) => ({
    sid: a.sid,
    [k.parentKey]: a.bundleSid,
    account_sid: ctx.engine.accountSid,
    object_sid: a.objectSid,
    date_created: isoDate(a.dateCreated),
    url: `${collectionUrl}/${a.bundleSid}/EntityAssignments/${a.sid}`,
  });

  api.route('POST', `${collection}/:sid/EntityAssignments`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const objectSid = ctx.form.required('ObjectSid');
    // 004: ObjectSid "Pattern: ^[a-zA-Z]{2}[0-9a-fA-F]{32}$"
    if (!OBJECT_SID.test(objectSid))
      throw invalidParam('ObjectSid', 'must match ^[a-zA-Z]{2}[0-9a-fA-F]{32}$');
    const s = ctx.engine.state;
    const exists = s.endUsers[objectSid] ?? s.documents[objectSid] ?? s.bundles[objectSid];
    if (!exists || objectSid === b.sid) throw new TwilioApiError(400, 22201, `Object ${objectSid} not found`);
    if (Object.values(s.assignments).some((a) => a.bundleSid === b.sid && a.objectSid === objectSid))
      throw new TwilioApiError(409, 22202, `Object ${objectSid} is already assigned to ${b.sid}`);
    const a = { sid: newSid('BV'), bundleSid: b.sid, objectSid, dateCreated: ctx.engine.now() };
    s.assignments[a.sid] = a;
    return { status: 201, body: assignmentJson(ctx, a) };
  });
  api.route('GET', `${collection}/:sid/EntityAssignments`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const objectType = ctx.query.get('ObjectType');
    const items = Object.values(ctx.engine.state.assignments)
      .filter((a) => a.bundleSid === b.sid)
      .filter(
        (a) =>
          objectType === undefined ||
          ctx.engine.state.endUsers[a.objectSid]?.type === objectType ||
          ctx.engine.state.documents[a.objectSid]?.type === objectType,
      )
      .sort((x, y) => x.dateCreated - y.dateCreated)
      .map((a) => assignmentJson(ctx, a));
    return {
      status: 200,
      body: v1Page(items, {
        url: `${collectionUrl}/${b.sid}/EntityAssignments`,
        key: k.assignmentsKey,
        query: ctx.query,
        filters: { ObjectType: objectType },
      }),
    };
  });
  const assignment = (ctx: ApiContext) => {
    const b = find(ctx, ctx.path.sid);
    const a = ctx.engine.state.assignments[pathSid(ctx.path.assignmentSid ?? '', 'BV', ctx.pathname)];
    if (!a || a.bundleSid !== b.sid) throw notFound(ctx.pathname);
    return a;
  };
  api.route('GET', `${collection}/:sid/EntityAssignments/:assignmentSid`, (ctx) => ({
    status: 200,
    body: assignmentJson(ctx, assignment(ctx)),
  }));
  api.route('DELETE', `${collection}/:sid/EntityAssignments/:assignmentSid`, (ctx) => {
    const a = assignment(ctx);
    delete ctx.engine.state.assignments[a.sid];
    return { status: 204 };
  });

  // ---- Evaluations (000 1.7 / 2.5, 004)
  const evaluationJson = (
    ctx: ApiContext,
    e: {
      sid: string;
      bundleSid: string;
      policySid: string;
      status: string;
      results: unknown[];
      dateCreated: number;
    },
  ) => ({
    sid: e.sid,
    account_sid: ctx.engine.accountSid,
    policy_sid: e.policySid,
    [k.parentKey]: e.bundleSid,
    status: e.status,
    results: e.results,
    date_created: isoDate(e.dateCreated),
    url: `${collectionUrl}/${e.bundleSid}/Evaluations/${e.sid}`,
  });
  api.route('POST', `${collection}/:sid/Evaluations`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const policySid = ctx.form.sid('PolicySid', 'RN', true);
    const policy = POLICIES[policySid];
    if (!policy) throw invalidParam('PolicySid', `policy ${policySid} not found`);
    const result = evaluate(ctx.engine.state, b, policy);
    const e = {
      sid: newSid('EL'),
      bundleSid: b.sid,
      policySid,
      status: result.status,
      results: result.results,
      dateCreated: ctx.engine.now(),
    };
    ctx.engine.state.evaluations[e.sid] = e;
    return { status: 201, body: evaluationJson(ctx, e) };
  });
  api.route('GET', `${collection}/:sid/Evaluations`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const items = Object.values(ctx.engine.state.evaluations)
      .filter((e) => e.bundleSid === b.sid)
      .sort((x, y) => y.dateCreated - x.dateCreated)
      .map((e) => evaluationJson(ctx, e));
    return {
      status: 200,
      body: v1Page(items, {
        url: `${collectionUrl}/${b.sid}/Evaluations`,
        key: k.evaluationsKey,
        query: ctx.query,
      }),
    };
  });
  api.route('GET', `${collection}/:sid/Evaluations/:evaluationSid`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const e = ctx.engine.state.evaluations[pathSid(ctx.path.evaluationSid ?? '', 'EL', ctx.pathname)];
    if (!e || e.bundleSid !== b.sid) throw notFound(ctx.pathname);
    return { status: 200, body: evaluationJson(ctx, e) };
  });
}
