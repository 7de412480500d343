import { twilioCall } from '../twilio/errors';
import { type ActivityDeps, countFee, describeTwilioError, findInPages, mayHaveEarlierAttempt } from './deps';

export interface BrandState {
  sid: string;
  status: string;
  identityStatus?: string;
  failureReason?: string;
  /** Twilio's `errors` array (001), flattened to readable lines. */
  errors: string[];
  /** True when this call created the brand (a registration fee was incurred, 001). */
  created: boolean;
  /** 001 brand_score: "The secondary vetting score if it was done. Otherwise, it will be the brand score if it's returned from TCR." */
  brandScore?: number;
  /** 001 brand_feedback: what TCR could not verify (TAX_ID, STOCK_SYMBOL, GOVERNMENT_ENTITY...). */
  feedback?: string[];
}

interface BrandLike {
  sid: string;
  status: string;
  identityStatus?: string | null;
  failureReason?: string | null;
  errors?: unknown[] | null;
  brandScore?: number | null;
  brandFeedback?: string[] | null;
}

function brandState(brand: BrandLike, created: boolean): BrandState {
  return {
    sid: brand.sid,
    status: brand.status,
    identityStatus: brand.identityStatus ?? undefined,
    failureReason: brand.failureReason ?? undefined,
    errors: (brand.errors ?? []).map(describeTwilioError),
    created,
    ...(typeof brand.brandScore === 'number' ? { brandScore: brand.brandScore } : {}),
    ...(brand.brandFeedback?.length ? { feedback: brand.brandFeedback.map(String) } : {}),
  };
}

export function createBrandActivities({ twilio }: ActivityDeps) {
  const messaging = twilio.messaging.v1;
  return {
    /**
     * 000 step 3: register the Sole Proprietor brand. Each create is a paid TCR registration, so an
     * earlier attempt's brand for the same two bundles is looked up first (BrandRegistrations can
     * only be listed, not filtered: 001's list takes no parameters but paging), and only when an
     * earlier attempt may have made one.
     */
    async ensureBrand(input: {
      customerProfileSid: string;
      trustProductSid: string;
      mock: boolean;
      /** 001 brandType: absent for a Sole Proprietor brand, STANDARD for every other. */
      brandType?: 'STANDARD';
      /** 001 skipAutomaticSecVet: "only for registering a Low Volume Standard Brand, 527 political organization, ...". */
      skipAutomaticSecVet?: boolean;
      mayExist?: boolean;
    }): Promise<BrandState> {
      return twilioCall('ensure brand', async () => {
        const existing = mayHaveEarlierAttempt(input)
          ? await findInPages(
              () => messaging.brandRegistrations.page({ pageSize: 100 }),
              (b) =>
                b.customerProfileBundleSid === input.customerProfileSid &&
                b.a2pProfileBundleSid === input.trustProductSid,
            )
          : undefined;
        if (existing) return brandState(existing, false);
        const created = await messaging.brandRegistrations.create({
          customerProfileBundleSid: input.customerProfileSid,
          a2PProfileBundleSid: input.trustProductSid,
          brandType: input.brandType ?? 'SOLE_PROPRIETOR',
          mock: input.mock,
          ...(input.brandType === 'STANDARD'
            ? { skipAutomaticSecVet: input.skipAutomaticSecVet ?? false }
            : {}),
        });
        countFee('brand-registration');
        // Reference README: secondary vetting ($40) for a STANDARD brand that does not skip it.
        if (input.brandType === 'STANDARD' && !input.skipAutomaticSecVet && !input.mock)
          countFee('secondary-vetting');
        return brandState(created, true);
      });
    },

    /** 3.1: the brand's status, identity status and failure details. */
    async fetchBrand(input: { brandSid: string }): Promise<BrandState> {
      return twilioCall('fetch brand', async () =>
        brandState(await messaging.brandRegistrations(input.brandSid).fetch(), false),
      );
    },

    /**
     * 3.2: ask Twilio to send the customer a new OTP. Runs on the OTP task queue, whose rate the
     * server keeps under the endpoint's 10 requests per second per account.
     */
    async resendBrandOtp(input: { brandSid: string }): Promise<void> {
      await twilioCall('re-send OTP', () =>
        messaging.brandRegistrations(input.brandSid).brandRegistrationOtps.create(),
      );
    },

    /**
     * 001: a FAILED brand is resubmitted with an update (a paid resubmission). A brand that is no
     * longer FAILED was already resubmitted by an earlier attempt and is left alone.
     */
    async resubmitBrand(input: { brandSid: string }): Promise<BrandState & { resubmitted: boolean }> {
      return twilioCall('resubmit brand', async () => {
        const ctx = messaging.brandRegistrations(input.brandSid);
        const current = await ctx.fetch();
        if (current.status !== 'FAILED') return { ...brandState(current, false), resubmitted: false };
        const updated = await ctx.update();
        countFee('brand-resubmission');
        return { ...brandState(updated, false), resubmitted: true };
      });
    },
  };
}
