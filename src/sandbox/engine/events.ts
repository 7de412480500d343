import { cloudEvent } from '../callbacks';
import type { Brand, Campaign } from '../state';
import { isoDate } from '../wire';
import type { EngineCore } from './core';

export const BRAND_EVENT = 'com.twilio.messaging.compliance.brand-registration.';
export const CAMPAIGN_EVENT = 'com.twilio.messaging.compliance.campaign-registration.';

/** Event Streams brand-registration event. */
export function emitBrandEvent(core: EngineCore, name: string, brand: Brand, extra: Record<string, unknown>) {
  core.emit([
    cloudEvent(
      BRAND_EVENT + name,
      `/v1/a2p/BrandRegistrations/${brand.sid}`,
      {
        accountsid: core.accountSid,
        brandsid: brand.sid,
        brandstatus: brand.status,
        identitystatus: brand.identityStatus ?? undefined,
        brandtype: brand.brandType,
        externalbrandid: brand.tcrId ?? undefined,
        createddate: brand.dateCreated,
        updateddate: brand.dateUpdated,
        timestamp: isoDate(core.now()),
        ...extra,
      },
      new Date(core.now()),
    ),
  ]);
}

/** Event Streams campaign-registration event. */
export function emitCampaignEvent(
  core: EngineCore,
  name: string,
  c: Campaign,
  extra: Record<string, unknown>,
) {
  core.emit([
    cloudEvent(
      CAMPAIGN_EVENT + name,
      `/v1/Services/${c.messagingServiceSid}/Compliance/Usa2p/${c.sid}`,
      {
        accountsid: core.accountSid,
        campaignsid: c.sid,
        externalcampaignid: c.campaignId,
        messagingservicesid: c.messagingServiceSid,
        brandsid: c.brandRegistrationSid ?? undefined,
        campaignregistrationstatus: c.status,
        createddate: c.dateCreated,
        updateddate: c.dateUpdated,
        timestamp: isoDate(core.now()),
        ...extra,
      },
      new Date(core.now()),
    ),
  ]);
}
