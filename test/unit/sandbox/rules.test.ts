import { DEFAULT_TIMINGS, US_A2P_COMPLIANCE_SID } from '../../../src/sandbox';
import {
  CAMPAIGN,
  SP_POLICY,
  STARTER_POLICY,
  customer,
  eventually,
  reviewedBrand,
  standardBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

/** Documented validation rules and the wire format, as the real `twilio` package sees them. */
describe('documented rules and wire format', () => {
  let t: TestSandbox;
  let brandSid: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    ({ brandSid } = await reviewedBrand(t, customer()));
    await t.sandbox.control.answerOtp(brandSid);
  });
  afterAll(() => t.close());

  async function newService(name = 'rules') {
    return (await t.client.messaging.v1.services.create({ friendlyName: name })).sid;
  }

  describe('002 campaign field rules', () => {
    const long = (n: number) => 'x'.repeat(n);
    test.each([
      ['description of 39 characters', { description: long(39) }, 'Description'],
      ['description of 4097 characters', { description: long(4097) }, 'Description'],
      ['message flow of 39 characters', { messageFlow: long(39) }, 'MessageFlow'],
      ['message flow of 2049 characters', { messageFlow: long(2049) }, 'MessageFlow'],
      ['one message sample', { messageSamples: [long(30)] }, 'MessageSamples'],
      [
        'six message samples',
        { messageSamples: Array.from({ length: 6 }, () => long(30)) },
        'MessageSamples',
      ],
      ['a sample of 19 characters', { messageSamples: [long(30), long(19)] }, 'MessageSamples'],
      ['a sample of 1025 characters', { messageSamples: [long(30), long(1025)] }, 'MessageSamples'],
      ['an opt-in message of 19 characters', { optInMessage: long(19) }, 'OptInMessage'],
      ['an opt-out message of 321 characters', { optOutMessage: long(321) }, 'OptOutMessage'],
      ['a help message of 19 characters', { helpMessage: long(19) }, 'HelpMessage'],
      ['a keyword that is not alphanumeric', { optOutKeywords: ['STOP!'] }, 'OptOutKeywords'],
      [
        'keywords over 255 characters',
        { helpKeywords: Array.from({ length: 30 }, () => 'HELPHELPHELP') },
        'HelpKeywords',
      ],
    ])('refuses %s', async (_name, override, field) => {
      const service = await newService();
      await expect(
        t.client.messaging.v1
          .services(service)
          .usAppToPerson.create({ ...CAMPAIGN, ...override, brandRegistrationSid: brandSid }),
      ).rejects.toMatchObject({ status: 400, message: expect.stringContaining(field) as unknown });
    });

    test('accepts the boundaries: 40/4096, 40/2048, 5 samples of 20 and 1024, messages of 20 and 320', async () => {
      const service = await newService();
      const created = await t.client.messaging.v1.services(service).usAppToPerson.create({
        ...CAMPAIGN,
        description: long(40),
        messageFlow: long(2048),
        messageSamples: [long(20), long(1024), long(20), long(20), long(20)],
        optInMessage: long(20),
        optOutMessage: long(320),
        helpMessage: long(20),
        optOutKeywords: ['STOP', 'END'],
        brandRegistrationSid: brandSid,
      });
      expect(created.campaignStatus).toBe('PENDING');
      await t.client.messaging.v1.services(service).usAppToPerson(created.sid).remove();
      await t.sandbox.control.advance(`campaign-deletion-${created.sid}`);
    });

    test('refuses missing required parameters with Twilio error 20001', async () => {
      const service = await newService();
      await expect(
        t.client.messaging.v1
          .services(service)
          .usAppToPerson.create({ ...CAMPAIGN, description: '', brandRegistrationSid: brandSid }),
      ).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: 'Missing required parameter Description in the post body',
      });
    });
  });

  describe('use cases', () => {
    test('a SOLE_PROPRIETOR brand lists only the SOLE_PROPRIETOR use case', async () => {
      const service = await newService();
      const result = await t.client.messaging.v1
        .services(service)
        .usAppToPersonUsecases.fetch({ brandRegistrationSid: brandSid });
      expect(result.usAppToPersonUsecases.map((u) => (u as { code: string }).code)).toEqual([
        'SOLE_PROPRIETOR',
      ]);
    });

    test('SOLE_PROPRIETOR campaigns only for SOLE_PROPRIETOR brands, and only one per brand', async () => {
      const std = await standardBundles(t.client, t.sandbox.primaryProfileSid);
      const standard = await t.client.messaging.v1.brandRegistrations.create({
        customerProfileBundleSid: std.customerProfileSid,
        a2PProfileBundleSid: std.trustProductSid,
      });
      await t.sandbox.control.advance(`brand-${standard.sid}`);
      const usecases = await t.client.messaging.v1
        .services(await newService())
        .usAppToPersonUsecases.fetch({ brandRegistrationSid: standard.sid });
      expect(usecases.usAppToPersonUsecases.map((u) => (u as { code: string }).code)).toContain('MARKETING');
      await expect(
        t.client.messaging.v1
          .services(await newService())
          .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: standard.sid }),
      ).rejects.toMatchObject({ status: 400, code: 21703 });
      await expect(
        t.client.messaging.v1.services(await newService()).usAppToPerson.create({
          ...CAMPAIGN,
          usAppToPersonUsecase: 'MARKETING',
          brandRegistrationSid: brandSid,
        }),
      ).rejects.toMatchObject({ status: 400, code: 21703 });

      await t.client.messaging.v1
        .services(await newService())
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid });
      await expect(
        t.client.messaging.v1
          .services(await newService())
          .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brandSid }),
      ).rejects.toMatchObject({ status: 409, code: 21704 });
    });
  });

  describe('brands and bundles', () => {
    test('21725: a brand can be updated only while FAILED', async () => {
      await expect(t.client.messaging.v1.brandRegistrations(brandSid).update()).rejects.toMatchObject({
        status: 400,
        code: 21725,
        message: expect.stringContaining('Brand can only be updated when in FAILED state') as unknown,
      });
    });

    test('21724: a FAILED brand can be resubmitted only a limited number of times', async () => {
      const { brandSid: failing } = await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));
      for (let i = 0; i < 3; i++) {
        await t.client.messaging.v1.brandRegistrations(failing).update();
        await t.sandbox.control.advance(`brand-${failing}`);
      }
      await expect(t.client.messaging.v1.brandRegistrations(failing).update()).rejects.toMatchObject({
        status: 400,
        code: 21724,
      });
    });

    test('brand SIDs must match the documented pattern', async () => {
      await expect(
        t.client.messaging.v1.brandRegistrations.create({
          customerProfileBundleSid: 'BU123',
          a2PProfileBundleSid: 'BU456',
        }),
      ).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: expect.stringContaining('CustomerProfileBundleSid') as unknown,
      });
      await expect(t.client.messaging.v1.brandRegistrations('BNnot-a-sid').fetch()).rejects.toMatchObject({
        status: 404,
        code: 20404,
      });
    });

    test('the API changes a bundle status only from draft to pending-review', async () => {
      const profile = await t.client.trusthub.v1.customerProfiles.create({
        friendlyName: 'p',
        email: 'p@example.com',
        policySid: STARTER_POLICY,
      });
      await expect(
        t.client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'twilio-approved' }),
      ).rejects.toMatchObject({ status: 400 });
      await t.client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'pending-review' });
      await expect(
        t.client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'pending-review' }),
      ).rejects.toMatchObject({ status: 400 });
    });

    test('required bundle parameters are named in the error', async () => {
      await expect(
        t.client.trusthub.v1.trustProducts.create({ friendlyName: 'x', email: '', policySid: SP_POLICY }),
      ).rejects.toMatchObject({ status: 400, message: 'Missing required parameter Email in the post body' });
    });

    test('lists filter by FriendlyName, PolicySid and Status', async () => {
      const a = await t.client.trusthub.v1.trustProducts.create({
        friendlyName: 'filter-me',
        email: 'f@example.com',
        policySid: SP_POLICY,
      });
      expect(
        (await t.client.trusthub.v1.trustProducts.list({ friendlyName: 'filter-me' })).map((p) => p.sid),
      ).toEqual([a.sid]);
      expect(
        await t.client.trusthub.v1.trustProducts.list({ friendlyName: 'filter-me', status: 'in-review' }),
      ).toEqual([]);
      const starters = await t.client.trusthub.v1.customerProfiles.list({
        policySid: STARTER_POLICY,
        status: 'twilio-approved',
      });
      expect(starters.length).toBeGreaterThan(0);
      expect(starters.every((p) => p.policySid === STARTER_POLICY && p.status === 'twilio-approved')).toBe(
        true,
      );
    });
  });

  describe('as strict as Twilio', () => {
    test('30991: a campaign under an unverified brand is refused; once verified it is accepted', async () => {
      const { brandSid: unverified } = await reviewedBrand(t, customer());
      const service = await newService('unverified brand');
      await expect(
        t.client.messaging.v1
          .services(service)
          .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: unverified }),
      ).rejects.toMatchObject({
        status: 400,
        code: 30991,
        message: expect.stringContaining(
          'Campaign registrations under unverified brands is not allowed',
        ) as unknown,
      });
      await t.sandbox.control.answerOtp(unverified);
      const created = await t.client.messaging.v1
        .services(service)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: unverified });
      expect(created.campaignStatus).toBe('PENDING');
    });

    test('21717: a campaign for a FAILED or SUSPENDED brand is refused', async () => {
      const { brandSid: failed } = await reviewedBrand(t, customer({ brandName: 'Jane TCR Reject' }));
      const { brandSid: suspended } = await reviewedBrand(t, customer());
      await t.sandbox.control.decideBrand(suspended, 'suspend');
      for (const brandRegistrationSid of [failed, suspended])
        await expect(
          t.client.messaging.v1
            .services(await newService('unregistered brand'))
            .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid }),
        ).rejects.toMatchObject({ status: 400, code: 21717 });
    });

    test('30904: associating an external campaign that was never shared, or whose share was deleted, is refused', async () => {
      await expect(
        t.client.messaging.v1.externalCampaign.create({
          campaignId: 'CNVRSHR',
          messagingServiceSid: await newService('never shared'),
        }),
      ).rejects.toMatchObject({ status: 400, code: 30904 });
      await t.sandbox.control.shareExternalCampaign('CDELETD', false, 'no opt-in evidence');
      await expect(
        t.client.messaging.v1.externalCampaign.create({
          campaignId: 'CDELETD',
          messagingServiceSid: await newService('share deleted'),
        }),
      ).rejects.toMatchObject({ status: 400, code: 30904 });
    });

    test('30905: associating before Twilio accepted the share is refused', async () => {
      await t.sandbox.control.shareCampaign('CPENDNG');
      const service = await newService('share pending');
      await expect(
        t.client.messaging.v1.externalCampaign.create({
          campaignId: 'CPENDNG',
          messagingServiceSid: service,
        }),
      ).rejects.toMatchObject({ status: 400, code: 30905 });
      await t.sandbox.control.decideShare('CPENDNG', 'accept');
      const associated = await t.client.messaging.v1.externalCampaign.create({
        campaignId: 'CPENDNG',
        messagingServiceSid: service,
      });
      expect(associated.campaignId).toBe('CPENDNG');
    });

    test('000 5.2: a deleted campaign is DELETION_PENDING until the deletion is finalized, and holds its service meanwhile', async () => {
      const { brandSid: brand } = await reviewedBrand(t, customer());
      await t.sandbox.control.answerOtp(brand);
      const service = await newService('delete and re-create');
      const first = await t.client.messaging.v1
        .services(service)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: brand });
      await t.client.messaging.v1.services(service).usAppToPerson(US_A2P_COMPLIANCE_SID).remove();
      const deleting = await t.client.messaging.v1
        .services(service)
        .usAppToPerson(US_A2P_COMPLIANCE_SID)
        .fetch();
      expect(deleting).toMatchObject({ sid: first.sid, campaignStatus: 'DELETION_PENDING' });
      const { brandSid: other } = await reviewedBrand(t, customer());
      await t.sandbox.control.answerOtp(other);
      await expect(
        t.client.messaging.v1
          .services(service)
          .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: other }),
      ).rejects.toMatchObject({
        status: 409,
        code: 21710,
        message: expect.stringContaining('still being deleted') as unknown,
      });
      await t.sandbox.control.advance(`campaign-deletion-${first.sid}`);
      const second = await t.client.messaging.v1
        .services(service)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: other });
      expect(second.sid).not.toBe(first.sid);
    });

    test('000 5.2 / 003: the deletion takes a few seconds, less than the 5 s callers are told to wait', async () => {
      expect(DEFAULT_TIMINGS.campaignDeletionMs).toBeGreaterThanOrEqual(1_000);
      expect(DEFAULT_TIMINGS.campaignDeletionMs).toBeLessThan(5_000);
      const quick = await startTestSandbox({ timings: { campaignDeletionMs: 100 } });
      try {
        await quick.sandbox.control.shareExternalCampaign('CQUICK1', true);
        const service = (await quick.client.messaging.v1.services.create({ friendlyName: 'quick' })).sid;
        await quick.client.messaging.v1.externalCampaign.create({
          campaignId: 'CQUICK1',
          messagingServiceSid: service,
        });
        await quick.client.messaging.v1.services(service).usAppToPerson(US_A2P_COMPLIANCE_SID).remove();
        // 003: re-associating the same campaign before the deletion is finalized is refused.
        await expect(
          quick.client.messaging.v1.externalCampaign.create({
            campaignId: 'CQUICK1',
            messagingServiceSid: service,
          }),
        ).rejects.toMatchObject({ status: 409 });
        await eventually(async () => {
          const list = await quick.client.messaging.v1.services(service).usAppToPerson.list();
          return list.length === 0 ? true : undefined;
        }, 'the deletion to be finalized');
        const again = await quick.client.messaging.v1.externalCampaign.create({
          campaignId: 'CQUICK1',
          messagingServiceSid: service,
        });
        expect(again.campaignId).toBe('CQUICK1');
      } finally {
        await quick.close();
      }
    });
  });

  describe('numbers and services', () => {
    test('the seeded numbers page through IncomingPhoneNumbers', async () => {
      const page = await t.client.incomingPhoneNumbers.page({ pageSize: 2 });
      expect(page.instances.map((n) => n.sid)).toEqual([
        'PN00000000000000000000000000000001',
        'PN00000000000000000000000000000002',
      ]);
      const all: string[] = [];
      await new Promise<void>((resolve) =>
        t.client.incomingPhoneNumbers.each({ pageSize: 2, done: () => resolve() }, (n) => {
          all.push(n.phoneNumber);
        }),
      );
      expect(all).toHaveLength(5);
      const one = await t.client.incomingPhoneNumbers('PN00000000000000000000000000000003').fetch();
      expect(one).toMatchObject({
        phoneNumber: '+14155550103',
        capabilities: { sms: true, mms: true, voice: true, fax: false },
      });
    });

    test('the account buys numbers by PhoneNumber or AreaCode, never one it owns (21422)', async () => {
      const bought = await t.client.incomingPhoneNumbers.create({ phoneNumber: '+12025550142' });
      expect(bought).toMatchObject({ phoneNumber: '+12025550142', capabilities: { sms: true } });
      expect(bought.sid).toMatch(/^PN[0-9a-f]{32}$/);
      await expect(
        t.client.incomingPhoneNumbers.create({ phoneNumber: '+12025550142' }),
      ).rejects.toMatchObject({
        status: 400,
        code: 21422,
      });
      const inArea = await t.client.incomingPhoneNumbers.create({ areaCode: '202' });
      expect(inArea.phoneNumber).toMatch(/^\+1202\d{7}$/);
      expect(inArea.phoneNumber).not.toBe('+12025550142');
      await expect(t.client.incomingPhoneNumbers.create({ phoneNumber: '+4420794600' })).rejects.toThrow(
        /Invalid parameter PhoneNumber/,
      );
      const owned = await t.client.incomingPhoneNumbers.list({ phoneNumber: '+1202' });
      expect(owned.map((n) => n.sid).sort()).toEqual([bought.sid, inArea.sid].sort());
    });

    test('the control API provisions many numbers at once, each distinct', async () => {
      const before = (await t.sandbox.control.info()).numbers.length;
      const numbers = await t.sandbox.control.provisionNumbers(300, '303');
      expect(numbers).toHaveLength(300);
      expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(300);
      expect(numbers.every((n) => n.phoneNumber.startsWith('+1303'))).toBe(true);
      expect((await t.sandbox.control.info()).numbers).toHaveLength(before + 300);
      await expect(t.sandbox.control.provisionNumbers(0)).rejects.toThrow(/count/);
    });

    test('v1 lists page with meta.next_page_url', async () => {
      for (let i = 0; i < 3; i++) await newService(`paged-${i}`);
      const first = await t.client.messaging.v1.services.page({ pageSize: 2 });
      expect(first.instances).toHaveLength(2);
      const second = await first.nextPage();
      expect(second?.instances.length).toBeGreaterThan(0);
      const names: string[] = [];
      await new Promise<void>((resolve) =>
        t.client.messaging.v1.services.each({ pageSize: 2, done: () => resolve() }, (s) => {
          names.push(s.friendlyName);
        }),
      );
      expect(names).toEqual(expect.arrayContaining(['paged-0', 'paged-1', 'paged-2']));
    });

    test('a number can be in only one Messaging Service, and deleting the service frees it (000 5)', async () => {
      const { brandSid: other } = await reviewedBrand(t, customer());
      await t.sandbox.control.answerOtp(other);
      const a = await newService('one');
      const b = await newService('two');
      await t.client.messaging.v1
        .services(a)
        .phoneNumbers.create({ phoneNumberSid: 'PN00000000000000000000000000000004' });
      await expect(
        t.client.messaging.v1
          .services(b)
          .phoneNumbers.create({ phoneNumberSid: 'PN00000000000000000000000000000004' }),
      ).rejects.toMatchObject({ status: 409, code: 21712 });
      await t.client.messaging.v1
        .services(a)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: other });
      await t.client.messaging.v1.services(a).remove();
      await t.client.messaging.v1
        .services(b)
        .phoneNumbers.create({ phoneNumberSid: 'PN00000000000000000000000000000004' });
      await t.client.messaging.v1.services(b).phoneNumbers('PN00000000000000000000000000000004').remove();
      expect(await t.client.messaging.v1.services(b).phoneNumbers.list()).toEqual([]);
    });

    test('000 6.1: a second number on a Sole Proprietor service is accepted, not refused', async () => {
      const { brandSid: other } = await reviewedBrand(t, customer());
      await t.sandbox.control.answerOtp(other);
      const a = await newService('sole proprietor, two numbers');
      await t.client.messaging.v1
        .services(a)
        .usAppToPerson.create({ ...CAMPAIGN, brandRegistrationSid: other });
      for (const phoneNumberSid of [
        'PN00000000000000000000000000000004',
        'PN00000000000000000000000000000005',
      ])
        await t.client.messaging.v1.services(a).phoneNumbers.create({ phoneNumberSid });
      expect(
        (await t.client.messaging.v1.services(a).phoneNumbers.list()).map((n) => n.phoneNumber).sort(),
      ).toEqual(['+14155550104', '+14155550105']);
      await t.client.messaging.v1.services(a).remove();
    });

    test('an unknown path answers 404 in Twilio’s error shape', async () => {
      const res = await fetch(`${t.sandbox.url}/messaging/v1/Nope`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${t.sandbox.accountSid}:${t.sandbox.authToken}`).toString('base64')}`,
        },
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        code: 20404,
        message: 'The requested resource /messaging/v1/Nope was not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    });
  });
});
