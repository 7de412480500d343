import { ApplicationFailure } from '@temporalio/common';
import { TWILIO_PERMANENT_ERROR, twilioCall } from '../twilio/errors';
import { type ActivityDeps, findInPages, isNotFound, mayHaveEarlierAttempt, nameWithin } from './deps';

/** Messaging Service friendly names may be at most 64 characters (Services resource). */
const MAX_FRIENDLY_NAME = 64;

export function messagingServiceFriendlyName(workflowId: string, suffix = ''): string {
  return nameWithin(MAX_FRIENDLY_NAME, workflowId, suffix);
}

export function createMessagingServiceActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;
  return {
    /**
     * 000 step 4: the Messaging Service the campaign and number belong to. A service named in the
     * request is used after checking it exists and holds nothing of another customer's: no campaign
     * of another brand, and no number but this registration's (000 6.1: of several numbers on a
     * Sole Proprietor campaign's service Twilio registers one at random). Otherwise this
     * registration's own service is found by its friendly name or created.
     */
    async ensureMessagingService(input: {
      workflowId: string;
      existingSid?: string;
      brandSid?: string;
      phoneNumberSid?: string;
      /** Tells apart the services of one registration's campaigns (`/campaign-2`); absent for the first. */
      nameSuffix?: string;
      /** An earlier run or attempt may have created this registration's service. */
      mayExist?: boolean;
    }): Promise<{ sid: string; created: boolean }> {
      return twilioCall('ensure messaging service', async () => {
        if (input.existingSid) {
          const service = messaging.services(input.existingSid);
          const { sid } = await service.fetch();
          const others = (await service.phoneNumbers.list()).filter((n) => n.sid !== input.phoneNumberSid);
          if (input.phoneNumberSid && others.length > 0) {
            throw refused(
              `Messaging Service ${sid} already holds ${others.map((n) => n.sid).join(', ')}: a Sole Proprietor ` +
                'campaign sends from one number. Correct messagingServiceSid to a service of this customer alone.',
            );
          }
          const [campaign] = await service.usAppToPerson.list({ limit: 1 });
          if (input.brandSid && campaign && campaign.brandRegistrationSid !== input.brandSid) {
            throw refused(
              `Messaging Service ${sid} already holds campaign ${campaign.sid} of brand ` +
                `${campaign.brandRegistrationSid}, not this customer's ${input.brandSid}. Correct messagingServiceSid to a service of this customer alone.`,
            );
          }
          return { sid, created: false };
        }
        const friendlyName = messagingServiceFriendlyName(input.workflowId, input.nameSuffix);
        // Services cannot be filtered by friendly name: the look-up pages through all of them, so
        // it runs only when an earlier attempt may have created this one.
        const existing = mayHaveEarlierAttempt(input)
          ? await findInPages(
              () => messaging.services.page({ pageSize: 100 }),
              (s) => s.friendlyName === friendlyName,
            )
          : undefined;
        if (existing) return { sid: existing.sid, created: false };
        const created = await messaging.services.create({ friendlyName });
        return { sid: created.sid, created: true };
      });
    },

    /** Deleting a Messaging Service also deletes its campaign; a service already gone is fine. */
    async deleteMessagingService(input: { sid: string }): Promise<void> {
      await twilioCall('delete messaging service', async () => {
        try {
          await messaging.services(input.sid).remove();
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      });
    },
  };
}

/** A request Twilio would accept but that would mix two customers' registrations: the operator corrects it. */
function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: TWILIO_PERMANENT_ERROR,
    nonRetryable: true,
    message,
    details: [{ status: 409, message }],
  });
}
