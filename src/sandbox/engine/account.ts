import { newSid, type Address, type IncomingNumber } from '../state';
import { TwilioApiError } from '../wire';
import type { EngineCore } from './core';

export type AddressFields = Omit<Address, 'sid' | 'dateCreated' | 'dateUpdated'>;

/** The 2010 API's account resources: Addresses (000 1.4, 004) and the numbers the account owns. */
export class Account {
  constructor(private readonly core: EngineCore) {}

  get sid(): string {
    return this.core.accountSid;
  }

  createAddress(fields: AddressFields): Address {
    const now = this.core.now();
    const a: Address = { sid: newSid('AD'), ...fields, dateCreated: now, dateUpdated: now };
    this.core.state.addresses[a.sid] = a;
    return a;
  }

  /** Oldest first. */
  addresses(filters: { customerName?: string; friendlyName?: string; isoCountry?: string } = {}): Address[] {
    return Object.values(this.core.state.addresses)
      .filter((a) => filters.customerName === undefined || a.customerName === filters.customerName)
      .filter((a) => filters.friendlyName === undefined || a.friendlyName === filters.friendlyName)
      .filter((a) => filters.isoCountry === undefined || a.isoCountry === filters.isoCountry)
      .sort((a, b) => a.dateCreated - b.dateCreated);
  }

  address(sid: string): Address | undefined {
    return this.core.state.addresses[sid];
  }

  /**
   * An Address cannot change country: Twilio's Address update takes FriendlyName, CustomerName,
   * Street, City, Region, PostalCode, EmergencyEnabled and AutoCorrectAddress, no IsoCountry.
   */
  updateAddress(a: Address, patch: Partial<Omit<AddressFields, 'isoCountry'>>): void {
    for (const [key, value] of Object.entries(patch) as [keyof typeof patch, unknown][])
      if (value !== undefined) (a as unknown as Record<string, unknown>)[key] = value;
    a.dateUpdated = this.core.now();
  }

  deleteAddress(a: Address): void {
    delete this.core.state.addresses[a.sid];
  }

  /** In SID order. */
  numbers(filters: { phoneNumber?: string; friendlyName?: string } = {}): IncomingNumber[] {
    return Object.values(this.core.state.numbers)
      .filter((n) => filters.phoneNumber === undefined || n.phoneNumber.includes(filters.phoneNumber))
      .filter((n) => filters.friendlyName === undefined || n.friendlyName === filters.friendlyName)
      .sort((a, b) => a.sid.localeCompare(b.sid));
  }

  number(sid: string): IncomingNumber | undefined {
    return this.core.state.numbers[sid];
  }

  /** Buys `count` numbers at once (the control API's stand-in for an account that bought them). */
  provisionNumbers(count: number, areaCode?: string): IncomingNumber[] {
    const owned = this.ownedPhoneNumbers();
    return Array.from({ length: count }, () => this.buyNumber({ areaCode }, owned));
  }

  /**
   * Buys a number for the account (IncomingPhoneNumbers create: `PhoneNumber`, or `AreaCode` for
   * any free number in that US/Canadian area code). Refused when the account already owns it.
   */
  buyNumber(
    request: { phoneNumber?: string; areaCode?: string; friendlyName?: string },
    owned = this.ownedPhoneNumbers(),
  ): IncomingNumber {
    let phoneNumber = request.phoneNumber;
    if (phoneNumber !== undefined && owned.has(phoneNumber))
      throw numberUnavailable(`${phoneNumber} is already owned by this account`);
    if (phoneNumber === undefined) {
      const areaCode = request.areaCode ?? '628';
      // Exchange 555 lines 0100–0199 are fictional (NANPA); past them, any line of exchange 55x.
      for (let line = 0; line < 100_000 && phoneNumber === undefined; line++) {
        const candidate = `+1${areaCode}${String(5_550_100 + line).padStart(7, '0')}`;
        if (!owned.has(candidate)) phoneNumber = candidate;
      }
      if (phoneNumber === undefined) throw numberUnavailable(`no free number in area code ${areaCode}`);
    }
    const n: IncomingNumber = {
      sid: newSid('PN'),
      phoneNumber,
      friendlyName: request.friendlyName ?? phoneNumber,
      dateCreated: this.core.now(),
    };
    this.core.state.numbers[n.sid] = n;
    owned.add(phoneNumber);
    return n;
  }

  /** A number leaves this account (transferred to another). */
  remove(n: IncomingNumber): void {
    delete this.core.state.numbers[n.sid];
  }

  /** A number transferred from another account of the same main account. */
  adopt(n: IncomingNumber): void {
    this.core.state.numbers[n.sid] = n;
  }

  /** A number is owned by one account at a time, across the main account and its subaccounts. */
  private ownedPhoneNumbers(): Set<string> {
    return new Set(
      this.core
        .accounts()
        .flatMap((a) => Object.values(this.core.stateOf(a)?.numbers ?? {}))
        .map((n) => n.phoneNumber),
    );
  }
}

/** Twilio's 21422: "PhoneNumber is not available". */
const numberUnavailable = (why: string) =>
  new TwilioApiError(400, 21422, `PhoneNumber is not available: ${why}`);
