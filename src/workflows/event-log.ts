/** What an {@link EventLog} remembers: plain records and arrays, so it survives continue-as-new. */
export interface EventLogState {
  seen: Record<string, string[]>;
  latest: Record<string, string>;
}

/**
 * Twilio and TCR deliver events at least once and in any order. An EventLog remembers, per
 * resource, the event ids it has seen (bounded) and the newest event time, so duplicates and
 * stale events are dropped.
 */
export class EventLog {
  constructor(
    readonly state: EventLogState = { seen: {}, latest: {} },
    private readonly capacity = 100,
  ) {}

  /** True when the event is new and not older than what is already known about `resource`. */
  accept(event: { eventId: string; occurredAt: string }, resource: string): boolean {
    const seen = (this.state.seen[resource] ??= []);
    if (seen.includes(event.eventId)) return false;
    seen.push(event.eventId);
    if (seen.length > this.capacity) seen.shift();
    const known = this.state.latest[resource];
    if (known !== undefined && Date.parse(event.occurredAt) < Date.parse(known)) return false;
    this.state.latest[resource] = event.occurredAt;
    return true;
  }

  /**
   * Forgets what was seen about `resource`. After a resubmission the same callback (the same
   * status with the same reason, hence the same digest id) is news again.
   */
  reset(resource: string): void {
    delete this.state.seen[resource];
    delete this.state.latest[resource];
  }
}
