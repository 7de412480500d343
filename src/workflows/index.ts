export { soleProprietorRegistration } from './sole-proprietor-registration';
export { campaignRegistration } from './campaign-registration';
export { campaignDeletion } from './campaign-deletion';
export { externalCampaignRegistration } from './external-campaign-registration';
export { deregistration } from './deregistration';
export { brandUsage } from './brand-usage';
export { standardRegistration } from './standard-registration';
