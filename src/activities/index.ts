import { createBrandActivities } from './brands';
import { createCampaignActivities } from './campaigns';
import type { ActivityDeps } from './deps';
import { createExternalCampaignActivities } from './external-campaigns';
import { createMessagingServiceActivities } from './messaging-services';
import { createPhoneNumberActivities } from './phone-numbers';
import { createTrustHubActivities } from './trust-hub';

export type { ActivityDeps } from './deps';
export type { BrandState } from './brands';
export type { CampaignState } from './campaigns';
export type { ExternalAssociation } from './external-campaigns';
export type { BundleKind, BundleState, EvaluationResult } from './trust-hub';

/** Every activity, with the Twilio client and configuration injected. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTrustHubActivities(deps),
    ...createBrandActivities(deps),
    ...createMessagingServiceActivities(deps),
    ...createCampaignActivities(deps),
    ...createPhoneNumberActivities(deps),
    ...createExternalCampaignActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
