import { randomInt } from 'node:crypto';
import {
  newSid,
  type Campaign,
  type MessagingService,
  type NumberRegistration,
  type Review,
  type ServiceNumber,
} from '../state';
import { TwilioApiError } from '../wire';
import type { EngineCore } from './core';
import { campaignEventSid, numberEvent } from './events';
import { NUMBER_REGISTRATION_FAILURE, NUMBER_REGISTRATION_FAIL_SUFFIX } from '../outcomes';
import type { Engine } from './index';

/**
 * Messaging Services (000 step 4) and their sender pool (000 step 6): which numbers a service may
 * hold, what deleting a service takes with it, and each number's A2P registration for the
 * service's campaign (Event Streams number-registration and number-deregistration events).
 */
export class Services {
  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
  ) {
    core.reviews.register('number-registration', {
      step: (review) => this.stepRegistration(review),
      status: (pn) => this.core.state.numberRegistrations[pn]?.status ?? 'unregistered',
    });
  }

  private get state() {
    return this.core.state;
  }

  create(fields: {
    friendlyName: string;
    usecase: string | undefined;
    statusCallback: string | null;
    inboundRequestUrl: string | null;
  }): MessagingService {
    const now = this.core.now();
    const s: MessagingService = {
      sid: newSid('MG'),
      friendlyName: fields.friendlyName,
      // 003: without a Usecase "Twilio will assign the default value undeclared"
      usecase: fields.usecase ?? 'undeclared',
      statusCallback: fields.statusCallback,
      inboundRequestUrl: fields.inboundRequestUrl,
      dateCreated: now,
      dateUpdated: now,
    };
    this.state.services[s.sid] = s;
    return s;
  }

  /** Oldest first. */
  list(): MessagingService[] {
    return Object.values(this.state.services).sort((a, b) => a.dateCreated - b.dateCreated);
  }

  get(sid: string): MessagingService | undefined {
    return this.state.services[sid];
  }

  update(
    s: MessagingService,
    patch: { friendlyName?: string; usecase?: string; statusCallback?: string },
  ): void {
    s.friendlyName = patch.friendlyName ?? s.friendlyName;
    s.usecase = patch.usecase ?? s.usecase;
    s.statusCallback = patch.statusCallback ?? s.statusCallback;
    s.dateUpdated = this.core.now();
  }

  /** 000 5: "deleting its associated Messaging Service ... will necessarily mean deleting the Campaign itself" */
  remove(s: MessagingService): void {
    const campaign = this.engine.campaigns.ofService(s.sid);
    if (campaign) this.engine.campaigns.remove(campaign);
    for (const n of this.numbersOf(s.sid)) delete this.state.serviceNumbers[n.phoneNumberSid];
    delete this.state.services[s.sid];
  }

  // ---- the sender pool (000 6)

  /** Oldest first. */
  numbersOf(serviceSid: string): ServiceNumber[] {
    return Object.values(this.state.serviceNumbers)
      .filter((n) => n.serviceSid === serviceSid)
      .sort((a, b) => a.dateCreated - b.dateCreated);
  }

  /** The Messaging Service holding a number, if any (a number joins one service at most). */
  holderOf(phoneNumberSid: string): string | undefined {
    return this.state.serviceNumbers[phoneNumberSid]?.serviceSid;
  }

  number(serviceSid: string, phoneNumberSid: string): ServiceNumber | undefined {
    const n = this.state.serviceNumbers[phoneNumberSid];
    return n?.serviceSid === serviceSid ? n : undefined;
  }

  addNumber(s: MessagingService, phoneNumberSid: string): ServiceNumber {
    if (!this.engine.account.number(phoneNumberSid))
      throw new TwilioApiError(400, 21450, `Phone Number ${phoneNumberSid} not found on this account`);
    const current = this.state.serviceNumbers[phoneNumberSid];
    if (current?.serviceSid === s.sid)
      throw new TwilioApiError(409, 21710, 'Phone Number is already in the Messaging Service');
    // A number belongs to at most one Messaging Service.
    if (current)
      throw new TwilioApiError(
        409,
        21712,
        `Phone Number is already in Messaging Service ${current.serviceSid}`,
      );
    const entry: ServiceNumber = { phoneNumberSid, serviceSid: s.sid, dateCreated: this.core.now() };
    this.state.serviceNumbers[phoneNumberSid] = entry;
    const campaign = this.engine.campaigns.ofService(s.sid);
    if (campaign?.status === 'VERIFIED') this.registerNumbers(campaign, [entry]);
    return entry;
  }

  removeNumber(n: ServiceNumber): void {
    delete this.state.serviceNumbers[n.phoneNumberSid];
    this.deregister(n.phoneNumberSid);
  }

  // ---- A2P registration of the numbers (Event Streams number-registration / -deregistration)

  /** The number registrations of a service (for the control API and tests). */
  registrationsOf(serviceSid: string): NumberRegistration[] {
    return Object.values(this.state.numberRegistrations).filter((r) => r.serviceSid === serviceSid);
  }

  /** A campaign became VERIFIED: the numbers in its service are registered for it. */
  campaignVerified(c: Campaign): void {
    this.registerNumbers(c, this.numbersOf(c.messagingServiceSid));
  }

  /** The service's campaign was deleted: its numbers are deregistered. */
  campaignGone(serviceSid: string): void {
    for (const r of this.registrationsOf(serviceSid)) this.deregister(r.phoneNumberSid);
  }

  private registerNumbers(c: Campaign, candidates: ServiceNumber[]): void {
    const fresh = candidates.filter((n) => !this.state.numberRegistrations[n.phoneNumberSid]);
    let chosen = fresh;
    if (c.usecase === 'SOLE_PROPRIETOR') {
      // 000 6.1: "If you associate more than one phone number with this Messaging Service (or reuse a
      // Messaging Service with more than one number attached), Twilio will randomly pick from among
      // these to register one for A2P use."
      if (this.registrationsOf(c.messagingServiceSid).length > 0 || fresh.length === 0) return;
      chosen = [fresh[randomInt(fresh.length)]];
    }
    for (const n of chosen) {
      const registration: NumberRegistration = {
        phoneNumberSid: n.phoneNumberSid,
        serviceSid: c.messagingServiceSid,
        campaignSid: campaignEventSid(c),
        status: 'pending_registration',
        dateUpdated: this.core.now(),
      };
      this.state.numberRegistrations[n.phoneNumberSid] = registration;
      this.core.emit(numberEvent(this.core, 'number-registration.pending', this.subject(registration)));
      this.scheduleRegistration(n.phoneNumberSid, 'registration');
    }
  }

  private deregister(phoneNumberSid: string): void {
    const registration = this.state.numberRegistrations[phoneNumberSid];
    if (!registration || registration.status === 'pending_deregistration') return;
    // A number whose registration failed was never registered: there is nothing to deregister.
    if (registration.status === 'failed') {
      delete this.state.numberRegistrations[phoneNumberSid];
      return;
    }
    registration.status = 'pending_deregistration';
    registration.dateUpdated = this.core.now();
    this.core.emit(numberEvent(this.core, 'number-deregistration.pending', this.subject(registration)));
    this.scheduleRegistration(phoneNumberSid, 'deregistration');
  }

  private scheduleRegistration(phoneNumberSid: string, stage: 'registration' | 'deregistration'): void {
    this.core.reviews.schedule(
      'number-registration',
      phoneNumberSid,
      stage,
      this.core.timings.numberRegistrationMs,
    );
  }

  private stepRegistration(review: Review): void {
    const registration = this.state.numberRegistrations[review.subject];
    this.core.reviews.finish('number-registration', review.subject);
    if (!registration) return;
    registration.dateUpdated = this.core.now();
    const phoneNumber = this.engine.account.number(registration.phoneNumberSid)?.phoneNumber ?? '';
    if (
      registration.status === 'pending_registration' &&
      phoneNumber.endsWith(NUMBER_REGISTRATION_FAIL_SUFFIX)
    ) {
      // Setup guide's number-registration.failed example: externalstatus `failure`, error 30126.
      registration.status = 'failed';
      this.core.emit(
        numberEvent(this.core, 'number-registration.failed', {
          ...this.subject(registration),
          failureReason: NUMBER_REGISTRATION_FAILURE,
        }),
      );
    } else if (registration.status === 'pending_registration') {
      registration.status = 'registered';
      this.core.emit(numberEvent(this.core, 'number-registration.successful', this.subject(registration)));
    } else if (registration.status === 'pending_deregistration') {
      delete this.state.numberRegistrations[review.subject];
      this.core.emit(numberEvent(this.core, 'number-deregistration.successful', this.subject(registration)));
    }
  }

  private subject(r: NumberRegistration) {
    return {
      phoneNumberSid: r.phoneNumberSid,
      phoneNumber: this.engine.account.number(r.phoneNumberSid)?.phoneNumber ?? '',
      serviceSid: r.serviceSid,
      campaignSid: r.campaignSid,
      updatedAt: r.dateUpdated,
    };
  }
}
