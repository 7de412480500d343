import {
  AUTHORIZED_REPRESENTATIVE_END_USER_TYPES,
  BUSINESS_INFORMATION_END_USER_TYPE,
  MESSAGING_PROFILE_END_USER_TYPE,
} from '../domain/rules';
import {
  businessAttributes,
  messagingProfileAttributes,
  representativeAttributes,
} from '../domain/standard-attributes';
import type {
  AuthorizedRepresentative,
  BusinessInfo,
  MessagingProfileInfo,
} from '../domain/standard-registration';
import { ApplicationFailure } from '@temporalio/common';
import { twilioCall } from '../twilio/errors';
import { eventStreamsSinkUrl } from '../webhooks/urls';
import { type ActivityDeps, mayHaveEarlierAttempt } from './deps';
import { ensureEndUser } from './trust-hub';

/** A use case the brand may register (the Usecases resource), and whether it needs post-approval. */
export interface AllowedUsecase {
  code: string;
  name: string;
  postApprovalRequired: boolean;
}

interface UsecaseLike {
  code?: string;
  name?: string;
  post_approval_required?: boolean;
}

export function createStandardActivities({ twilio, publicWebhookUrl }: ActivityDeps) {
  const trusthub = twilio.trusthub.v1;
  return {
    /** The Secondary Customer Profile's business-information end-user. */
    async ensureBusinessEndUser(input: {
      workflowId: string;
      business: BusinessInfo;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      return ensureEndUser(
        trusthub,
        input,
        BUSINESS_INFORMATION_END_USER_TYPE,
        businessAttributes(input.business),
      );
    },

    /** The Secondary Customer Profile's authorized representative `index` (1 or 2). */
    async ensureRepresentativeEndUser(input: {
      workflowId: string;
      index: 1 | 2;
      representative: AuthorizedRepresentative;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      return ensureEndUser(
        trusthub,
        input,
        AUTHORIZED_REPRESENTATIVE_END_USER_TYPES[input.index - 1],
        representativeAttributes(input.representative),
      );
    },

    /** The A2P Messaging Profile trust product's end-user. */
    async ensureMessagingProfileEndUser(input: {
      workflowId: string;
      profile: MessagingProfileInfo;
      mayExist?: boolean;
    }): Promise<{ sid: string }> {
      return ensureEndUser(
        trusthub,
        input,
        MESSAGING_PROFILE_END_USER_TYPE,
        messagingProfileAttributes(input.profile),
      );
    },

    /** Remediation: replace a Standard end-user's attributes with corrected data. */
    async updateStandardEndUser(input: { sid: string; attributes: Record<string, string> }): Promise<void> {
      await twilioCall('update end-user', () =>
        trusthub.endUsers(input.sid).update({ attributes: input.attributes }),
      );
    },

    /**
     * The campaign use cases this brand may register: `GET /v1/Services/{MG}/Compliance/Usa2p/
     * Usecases?BrandRegistrationSid=BN…` (Twilio's ISV guide: "fetch possible A2P campaign use
     * cases" for the brand). Free and repeatable.
     */
    async listUsecases(input: { messagingServiceSid: string; brandSid: string }): Promise<AllowedUsecase[]> {
      return twilioCall('list campaign use cases', async () => {
        const found = await twilio.messaging.v1
          .services(input.messagingServiceSid)
          .usAppToPersonUsecases.fetch({ brandRegistrationSid: input.brandSid });
        const items = (found.usAppToPersonUsecases ?? []) as UsecaseLike[];
        return items
          .filter((u): u is UsecaseLike & { code: string } => typeof u.code === 'string')
          .map((u) => ({
            code: u.code,
            name: u.name ?? u.code,
            postApprovalRequired: u.post_approval_required === true,
          }));
      });
    },

    /**
     * The customer's own subaccount (Twilio recommends one per ISV customer), found by its
     * friendly name (the Accounts list filters by FriendlyName, one cheap request) or created.
     */
    async ensureSubaccount(input: {
      friendlyName: string;
    }): Promise<{ accountSid: string; created: boolean }> {
      return twilioCall('ensure subaccount', async () => {
        const [existing] = await twilio.api.v2010.accounts.list({
          friendlyName: input.friendlyName,
          limit: 1,
        });
        if (existing && existing.status !== 'closed') return { accountSid: existing.sid, created: false };
        const created = await twilio.api.v2010.accounts.create({ friendlyName: input.friendlyName });
        return { accountSid: created.sid, created: true };
      });
    },

    /**
     * Moves a number the ISV's main account owns into the customer's subaccount (an
     * IncomingPhoneNumber update with the new AccountSid). A number already there is left alone.
     */
    async ensureNumberInAccount(input: {
      /** The subaccount; named so, not `accountSid`, because the move is the main account's call. */
      toAccountSid: string;
      phoneNumberSid: string;
      mayExist?: boolean;
    }): Promise<void> {
      await twilioCall('move number to subaccount', async () => {
        if (mayHaveEarlierAttempt(input)) {
          const owned = await twilio.api.v2010
            .accounts(input.toAccountSid)
            .incomingPhoneNumbers(input.phoneNumberSid)
            .fetch()
            .catch(() => undefined);
          if (owned) return;
        }
        await twilio.incomingPhoneNumbers(input.phoneNumberSid).update({ accountSid: input.toAccountSid });
      });
    },

    /**
     * The Event Streams sink (a webhook to this service) and the subscription to the A2P event
     * types, in the account it runs in (a customer's subaccount: its events are its own). Sinks
     * are found by their description, one short list per subaccount.
     */
    async ensureEventStream(input: {
      workflowId: string;
    }): Promise<{ sinkSid: string; subscriptionSid: string }> {
      const description = `a2p-registrar ${input.workflowId}`.slice(0, 255);
      if (!publicWebhookUrl)
        throw ApplicationFailure.nonRetryable(
          'A2P_PUBLIC_WEBHOOK_URL is not set: a subaccount needs an Event Streams sink that reaches the webhook server',
          'ConfigurationError',
        );
      const destination = eventStreamsSinkUrl(publicWebhookUrl);
      return twilioCall('ensure event stream', async () => {
        const events = twilio.events.v1;
        const sink =
          (await events.sinks.list({ limit: 50 })).find((s) => s.description === description) ??
          (await events.sinks.create({
            description,
            sinkType: 'webhook',
            sinkConfiguration: { destination, method: 'POST', batch_events: false },
          }));
        const subscription =
          (await events.subscriptions.list({ sinkSid: sink.sid, limit: 50 }))[0] ??
          (await events.subscriptions.create({
            description,
            sinkSid: sink.sid,
            types: A2P_EVENT_TYPES.map((type) => ({ type })),
          }));
        return { sinkSid: sink.sid, subscriptionSid: subscription.sid };
      });
    },
  };
}

/** The A2P event types a subaccount's Event Streams subscription asks for (reference twilio-events). */
export const A2P_EVENT_TYPES = [
  'com.twilio.messaging.compliance.brand-registration.brand-registered',
  'com.twilio.messaging.compliance.brand-registration.brand-failure',
  'com.twilio.messaging.compliance.brand-registration.brand-unverified',
  'com.twilio.messaging.compliance.brand-registration.brand-verified',
  'com.twilio.messaging.compliance.brand-registration.brand-vetted-verified',
  'com.twilio.messaging.compliance.brand-registration.brand-secondary-vetting-failure',
  'com.twilio.messaging.compliance.brand-registration.email-2fa-clicked',
  'com.twilio.messaging.compliance.campaign-registration.campaign-approved',
  'com.twilio.messaging.compliance.campaign-registration.campaign-failure',
  'com.twilio.messaging.compliance.campaign-registration.campaign-submitted',
  'com.twilio.messaging.compliance.number-registration.pending',
  'com.twilio.messaging.compliance.number-registration.successful',
  'com.twilio.messaging.compliance.number-registration.failed',
] as const;
