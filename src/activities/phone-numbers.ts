import { twilioCall } from '../twilio/errors';
import { type ActivityDeps, isNotFound, mayHaveEarlierAttempt } from './deps';

export function createPhoneNumberActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;
  return {
    /** 000 step 6: put the number in the campaign's Messaging Service, unless it is there already. */
    async ensurePhoneNumberInService(input: {
      messagingServiceSid: string;
      phoneNumberSid: string;
      mayExist?: boolean;
    }): Promise<void> {
      await twilioCall('add phone number to messaging service', async () => {
        const numbers = messaging.services(input.messagingServiceSid).phoneNumbers;
        if (mayHaveEarlierAttempt(input)) {
          const present = await numbers.list();
          if (present.some((n) => n.sid === input.phoneNumberSid)) return;
        }
        await numbers.create({ phoneNumberSid: input.phoneNumberSid });
      });
    },

    async removePhoneNumberFromService(input: {
      messagingServiceSid: string;
      phoneNumberSid: string;
    }): Promise<void> {
      await twilioCall('remove phone number from messaging service', async () => {
        try {
          await messaging.services(input.messagingServiceSid).phoneNumbers(input.phoneNumberSid).remove();
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      });
    },
  };
}
