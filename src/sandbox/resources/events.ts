import { subscribedEvent } from '../engine/event-streams';
import type { Api, ApiContext } from '../http';
import type { Sink, SubscribedEvent, Subscription } from '../state';
import { HOSTS, type Params, invalidParam, isoDate, notFound, pathSid, v1Page } from '../wire';

/**
 * Event Streams (https://events.twilio.com/v1): the Sink, Sink Test, Sink Validate, Subscription
 * and Subscribed Event resources, as Twilio's OpenAPI description (twilio_events_v1) renders them.
 */

const BASE = `${HOSTS.events}/v1`;
const P = '/events/v1';

function sinkJson(s: Sink) {
  const url = `${BASE}/Sinks/${s.sid}`;
  return {
    status: s.status,
    sink_configuration: s.configuration,
    description: s.description,
    sid: s.sid,
    date_created: isoDate(s.dateCreated),
    sink_type: s.sinkType,
    date_updated: isoDate(s.dateUpdated),
    url,
    links: { sink_test: `${url}/Test`, sink_validate: `${url}/Validate` },
  };
}

function subscriptionJson(ctx: ApiContext, s: Subscription) {
  const url = `${BASE}/Subscriptions/${s.sid}`;
  return {
    account_sid: ctx.engine.accountSid,
    date_created: isoDate(s.dateCreated),
    date_updated: isoDate(s.dateUpdated),
    sid: s.sid,
    sink_sid: s.sinkSid,
    description: s.description,
    url,
    links: { subscribed_events: `${url}/SubscribedEvents` },
    // Subscription property "Receive events from all children accounts in the parent account
    // subscription": the sandbox's subscriptions see their own account only.
    receive_events_from_subaccounts: false,
  };
}

function subscribedEventJson(ctx: ApiContext, s: Subscription, t: SubscribedEvent) {
  return {
    account_sid: ctx.engine.accountSid,
    type: t.type,
    schema_version: t.schemaVersion,
    subscription_sid: s.sid,
    url: `${BASE}/Subscriptions/${s.sid}/SubscribedEvents/${t.type}`,
  };
}

/** A schema version: a positive integer (Subscribed Event `schema_version`). */
function schemaVersion(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw invalidParam(name, `must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

/** Subscription create `Types`: each a JSON object `{"type": "...", "schema_version": n}`. */
function types(form: Params): SubscribedEvent[] {
  return form.all('Types').map((raw, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw invalidParam(
        `Types[${i}]`,
        `must be a JSON object {"type": ..., "schema_version": ...} (got ${raw})`,
      );
    const { type, schema_version: version } = parsed as Record<string, unknown>;
    if (typeof type !== 'string' || type === '')
      throw invalidParam(`Types[${i}].type`, 'must be a non-empty event type string');
    return subscribedEvent(type, schemaVersion(version, `Types[${i}].schema_version`));
  });
}

export function registerEvents(api: Api): void {
  const sink = (ctx: ApiContext): Sink => {
    const s = ctx.engine.eventStreams.sink(pathSid(ctx.path.sid ?? '', 'DG', ctx.pathname));
    if (!s) throw notFound(ctx.pathname);
    return s;
  };
  const subscription = (ctx: ApiContext): Subscription => {
    const s = ctx.engine.eventStreams.subscription(pathSid(ctx.path.sid ?? '', 'DF', ctx.pathname));
    if (!s) throw notFound(ctx.pathname);
    return s;
  };

  // ---- Sinks
  api.route('POST', `${P}/Sinks`, (ctx) => {
    const f = ctx.form;
    const description = f.required('Description');
    const sinkType = f.required('SinkType');
    f.required('SinkConfiguration');
    const configuration = f.json('SinkConfiguration') ?? {};
    const s = ctx.engine.eventStreams.createSink({ description, sinkType, configuration });
    return { status: 201, body: sinkJson(s) };
  });
  api.route('GET', `${P}/Sinks`, (ctx) => {
    const inUse = ctx.query.bool('InUse');
    const status = ctx.query.get('Status');
    if (status !== undefined && !['initialized', 'validating', 'active', 'failed'].includes(status))
      throw invalidParam('Status', 'must be one of initialized, validating, active, failed');
    const items = ctx.engine.eventStreams.sinks({ inUse, status }).map(sinkJson);
    return {
      status: 200,
      body: v1Page(items, {
        url: `${BASE}/Sinks`,
        key: 'sinks',
        query: ctx.query,
        filters: { InUse: ctx.query.get('InUse'), Status: status },
      }),
    };
  });
  api.route('GET', `${P}/Sinks/:sid`, (ctx) => ({ status: 200, body: sinkJson(sink(ctx)) }));
  api.route('POST', `${P}/Sinks/:sid`, (ctx) => {
    const s = sink(ctx);
    ctx.engine.eventStreams.updateSink(s, ctx.form.required('Description'));
    return { status: 200, body: sinkJson(s) };
  });
  api.route('DELETE', `${P}/Sinks/:sid`, (ctx) => {
    ctx.engine.eventStreams.deleteSink(sink(ctx));
    return { status: 204 };
  });
  api.route('POST', `${P}/Sinks/:sid/Test`, (ctx) => {
    ctx.engine.eventStreams.testSink(sink(ctx));
    // Sink Test: `result` "Feedback indicating whether the test event was generated" ("submitted").
    return { status: 201, body: { result: 'submitted' } };
  });
  api.route('POST', `${P}/Sinks/:sid/Validate`, (ctx) => {
    sink(ctx);
    ctx.form.required('TestId');
    // Sink Validate page: "A request to create a new Sink Validation Resource always returns a
    // result property with a value of valid (to avoid disrupting existing customer workflows)."
    return { status: 201, body: { result: 'valid' } };
  });

  // ---- Subscriptions
  api.route('POST', `${P}/Subscriptions`, (ctx) => {
    const f = ctx.form;
    const description = f.required('Description');
    const sinkSid = f.sid('SinkSid', 'DG', true);
    // Without Types the twilio package sends no `Types` at all: an empty list (91103).
    const s = ctx.engine.eventStreams.createSubscription({ description, sinkSid, types: types(f) });
    return { status: 201, body: subscriptionJson(ctx, s) };
  });
  api.route('GET', `${P}/Subscriptions`, (ctx) => {
    const sinkSid = ctx.query.sid('SinkSid', 'DG');
    const items = ctx.engine.eventStreams.subscriptions({ sinkSid }).map((s) => subscriptionJson(ctx, s));
    return {
      status: 200,
      body: v1Page(items, {
        url: `${BASE}/Subscriptions`,
        key: 'subscriptions',
        query: ctx.query,
        filters: { SinkSid: sinkSid },
      }),
    };
  });
  api.route('GET', `${P}/Subscriptions/:sid`, (ctx) => ({
    status: 200,
    body: subscriptionJson(ctx, subscription(ctx)),
  }));
  api.route('POST', `${P}/Subscriptions/:sid`, (ctx) => {
    const s = subscription(ctx);
    ctx.engine.eventStreams.updateSubscription(s, ctx.form.get('Description'));
    return { status: 200, body: subscriptionJson(ctx, s) };
  });
  api.route('DELETE', `${P}/Subscriptions/:sid`, (ctx) => {
    ctx.engine.eventStreams.deleteSubscription(subscription(ctx));
    return { status: 204 };
  });

  // ---- Subscribed Events
  const subscribed = (ctx: ApiContext): [Subscription, SubscribedEvent] => {
    const s = subscription(ctx);
    const t = s.types.find((x) => x.type === ctx.path.type);
    if (!t) throw notFound(ctx.pathname);
    return [s, t];
  };
  api.route('GET', `${P}/Subscriptions/:sid/SubscribedEvents`, (ctx) => {
    const s = subscription(ctx);
    return {
      status: 200,
      body: v1Page(
        s.types.map((t) => subscribedEventJson(ctx, s, t)),
        { url: `${BASE}/Subscriptions/${s.sid}/SubscribedEvents`, key: 'types', query: ctx.query },
      ),
    };
  });
  api.route('POST', `${P}/Subscriptions/:sid/SubscribedEvents`, (ctx) => {
    const s = subscription(ctx);
    const type = subscribedEvent(
      ctx.form.required('Type'),
      schemaVersion(ctx.form.get('SchemaVersion'), 'SchemaVersion'),
    );
    const added = ctx.engine.eventStreams.addType(s, type);
    return { status: 201, body: subscribedEventJson(ctx, s, added) };
  });
  api.route('GET', `${P}/Subscriptions/:sid/SubscribedEvents/:type`, (ctx) => {
    const [s, t] = subscribed(ctx);
    return { status: 200, body: subscribedEventJson(ctx, s, t) };
  });
  api.route('POST', `${P}/Subscriptions/:sid/SubscribedEvents/:type`, (ctx) => {
    const [s, t] = subscribed(ctx);
    ctx.engine.eventStreams.updateType(s, t, schemaVersion(ctx.form.get('SchemaVersion'), 'SchemaVersion'));
    return { status: 200, body: subscribedEventJson(ctx, s, t) };
  });
  api.route('DELETE', `${P}/Subscriptions/:sid/SubscribedEvents/:type`, (ctx) => {
    const [s, t] = subscribed(ctx);
    ctx.engine.eventStreams.removeType(s, t);
    return { status: 204 };
  });
}
