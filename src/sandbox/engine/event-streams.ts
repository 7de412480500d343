import { randomBytes, randomUUID } from 'node:crypto';
import type { CloudEvent } from '../callbacks';
import { newSid, type Sink, type StateData, type SubscribedEvent, type Subscription } from '../state';
import { TwilioApiError } from '../wire';
import type { EngineCore } from './core';
import { schemaVersionOf } from './events';

/**
 * Event Streams (events.twilio.com/v1): webhook Sinks, Subscriptions and their Subscribed Events,
 * each account's own (reference README, ISVs: "a sink and subscription see only their own
 * account"). An event goes to every sink of the account that owns it whose subscriptions name its
 * type; the configured sink URL of the sandbox is the main account's and keeps receiving all of
 * that account's events (see {@link EngineCore.batched}).
 */

/** The A2P event types Twilio documents (reference README, event types table). */
const A2P_TYPES = new Set(
  [
    'a2p-resource-cleanup-finished',
    'a2p-resource-cleanup-started',
    'brand-registration.brand-failure',
    'brand-registration.brand-registered',
    'brand-registration.brand-secondary-vetting-failure',
    'brand-registration.brand-unverified',
    'brand-registration.brand-verified',
    'brand-registration.brand-vetted-verified',
    'brand-registration.email-2fa-clicked',
    'brand-registration.email-2fa-completed',
    'brand-registration.email-2fa-opened',
    'brand-registration.email-2fa-sent',
    'brand-registration.email-2fa-timeout',
    'brand-registration.invalid-contact-email',
    'brand-registration.sharing-created',
    'brand-registration.sharing-deleted',
    'campaign-registration.campaign-approved',
    'campaign-registration.campaign-deleted',
    'campaign-registration.campaign-failure',
    'campaign-registration.campaign-submitted',
    'campaign-registration.suspended-campaign-delete-submitted',
    'number-deregistration.failed',
    'number-deregistration.pending',
    'number-deregistration.successful',
    'number-registration.failed',
    'number-registration.pending',
    'number-registration.successful',
  ].map((t) => `com.twilio.messaging.compliance.${t}`),
);

export const TEST_EVENT_TYPE = 'com.twilio.eventstreams.test-event';

/** Error 91000: "Sink could not be created" (bad configuration). */
const sinkRefused = (why: string) => new TwilioApiError(400, 91000, `Sink could not be created: ${why}`);
/** Error 91001: "Sink could not be found". */
const sinkNotFound = (sid: string) => new TwilioApiError(400, 91001, `Sink could not be found: ${sid}`);
/** Error 91101: "Subscription could not be created" (duplicated event types, empty description). */
const subscriptionRefused = (why: string) =>
  new TwilioApiError(400, 91101, `Subscription could not be created: ${why}`);

export interface SinkRequest {
  description: string;
  sinkType: string;
  configuration: Record<string, unknown>;
}

/** A destination and the events of one step that go to it. */
export interface SinkDelivery {
  destination: string;
  batchEvents: boolean;
  events: CloudEvent[];
}

function sinksOf(state: StateData): Record<string, Sink> {
  return (state.sinks ??= {});
}

function subscriptionsOf(state: StateData): Record<string, Subscription> {
  return (state.subscriptions ??= {});
}

/**
 * Where the events one step emitted for the account whose state this is go: per destination, the
 * events whose type a subscription of a sink there names, in the order they were emitted. Two
 * sinks with the same destination receive each event once.
 */
export function sinkDeliveries(state: StateData, events: CloudEvent[]): SinkDelivery[] {
  const subscriptions = Object.values(state.subscriptions ?? {});
  if (subscriptions.length === 0) return [];
  const byDestination = new Map<string, { batchEvents: boolean; types: Set<string> }>();
  for (const sink of Object.values(state.sinks ?? {}).sort((a, b) => a.dateCreated - b.dateCreated)) {
    if (sink.status !== 'active') continue;
    const types = subscriptions
      .filter((s) => s.sinkSid === sink.sid)
      .flatMap((s) => s.types.map((t) => t.type));
    if (types.length === 0) continue;
    const entry = byDestination.get(sink.destination);
    if (entry) for (const t of types) entry.types.add(t);
    else byDestination.set(sink.destination, { batchEvents: sink.batchEvents, types: new Set(types) });
  }
  return [...byDestination]
    .map(([destination, { batchEvents, types }]) => ({
      destination,
      batchEvents,
      events: events.filter((e) => types.has(e.type)),
    }))
    .filter((d) => d.events.length > 0);
}

export class EventStreams {
  constructor(private readonly core: EngineCore) {}

  private get sinkMap(): Record<string, Sink> {
    return sinksOf(this.core.state);
  }

  private get subscriptionMap(): Record<string, Subscription> {
    return subscriptionsOf(this.core.state);
  }

  // ---- Sinks

  createSink(request: SinkRequest): Sink {
    // 91000's causes: "Description cannot be empty", "Sink configuration values cannot be empty",
    // "Sink type must be Kinesis or Webhook".
    if (request.description.trim() === '') throw sinkRefused('Description cannot be empty');
    if (!['webhook', 'kinesis', 'segment'].includes(request.sinkType))
      throw sinkRefused(`SinkType must be webhook, kinesis or segment (got ${request.sinkType})`);
    if (request.sinkType !== 'webhook')
      throw new TwilioApiError(
        400,
        20001,
        `Invalid parameter SinkType: the sandbox delivers to webhook sinks only (got ${request.sinkType})`,
      );
    const config = request.configuration;
    const destination = config.destination;
    if (typeof destination !== 'string' || destination === '')
      throw sinkRefused('SinkConfiguration.destination cannot be empty');
    let url: URL;
    try {
      url = new URL(destination);
    } catch {
      throw sinkRefused(`SinkConfiguration.destination must be a URL (got ${destination})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw sinkRefused(`SinkConfiguration.destination must be an http(s) URL (got ${destination})`);
    const method = config.method;
    if (typeof method !== 'string' || method === '')
      throw sinkRefused('SinkConfiguration.method cannot be empty');
    if (method.toUpperCase() === 'GET')
      // The Sink resource allows GET, but Twilio does not document how a GET delivery carries the
      // events (reference README: NOT FOUND), so the sandbox cannot send one.
      throw new TwilioApiError(
        400,
        20001,
        'Invalid parameter SinkConfiguration.method: the sandbox delivers with POST only (how Twilio sends events with GET is not documented)',
      );
    if (method.toUpperCase() !== 'POST')
      throw sinkRefused(`SinkConfiguration.method must be POST or GET (got ${method})`);
    const now = this.core.now();
    const sink: Sink = {
      sid: newSid('DG'),
      description: request.description,
      sinkType: 'webhook',
      destination,
      method: 'POST',
      batchEvents: batchEvents(config.batch_events),
      configuration: config,
      // Sink Validate page: "The status of Webhook Sinks will be active by default."
      status: 'active',
      lastTestId: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.sinkMap[sink.sid] = sink;
    return sink;
  }

  sink(sid: string): Sink | undefined {
    return this.sinkMap[sid];
  }

  /** Oldest first. Sink list filters: `InUse` (used by a subscription or not) and `Status`. */
  sinks(filters: { inUse?: boolean; status?: string } = {}): Sink[] {
    const used = new Set(Object.values(this.subscriptionMap).map((s) => s.sinkSid));
    return Object.values(this.sinkMap)
      .filter((s) => filters.inUse === undefined || used.has(s.sid) === filters.inUse)
      .filter((s) => filters.status === undefined || s.status === filters.status)
      .sort((a, b) => a.dateCreated - b.dateCreated || a.sid.localeCompare(b.sid));
  }

  updateSink(sink: Sink, description: string): void {
    if (description.trim() === '') throw sinkRefused('Description cannot be empty');
    sink.description = description;
    sink.dateUpdated = this.core.now();
  }

  deleteSink(sink: Sink): void {
    // Error 91007 "Sink still in use": "There are subscriptions using this sink".
    const users = Object.values(this.subscriptionMap).filter((s) => s.sinkSid === sink.sid);
    if (users.length > 0)
      throw new TwilioApiError(
        400,
        91007,
        `Sink cannot be deleted because it is still in use by ${users.map((s) => s.sid).join(', ')}`,
      );
    delete this.sinkMap[sink.sid];
  }

  /**
   * Sink Test: "This will publish a test event to your Sink". The event has the shape of the
   * reference's eventstreams.test-event.json; it goes to the sink whatever its subscriptions.
   */
  testSink(sink: Sink): void {
    const testId = randomUUID();
    sink.lastTestId = testId;
    const event: CloudEvent = {
      specversion: '1.0',
      type: TEST_EVENT_TYPE,
      source: 'Sink',
      id: `NO${randomBytes(16).toString('hex')}`,
      dataschema: 'https://events-schemas.twilio.com/EventStreams.TestSink/1.json',
      datacontenttype: 'application/json',
      time: new Date(this.core.now()).toISOString(),
      data: { test_id: testId },
    };
    this.core.deliverer.events(sink.destination, [event], this.core.authToken);
  }

  // ---- Subscriptions

  createSubscription(request: {
    description: string;
    sinkSid: string;
    types: SubscribedEvent[];
  }): Subscription {
    if (request.description.trim() === '') throw subscriptionRefused('Description cannot be empty');
    const sink = this.sinkMap[request.sinkSid];
    if (!sink) throw sinkNotFound(request.sinkSid);
    // Subscription resource: "Sink must be active for the subscription to be created." (91100)
    if (sink.status !== 'active')
      throw new TwilioApiError(
        400,
        91100,
        `Subscription could not be created: sink ${sink.sid} is not active`,
      );
    // Error 91103: "Event types cannot be empty".
    if (request.types.length === 0)
      throw new TwilioApiError(400, 91103, 'Event type list is empty: Types needs at least one event type');
    const seen = new Set<string>();
    for (const t of request.types) {
      if (seen.has(t.type)) throw subscriptionRefused(`event type ${t.type} is duplicated`);
      seen.add(t.type);
    }
    const now = this.core.now();
    const subscription: Subscription = {
      sid: newSid('DF'),
      sinkSid: sink.sid,
      description: request.description,
      types: request.types.map((t) => ({ ...t })),
      dateCreated: now,
      dateUpdated: now,
    };
    this.subscriptionMap[subscription.sid] = subscription;
    return subscription;
  }

  subscription(sid: string): Subscription | undefined {
    return this.subscriptionMap[sid];
  }

  /** Oldest first; Subscription list filter: `SinkSid`. */
  subscriptions(filters: { sinkSid?: string } = {}): Subscription[] {
    return Object.values(this.subscriptionMap)
      .filter((s) => filters.sinkSid === undefined || s.sinkSid === filters.sinkSid)
      .sort((a, b) => a.dateCreated - b.dateCreated || a.sid.localeCompare(b.sid));
  }

  updateSubscription(subscription: Subscription, description: string | undefined): void {
    if (description !== undefined) {
      if (description.trim() === '') throw new TwilioApiError(400, 20001, 'Description cannot be empty');
      subscription.description = description;
    }
    subscription.dateUpdated = this.core.now();
  }

  deleteSubscription(subscription: Subscription): void {
    delete this.subscriptionMap[subscription.sid];
  }

  // ---- Subscribed Events

  addType(subscription: Subscription, type: SubscribedEvent): SubscribedEvent {
    if (subscription.types.some((t) => t.type === type.type))
      throw subscriptionRefused(`event type ${type.type} is duplicated`);
    const added = { ...type };
    subscription.types.push(added);
    subscription.dateUpdated = this.core.now();
    return added;
  }

  updateType(subscription: Subscription, type: SubscribedEvent, schemaVersion: number | undefined): void {
    if (schemaVersion !== undefined) type.schemaVersion = schemaVersion;
    subscription.dateUpdated = this.core.now();
  }

  removeType(subscription: Subscription, type: SubscribedEvent): void {
    subscription.types = subscription.types.filter((t) => t.type !== type.type);
    subscription.dateUpdated = this.core.now();
  }
}

/**
 * A subscribed type, checked: Error 91104 "Event type not found" ("Event type is not supported by
 * our system"). The A2P compliance types are checked against the documented list, so a misspelt
 * one is refused; other Twilio products' types are accepted (the sandbox never sends them). Subscribed
 * Event page: without a version "the last available schema version will be used".
 */
export function subscribedEvent(type: string, schemaVersion: number | undefined): SubscribedEvent {
  const compliance = type.startsWith('com.twilio.messaging.compliance.');
  if (!/^com\.twilio\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(type) || (compliance && !A2P_TYPES.has(type)))
    throw new TwilioApiError(400, 91104, `Event type not found: ${type}`);
  return { type, schemaVersion: schemaVersion ?? schemaVersionOf(type) ?? 1 };
}

/** `batch_events` (a boolean; the helper-library samples pass it as a string). Absent: single events. */
function batchEvents(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw sinkRefused(`SinkConfiguration.batch_events must be true or false (got ${JSON.stringify(value)})`);
}
