import { newSid, type Address, type IncomingNumber } from '../state';
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

  /** An Address cannot change country (004 lists no IsoCountry on update). */
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
}
