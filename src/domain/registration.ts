// Placeholder shape; the full zod schemas with every documented rule replace this file.
export interface SoleProprietorInfo {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
  mobilePhoneNumber: string;
  brandName: string;
  vertical?: string;
}
export interface CustomerAddress {
  customerName?: string;
  street: string;
  streetSecondary?: string;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: 'US' | 'CA';
}
export interface CampaignInfo {
  description: string;
  messageFlow: string;
  messageSamples: string[];
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  optInMessage?: string;
  optOutMessage?: string;
  helpMessage?: string;
  optInKeywords?: string[];
  optOutKeywords?: string[];
  helpKeywords?: string[];
}
export interface RegistrationRequest {
  customerId: string;
  soleProprietor: SoleProprietorInfo;
  address: CustomerAddress;
  campaign: CampaignInfo;
  messagingServiceSid?: string;
  phoneNumberSid: string;
  mock?: boolean;
}
export interface RegistrationCorrection {
  soleProprietor?: Partial<SoleProprietorInfo>;
  address?: Partial<CustomerAddress>;
  campaign?: Partial<CampaignInfo>;
}
