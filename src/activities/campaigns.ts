import type { CampaignInfo } from '../domain/registration';
import { SOLE_PROPRIETOR_USECASE } from '../domain/rules';
import { twilioCall } from '../twilio/errors';
import { type ActivityDeps, countFee, describeTwilioError, isNotFound, mayHaveEarlierAttempt } from './deps';

/** 000 5.1 / 002: a service's campaign is fetched and deleted at this fixed resource SID. */
export const US_APP_TO_PERSON_RESOURCE_SID = 'QE2c6890da8086d771620e9b13fadeba0b';

/** 002's fields a Standard campaign may give beyond a Sole Proprietor campaign's. */
export interface StandardCampaignFields {
  usecase?: string;
  subscriberOptIn?: boolean;
  ageGated?: boolean;
  directLending?: boolean;
  privacyPolicyUrl?: string;
  termsAndConditionsUrl?: string;
}

export interface CampaignState {
  sid: string;
  status: string;
  /** Twilio's `errors` for a FAILED campaign, as readable lines. */
  errors: string[];
  /** True when this call submitted the campaign (a vetting fee was incurred). */
  created: boolean;
}

interface CampaignLike {
  sid: string;
  campaignStatus: string;
  errors?: unknown[] | null;
}

function campaignState(c: CampaignLike, created: boolean): CampaignState {
  return { sid: c.sid, status: c.campaignStatus, errors: (c.errors ?? []).map(describeTwilioError), created };
}

export function createCampaignActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;

  /** 5.1: the campaign's status and, when FAILED, its errors. Undefined when there is none. */
  async function fetchCampaign(input: { messagingServiceSid: string }): Promise<CampaignState | undefined> {
    return twilioCall('fetch campaign', async () => {
      try {
        const c = await messaging
          .services(input.messagingServiceSid)
          .usAppToPerson(US_APP_TO_PERSON_RESOURCE_SID)
          .fetch();
        return campaignState(c, false);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
  }

  return {
    /**
     * 000 step 5: submit the SOLE_PROPRIETOR campaign. A service holds at most one campaign, so an
     * existing one means an earlier attempt already submitted (and paid for) it.
     */
    async ensureCampaign(input: {
      messagingServiceSid: string;
      brandSid: string;
      /** A Standard campaign also names its use case (002) and may give the fields below. */
      campaign: CampaignInfo & StandardCampaignFields;
      mayExist?: boolean;
    }): Promise<CampaignState> {
      return twilioCall('ensure campaign', async () => {
        const usa2p = messaging.services(input.messagingServiceSid).usAppToPerson;
        const [existing] = mayHaveEarlierAttempt(input) ? await usa2p.list({ limit: 1 }) : [];
        if (existing) return campaignState(existing, false);
        const c = input.campaign;
        const created = await usa2p.create({
          brandRegistrationSid: input.brandSid,
          usAppToPersonUsecase: c.usecase ?? SOLE_PROPRIETOR_USECASE,
          description: c.description,
          messageFlow: c.messageFlow,
          messageSamples: c.messageSamples,
          hasEmbeddedLinks: c.hasEmbeddedLinks,
          hasEmbeddedPhone: c.hasEmbeddedPhone,
          optInMessage: c.optInMessage,
          optOutMessage: c.optOutMessage,
          helpMessage: c.helpMessage,
          optInKeywords: c.optInKeywords,
          optOutKeywords: c.optOutKeywords,
          helpKeywords: c.helpKeywords,
          subscriberOptIn: c.subscriberOptIn,
          ageGated: c.ageGated,
          directLending: c.directLending,
          privacyPolicyUrl: c.privacyPolicyUrl,
          termsAndConditionsUrl: c.termsAndConditionsUrl,
        });
        countFee('campaign-vetting');
        return campaignState(created, true);
      });
    },

    fetchCampaign,

    /** 5.2: delete the service's campaign; one already gone is what we wanted. */
    async deleteCampaign(input: { messagingServiceSid: string }): Promise<void> {
      await twilioCall('delete campaign', async () => {
        try {
          await messaging
            .services(input.messagingServiceSid)
            .usAppToPerson(US_APP_TO_PERSON_RESOURCE_SID)
            .remove();
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      });
    },
  };
}
