/**
 * What the workflows need of a registration request on every registration's way, without the
 * request schemas: telling the two kinds apart, the address as Twilio receives it, and the
 * Standard campaigns' pre-vetting. Every new workflow evaluates the modules it imports, and
 * building the zod schemas is most of that cost (`npm run bench` profiled it at about a third of
 * the workflow thread's time while 200 registrations started at once); the workflows load the
 * schemas only when a correction needs them (src/workflows/registration/schemas.ts).
 * Types only from the schema modules, so importing this evaluates none of them.
 */
import { reviewCampaign } from './campaign-review/review';
import type { CampaignReview, CampaignReviewContext } from './campaign-review/types';
import type { CustomerAddress, RegistrationRequest } from './registration';
import { STANDARD_BRAND_TYPE } from './rules';
import type {
  AnyRegistrationRequest,
  StandardCampaign,
  StandardRegistrationRequest,
} from './standard-registration';

/**
 * The address as Twilio's Addresses API receives it. 004: `CustomerName` is required; a sole
 * proprietor's address without one carries the sole proprietor's own name.
 */
export function addressForTwilio(
  request: Pick<RegistrationRequest, 'address' | 'soleProprietor'>,
): CustomerAddress {
  const { address, soleProprietor } = request;
  const customerName =
    address.customerName?.trim() || `${soleProprietor.firstName} ${soleProprietor.lastName}`;
  return { ...address, customerName };
}

/** How the pre-vetting sees one of the request's campaigns: its use case, the business's names. */
export function standardCampaignContext(
  request: Pick<StandardRegistrationRequest, 'business' | 'messagingProfile'>,
  campaign: Pick<StandardCampaign, 'usecase'>,
): CampaignReviewContext {
  return {
    businessNames: [request.business.name],
    brandType: STANDARD_BRAND_TYPE,
    usecase: campaign.usecase,
    companyType: request.messagingProfile.companyType,
  };
}

/** The pre-vetting of campaign `index`: run before the workflow starts and before each submission. */
export function reviewStandardCampaign(request: StandardRegistrationRequest, index: number): CampaignReview {
  const campaign = request.campaigns[index];
  return reviewCampaign(campaign, standardCampaignContext(request, campaign));
}

export function isStandard(request: AnyRegistrationRequest): request is StandardRegistrationRequest {
  return 'brandType' in request && request.brandType !== undefined;
}

/** The address as Twilio's Addresses API receives it: the business's legal name when no other is given. */
export function standardAddressForTwilio(request: Pick<StandardRegistrationRequest, 'address' | 'business'>) {
  return { ...request.address, customerName: request.address.customerName?.trim() || request.business.name };
}
