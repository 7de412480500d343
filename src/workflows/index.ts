export { soleProprietorRegistration } from './sole-proprietor-registration';
export { campaignRegistration } from './campaign-registration';
export { campaignDeletion } from './campaign-deletion';
