import { createHash } from 'node:crypto';
import { twilioCall } from '../twilio/errors';
import { type ActivityDeps, findInPages, isNotFound } from './deps';

/** Messaging Service friendly names may be at most 64 characters (Services resource). */
const MAX_FRIENDLY_NAME = 64;

export function messagingServiceFriendlyName(workflowId: string): string {
  if (workflowId.length <= MAX_FRIENDLY_NAME) return workflowId;
  const digest = createHash('sha256').update(workflowId).digest('hex').slice(0, 12);
  return `${workflowId.slice(0, MAX_FRIENDLY_NAME - digest.length - 1)}~${digest}`;
}

export function createMessagingServiceActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;
  return {
    /**
     * 000 step 4: the Messaging Service the campaign and number belong to. A service named in the
     * request is used as it is (after checking it exists); otherwise this registration's own
     * service is found by its friendly name or created.
     */
    async ensureMessagingService(input: {
      workflowId: string;
      existingSid?: string;
    }): Promise<{ sid: string; created: boolean }> {
      return twilioCall('ensure messaging service', async () => {
        if (input.existingSid) {
          const service = await messaging.services(input.existingSid).fetch();
          return { sid: service.sid, created: false };
        }
        const friendlyName = messagingServiceFriendlyName(input.workflowId);
        const existing = await findInPages(
          () => messaging.services.page({ pageSize: 100 }),
          (s) => s.friendlyName === friendlyName,
        );
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
