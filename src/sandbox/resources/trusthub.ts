import type { Api, ApiContext } from '../http';
import { POLICIES, policyResource } from '../trust-policies';
import type { Assignment, Bundle, BundleKind, EndUser, Evaluation, SupportingDocument } from '../state';
import { HOSTS, isoDate, notFound, pathSid, v1Page } from '../wire';

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
    // 004's examples show null; a rejected bundle lists why.
    errors: b.status === 'twilio-rejected' && b.errors?.length ? b.errors : null,
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
    const user = ctx.engine.trustHub.createEndUser({
      friendlyName: ctx.form.required('FriendlyName'),
      type: ctx.form.required('Type'),
      attributes: ctx.form.json('Attributes') ?? {},
    });
    return { status: 201, body: endUserJson(ctx, user) };
  });
  api.route('GET', `${P}/EndUsers`, (ctx) => ({
    status: 200,
    body: v1Page(
      ctx.engine.trustHub.endUsers().map((u) => endUserJson(ctx, u)),
      { url: `${BASE}/EndUsers`, key: 'results', query: ctx.query },
    ),
  }));
  const endUser = (ctx: ApiContext) => {
    const u = ctx.engine.trustHub.endUser(pathSid(ctx.path.sid ?? '', 'IT', ctx.pathname));
    if (!u) throw notFound(ctx.pathname);
    return u;
  };
  api.route('GET', `${P}/EndUsers/:sid`, (ctx) => ({ status: 200, body: endUserJson(ctx, endUser(ctx)) }));
  api.route('POST', `${P}/EndUsers/:sid`, (ctx) => {
    const u = endUser(ctx);
    ctx.engine.trustHub.updateEndUser(u, {
      friendlyName: ctx.form.get('FriendlyName'),
      attributes: ctx.form.json('Attributes'),
    });
    return { status: 200, body: endUserJson(ctx, u) };
  });
  api.route('DELETE', `${P}/EndUsers/:sid`, (ctx) => {
    ctx.engine.trustHub.deleteEndUser(endUser(ctx));
    return { status: 204 };
  });

  // ---- SupportingDocuments (000 1.5)
  api.route('POST', `${P}/SupportingDocuments`, (ctx) => {
    const doc = ctx.engine.trustHub.createDocument({
      friendlyName: ctx.form.required('FriendlyName'),
      type: ctx.form.required('Type'),
      attributes: ctx.form.json('Attributes') ?? {},
    });
    return { status: 201, body: documentJson(ctx, doc) };
  });
  api.route('GET', `${P}/SupportingDocuments`, (ctx) => ({
    status: 200,
    body: v1Page(
      ctx.engine.trustHub.documents().map((d) => documentJson(ctx, d)),
      { url: `${BASE}/SupportingDocuments`, key: 'results', query: ctx.query },
    ),
  }));
  const doc = (ctx: ApiContext) => {
    const d = ctx.engine.trustHub.document(pathSid(ctx.path.sid ?? '', 'RD', ctx.pathname));
    if (!d) throw notFound(ctx.pathname);
    return d;
  };
  api.route('GET', `${P}/SupportingDocuments/:sid`, (ctx) => ({
    status: 200,
    body: documentJson(ctx, doc(ctx)),
  }));
  api.route('POST', `${P}/SupportingDocuments/:sid`, (ctx) => {
    const d = doc(ctx);
    ctx.engine.trustHub.updateDocument(d, {
      friendlyName: ctx.form.get('FriendlyName'),
      attributes: ctx.form.json('Attributes'),
    });
    return { status: 200, body: documentJson(ctx, d) };
  });
  api.route('DELETE', `${P}/SupportingDocuments/:sid`, (ctx) => {
    ctx.engine.trustHub.deleteDocument(doc(ctx));
    return { status: 204 };
  });
}

function registerBundles(api: Api, kind: BundleKind): void {
  const k = KINDS[kind];
  const collection = `${P}/${k.collection}`;
  const collectionUrl = `${BASE}/${k.collection}`;

  const find = (ctx: ApiContext, sid: string | undefined): Bundle => {
    const b = ctx.engine.trustHub.bundle(kind, pathSid(sid ?? '', 'BU', ctx.pathname));
    if (!b) throw notFound(ctx.pathname);
    return b;
  };

  // 004 / 000 1.2 / 2.2: FriendlyName, Email and PolicySid are required; StatusCallback is optional.
  api.route('POST', collection, (ctx) => {
    const b = ctx.engine.trustHub.createBundle({
      kind,
      friendlyName: ctx.form.required('FriendlyName'),
      email: ctx.form.required('Email'),
      policySid: ctx.form.sid('PolicySid', 'RN', true),
      statusCallback: ctx.form.get('StatusCallback') ?? null,
    });
    return { status: 201, body: bundleJson(ctx, b) };
  });

  api.route('GET', collection, (ctx) => {
    const filters = {
      Status: ctx.query.get('Status'),
      FriendlyName: ctx.query.get('FriendlyName'),
      PolicySid: ctx.query.get('PolicySid'),
    };
    const items = ctx.engine.trustHub
      .bundles(kind, {
        status: filters.Status,
        friendlyName: filters.FriendlyName,
        policySid: filters.PolicySid,
      })
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
    ctx.engine.trustHub.updateBundle(b, {
      status: ctx.form.get('Status'),
      friendlyName: ctx.form.get('FriendlyName'),
      email: ctx.form.get('Email'),
      statusCallback: ctx.form.get('StatusCallback'),
    });
    return { status: 200, body: bundleJson(ctx, b) };
  });

  api.route('DELETE', `${collection}/:sid`, (ctx) => {
    ctx.engine.trustHub.deleteBundle(find(ctx, ctx.path.sid));
    return { status: 204 };
  });

  // ---- EntityAssignments (000 1.6 / 2.4)
  const assignmentJson = (ctx: ApiContext, a: Assignment) => ({
    sid: a.sid,
    [k.parentKey]: a.bundleSid,
    account_sid: ctx.engine.accountSid,
    object_sid: a.objectSid,
    date_created: isoDate(a.dateCreated),
    url: `${collectionUrl}/${a.bundleSid}/EntityAssignments/${a.sid}`,
  });

  api.route('POST', `${collection}/:sid/EntityAssignments`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const a = ctx.engine.trustHub.assign(b, ctx.form.required('ObjectSid'));
    return { status: 201, body: assignmentJson(ctx, a) };
  });
  api.route('GET', `${collection}/:sid/EntityAssignments`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const objectType = ctx.query.get('ObjectType');
    const items = ctx.engine.trustHub.assignments(b.sid, objectType).map((a) => assignmentJson(ctx, a));
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
    const a = ctx.engine.trustHub.assignment(
      b.sid,
      pathSid(ctx.path.assignmentSid ?? '', 'BV', ctx.pathname),
    );
    if (!a) throw notFound(ctx.pathname);
    return a;
  };
  api.route('GET', `${collection}/:sid/EntityAssignments/:assignmentSid`, (ctx) => ({
    status: 200,
    body: assignmentJson(ctx, assignment(ctx)),
  }));
  api.route('DELETE', `${collection}/:sid/EntityAssignments/:assignmentSid`, (ctx) => {
    ctx.engine.trustHub.unassign(assignment(ctx));
    return { status: 204 };
  });

  // ---- Evaluations (000 1.7 / 2.5, 004)
  const evaluationJson = (ctx: ApiContext, e: Evaluation) => ({
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
    const e = ctx.engine.trustHub.evaluate(b, ctx.form.sid('PolicySid', 'RN', true));
    return { status: 201, body: evaluationJson(ctx, e) };
  });
  api.route('GET', `${collection}/:sid/Evaluations`, (ctx) => {
    const b = find(ctx, ctx.path.sid);
    const items = ctx.engine.trustHub.evaluations(b.sid).map((e) => evaluationJson(ctx, e));
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
    const e = ctx.engine.trustHub.evaluation(
      b.sid,
      pathSid(ctx.path.evaluationSid ?? '', 'EL', ctx.pathname),
    );
    if (!e) throw notFound(ctx.pathname);
    return { status: 200, body: evaluationJson(ctx, e) };
  });
}
