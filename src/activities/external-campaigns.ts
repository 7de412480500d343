import { twilioCall } from '../twilio/errors';
import { type ActivityDeps, isNotFound } from './deps';
import { US_APP_TO_PERSON_RESOURCE_SID } from './campaigns';

export interface ExternalAssociation {
  sid: string;
  campaignId: string;
  /** True when this call made the association. */
  created: boolean;
}

export function createExternalCampaignActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;
  return {
    /**
     * 003: associate a TCR-registered campaign with the Messaging Service (PreregisteredUsa2p).
     * Runs on the external-campaign task queue, which the server holds to one request per five
     * seconds account-wide: "Failures resulting from exceeding this limit are asynchronous". A
     * service that already carries this campaign was associated by an earlier attempt.
     */
    async associateExternalCampaign(input: {
      messagingServiceSid: string;
      campaignId: string;
    }): Promise<ExternalAssociation> {
      return twilioCall('associate external campaign', async () => {
        try {
          const current = await messaging
            .services(input.messagingServiceSid)
            .usAppToPerson(US_APP_TO_PERSON_RESOURCE_SID)
            .fetch();
          if (current.campaignId === input.campaignId)
            return { sid: current.sid, campaignId: current.campaignId, created: false };
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        const created = await messaging.externalCampaign.create({
          campaignId: input.campaignId,
          messagingServiceSid: input.messagingServiceSid,
        });
        return { sid: created.sid, campaignId: created.campaignId, created: true };
      });
    },
  };
}
