import type { AuthorizedRepresentative, BusinessInfo, MessagingProfileInfo } from './standard-registration';

/**
 * A Standard registration's data as Trust Hub end-user attributes (Twilio's "API: Create a
 * Secondary Customer Profile" and ISV guide). Imported by workflow code: plain functions only.
 */

/** Secondary profile end-user `customer_profile_business_information`: the business's registration data. */
export function businessAttributes(b: BusinessInfo): Record<string, string> {
  return {
    business_name: b.name,
    business_identity: b.identity,
    business_type: b.type,
    business_industry: b.industry,
    business_registration_identifier: b.registrationIdentifier,
    business_registration_number: b.registrationNumber,
    business_regions_of_operation: b.regionsOfOperation.join(','),
    website_url: b.websiteUrl,
    ...(b.socialMediaProfileUrls?.length
      ? { social_media_profile_urls: b.socialMediaProfileUrls.join(',') }
      : {}),
  };
}

/** Secondary profile end-users `authorized_representative_1` / `_2`. */
export function representativeAttributes(r: AuthorizedRepresentative): Record<string, string> {
  return {
    first_name: r.firstName,
    last_name: r.lastName,
    email: r.email,
    phone_number: r.phoneNumber,
    business_title: r.businessTitle,
    job_position: r.jobPosition,
  };
}

/**
 * A2P Messaging Profile end-user `us_a2p_messaging_profile_information`: company_type, and
 * stock_exchange and stock_ticker for a public company only, brand_contact_email.
 */
export function messagingProfileAttributes(p: MessagingProfileInfo): Record<string, string> {
  return {
    company_type: p.companyType,
    ...(p.companyType === 'public' && p.stockExchange ? { stock_exchange: p.stockExchange } : {}),
    ...(p.companyType === 'public' && p.stockTicker ? { stock_ticker: p.stockTicker } : {}),
    brand_contact_email: p.brandContactEmail,
  };
}
