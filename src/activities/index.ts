import twilio from 'twilio';
import type { TwilioClient } from '../twilio/client';
import { twilioCall } from '../twilio/errors';
import { createBrandActivities } from './brands';
import { createCampaignActivities } from './campaigns';
import type { ActivityDeps } from './deps';
import { createExternalCampaignActivities } from './external-campaigns';
import { createMessagingServiceActivities } from './messaging-services';
import { createPhoneNumberActivities } from './phone-numbers';
import { createStandardActivities } from './standard';
import { createTrustHubActivities } from './trust-hub';

export type { ActivityDeps } from './deps';
export type { BrandState } from './brands';
export type { CampaignState, StandardCampaignFields } from './campaigns';
export type { ExternalAssociation } from './external-campaigns';
export type { AllowedUsecase } from './standard';
export type { AddressInput, BundleKind, BundleState, EvaluationResult } from './trust-hub';

function createAccountActivities(deps: ActivityDeps) {
  return {
    /**
     * A registration's start slot. It calls nothing: it runs on the admission task queue, whose
     * pace the Temporal server enforces, so its completing is the admission.
     */
    admitRegistration: (): Promise<void> => Promise.resolve(),
    ...createTrustHubActivities(deps),
    ...createBrandActivities(deps),
    ...createMessagingServiceActivities(deps),
    ...createCampaignActivities(deps),
    ...createPhoneNumberActivities(deps),
    ...createExternalCampaignActivities(deps),
    ...createStandardActivities(deps),
  };
}

type AccountActivities = ReturnType<typeof createAccountActivities>;

/** An activity that may run in a customer's subaccount: `accountSid` names it (absent: the main account). */
type InAccount<F> = F extends (input: infer I) => infer R ? (input: I & { accountSid?: string }) => R : F;

export type Activities = { [K in keyof AccountActivities]: InAccount<AccountActivities[K]> };

/**
 * A client of the customer's subaccount: Twilio's resources of a subaccount (Trust Hub,
 * Messaging, Event Streams) are reached with its own SID and auth token, which the main account
 * may read from the Accounts resource. Built once per subaccount and process, and never stored
 * in workflow state.
 */
async function subaccountClient(main: TwilioClient, accountSid: string): Promise<TwilioClient> {
  const account = await twilioCall('fetch subaccount', () => main.api.v2010.accounts(accountSid).fetch());
  return twilio(accountSid, account.authToken, { httpClient: main.httpClient });
}

/**
 * Every activity, with the Twilio client and configuration injected. An activity whose input
 * names an `accountSid` other than the main account's runs with that subaccount's client, so
 * one customer's resources are created where they belong.
 */
export function createActivities(deps: ActivityDeps): Activities {
  const main = createAccountActivities(deps);
  const accounts = new Map<string, Promise<AccountActivities>>();
  function inAccount(accountSid: string | undefined): AccountActivities | Promise<AccountActivities> {
    if (accountSid === undefined || accountSid === deps.twilio.accountSid) return main;
    let found = accounts.get(accountSid);
    if (!found) {
      found = subaccountClient(deps.twilio, accountSid).then((client) =>
        createAccountActivities({ ...deps, twilio: client }),
      );
      // A failed fetch is retried by the activity's next attempt, not remembered.
      found.catch(() => accounts.delete(accountSid));
      accounts.set(accountSid, found);
    }
    return found;
  }
  const routed: Record<string, unknown> = {};
  for (const name of Object.keys(main) as (keyof AccountActivities)[]) {
    routed[name] = async (input: { accountSid?: string } | undefined) => {
      // Each activity takes its own input; this router only reads the accountSid of any of them.
      const activities = (await inAccount(input?.accountSid)) as unknown as Record<
        string,
        (this: void, input: unknown) => Promise<unknown>
      >;
      return activities[name](input);
    };
  }
  return routed as Activities;
}
