/**
 * Workflow ids are business ids: they make starts idempotent and let the webhook handler and the
 * CLI address a registration without a lookup. They carry the ISV's own customer id, never PII.
 */
export const REGISTRATION_ID_PREFIX = 'a2p-registration-';
export const EXTERNAL_CAMPAIGN_ID_PREFIX = 'a2p-external-campaign-';

/** An ISV customer id: letters, digits, `_`, `-`, `.`; 1–64 characters. */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function registrationWorkflowId(customerId: string): string {
  return `${REGISTRATION_ID_PREFIX}${customerId}`;
}

export function customerIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(REGISTRATION_ID_PREFIX)
    ? workflowId.slice(REGISTRATION_ID_PREFIX.length)
    : undefined;
}

export function externalCampaignWorkflowId(campaignId: string): string {
  return `${EXTERNAL_CAMPAIGN_ID_PREFIX}${campaignId}`;
}

/** Child workflow creating (and waiting on) the n-th campaign submission of a registration. */
export function campaignChildWorkflowId(customerId: string, attempt: number | string): string {
  return `a2p-campaign-${customerId}-${attempt}`;
}

/** Child workflow deleting the n-th campaign submission of a registration. */
export function campaignDeletionWorkflowId(customerId: string, attempt: number | string): string {
  return `a2p-campaign-deletion-${customerId}-${attempt}`;
}

/**
 * Friendly names Twilio resources are created with. They are derived from the workflow id, so a
 * retried activity finds what an earlier attempt created instead of creating (and paying) twice.
 */
export function resourceFriendlyName(workflowId: string, resource: string): string {
  return `${workflowId}/${resource}`;
}

/** The workflow that undoes a registration (sole proprietor or external campaign). */
export function deregistrationWorkflowId(registrationWorkflowId: string): string {
  return `${registrationWorkflowId}-deregistration`;
}
