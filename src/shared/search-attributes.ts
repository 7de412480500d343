import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes. Operators filter on them in the Web UI and `a2p list`; the webhook
 * handler finds a workflow by a Twilio SID with them. None of them holds PII.
 */
export const A2P_PHASE = defineSearchAttributeKey('A2pPhase', SearchAttributeType.KEYWORD);
export const A2P_BRAND_STATUS = defineSearchAttributeKey('A2pBrandStatus', SearchAttributeType.KEYWORD);
export const A2P_CAMPAIGN_STATUS = defineSearchAttributeKey('A2pCampaignStatus', SearchAttributeType.KEYWORD);
export const A2P_CUSTOMER_PROFILE_SID = defineSearchAttributeKey(
  'A2pCustomerProfileSid',
  SearchAttributeType.KEYWORD,
);
export const A2P_TRUST_PRODUCT_SID = defineSearchAttributeKey(
  'A2pTrustProductSid',
  SearchAttributeType.KEYWORD,
);
export const A2P_BRAND_SID = defineSearchAttributeKey('A2pBrandSid', SearchAttributeType.KEYWORD);
export const A2P_MESSAGING_SERVICE_SID = defineSearchAttributeKey(
  'A2pMessagingServiceSid',
  SearchAttributeType.KEYWORD,
);
/**
 * Every Messaging Service of a registration (a Standard registration has one per campaign, up to
 * five): campaign and number events find their registration by any of them.
 */
export const A2P_MESSAGING_SERVICE_SIDS = defineSearchAttributeKey(
  'A2pMessagingServiceSids',
  SearchAttributeType.KEYWORD_LIST,
);
export const A2P_CAMPAIGN_SID = defineSearchAttributeKey('A2pCampaignSid', SearchAttributeType.KEYWORD);
export const A2P_TCR_CAMPAIGN_ID = defineSearchAttributeKey('A2pTcrCampaignId', SearchAttributeType.KEYWORD);

/** Every key, for registering them with a Temporal server (dev server, test env, cluster). */
export const ALL_SEARCH_ATTRIBUTES = [
  A2P_PHASE,
  A2P_BRAND_STATUS,
  A2P_CAMPAIGN_STATUS,
  A2P_CUSTOMER_PROFILE_SID,
  A2P_TRUST_PRODUCT_SID,
  A2P_BRAND_SID,
  A2P_MESSAGING_SERVICE_SID,
  A2P_MESSAGING_SERVICE_SIDS,
  A2P_CAMPAIGN_SID,
  A2P_TCR_CAMPAIGN_ID,
] as const;

/** How a key is registered with a server: its indexed value type, as the CLI names it. */
export function indexedValueType(key: (typeof ALL_SEARCH_ATTRIBUTES)[number]): {
  name: 'Keyword' | 'KeywordList';
} {
  return { name: key.type === SearchAttributeType.KEYWORD_LIST ? 'KeywordList' : 'Keyword' };
}
