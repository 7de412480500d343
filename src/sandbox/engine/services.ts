import { newSid, type MessagingService, type ServiceNumber } from '../state';
import { TwilioApiError } from '../wire';
import type { EngineCore } from './core';
import type { Engine } from './index';

/**
 * Messaging Services (000 step 4) and their sender pool (000 step 6): which numbers a service may
 * hold, and what deleting a service takes with it.
 */
export class Services {
  constructor(
    private readonly core: EngineCore,
    private readonly engine: Engine,
  ) {}

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
    // 000 6: "For Sole Proprietor Campaigns, only a single 10DLC phone number can be used in the Messaging Service"
    const soleProprietor = this.engine.campaigns.ofService(s.sid)?.usecase === 'SOLE_PROPRIETOR';
    if (soleProprietor && this.numbersOf(s.sid).length >= 1)
      throw new TwilioApiError(
        400,
        21714,
        'A Sole Proprietor campaign can only have one phone number in its Messaging Service',
      );
    const entry: ServiceNumber = { phoneNumberSid, serviceSid: s.sid, dateCreated: this.core.now() };
    this.state.serviceNumbers[phoneNumberSid] = entry;
    return entry;
  }

  removeNumber(n: ServiceNumber): void {
    delete this.state.serviceNumbers[n.phoneNumberSid];
  }
}
