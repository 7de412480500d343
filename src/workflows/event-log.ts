/**
 * Twilio and TCR deliver events at least once and in any order. An EventLog remembers the ids it
 * has seen (bounded) and the newest event time per resource, so duplicates and stale events are
 * dropped. Plain arrays and records, so the state survives queries and continue-as-new.
 */
export class EventLog {
  private readonly seen: string[] = [];
  private readonly latest: Record<string, string> = {};

  constructor(private readonly capacity = 500) {}

  /** True when the event is new and not older than what is already known about `resource`. */
  accept(event: { eventId: string; occurredAt: string }, resource: string): boolean {
    if (this.seen.includes(event.eventId)) return false;
    this.seen.push(event.eventId);
    if (this.seen.length > this.capacity) this.seen.shift();
    const known = this.latest[resource];
    if (known !== undefined && Date.parse(event.occurredAt) < Date.parse(known)) return false;
    this.latest[resource] = event.occurredAt;
    return true;
  }
}
