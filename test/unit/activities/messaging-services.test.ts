import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../../src/activities';
import { TWILIO_PERMANENT_ERROR } from '../../../src/twilio/errors';
import { CAMPAIGN, reviewedBrand, startTestSandbox, type TestSandbox } from '../sandbox/helpers';

const MINE = 'PN00000000000000000000000000000001';
const OTHER = 'PN00000000000000000000000000000002';
const BRAND = 'BN00000000000000000000000000000009';

/** A Messaging Service the request names is checked for another customer's number or campaign. */
describe('ensureMessagingService with a service the request names', () => {
  let t: TestSandbox;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    t = await startTestSandbox();
    activities = createActivities({ twilio: t.client, primaryProfileSid: t.sandbox.primaryProfileSid });
  });
  afterAll(() => t.close());

  async function service(numbers: string[]): Promise<string> {
    const { sid } = await t.client.messaging.v1.services.create({ friendlyName: `reused-${Date.now()}` });
    for (const phoneNumberSid of numbers)
      await t.client.messaging.v1.services(sid).phoneNumbers.create({ phoneNumberSid });
    return sid;
  }

  /**
   * The refusal of `existingSid` for this registration's brand and number: permanent (a correction
   * of messagingServiceSid is asked for), with its message.
   */
  async function refusal(workflowId: string, existingSid: string): Promise<string> {
    const err = await activities
      .ensureMessagingService({ workflowId, existingSid, brandSid: BRAND, phoneNumberSid: MINE })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe(TWILIO_PERMANENT_ERROR);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('messagingServiceSid');
    return failure.message;
  }

  test("is used when it holds nothing but this registration's number", async () => {
    const existingSid = await service([MINE]);
    await expect(
      activities.ensureMessagingService({
        workflowId: 'wf-1',
        existingSid,
        brandSid: BRAND,
        phoneNumberSid: MINE,
      }),
    ).resolves.toEqual({ sid: existingSid, created: false });
  });

  test('holding another number is refused (000 6.1: Twilio would register one of them at random), naming the number', async () => {
    const message = await refusal('wf-2', await service([OTHER]));
    expect(message).toContain(OTHER);
  });

  /** A service holding a campaign of a verified brand (one campaign per Messaging Service: 000 5). */
  async function serviceWithCampaignOf(): Promise<{ existingSid: string; brandSid: string }> {
    const { brandSid } = await reviewedBrand(t);
    await t.sandbox.control.answerOtp(brandSid);
    const existingSid = await service([]);
    await t.client.messaging.v1
      .services(existingSid)
      .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
    return { existingSid, brandSid };
  }

  test("holding another brand's campaign is refused, naming the campaign and that brand", async () => {
    const { existingSid, brandSid: theirs } = await serviceWithCampaignOf();
    const message = await refusal('wf-3', existingSid);
    expect(message).toContain(theirs);
    expect(message).toMatch(/campaign QE[0-9a-f]{32}/);
  });

  test("holding this brand's own campaign is used (a registration that resumes on its service)", async () => {
    const { existingSid, brandSid } = await serviceWithCampaignOf();
    await expect(
      activities.ensureMessagingService({ workflowId: 'wf-4', existingSid, brandSid, phoneNumberSid: MINE }),
    ).resolves.toEqual({ sid: existingSid, created: false });
  });
});
