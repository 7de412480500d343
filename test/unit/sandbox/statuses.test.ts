import { testData } from '../../../src/sandbox';
import {
  SP_POLICY,
  customer,
  reviewedBrand,
  soleProprietorBundles,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

/** 001's brand statuses beyond PENDING/APPROVED/FAILED, and Trust Hub bundles' `errors`. */
describe('brand statuses and bundle errors as Twilio documents them', () => {
  let t: TestSandbox;

  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  async function submittedBrand(brandName?: string) {
    const data = customer(brandName ? { brandName } : {});
    const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data);
    await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
    await t.sandbox.control.advance(`bundle-${bundles.trustProductSid}`);
    return t.client.messaging.v1.brandRegistrations.create({
      brandType: 'SOLE_PROPRIETOR',
      customerProfileBundleSid: bundles.customerProfileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
    });
  }

  const status = async (sid: string) => (await t.client.messaging.v1.brandRegistrations(sid).fetch()).status;

  test(`001 IN_REVIEW: a brand named "${testData.MANUAL_REVIEW_MARKER}" is IN_REVIEW before TCR decides it, and cannot be updated (21725)`, async () => {
    const brand = await submittedBrand(`Jane ${testData.MANUAL_REVIEW_MARKER} Pottery`);
    await t.sandbox.control.advance(`brand-${brand.sid}`);
    expect(await status(brand.sid)).toBe('IN_REVIEW');
    await expect(t.client.messaging.v1.brandRegistrations(brand.sid).update()).rejects.toMatchObject({
      status: 400,
      code: 21725,
    });
    await t.sandbox.control.advance(`brand-${brand.sid}`);
    expect(await status(brand.sid)).toBe('APPROVED');
  });

  test('001 IN_REVIEW: the control API sends a PENDING brand to IN_REVIEW; TCR decides it from there', async () => {
    const brand = await submittedBrand();
    expect((await t.sandbox.control.decideBrand(brand.sid, 'review')).status).toBe('IN_REVIEW');
    expect((await t.sandbox.control.decideBrand(brand.sid, 'fail')).status).toBe('FAILED');
  });

  test('001 DELETION_PENDING: a deleted brand is DELETION_PENDING, then gone', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    expect((await t.sandbox.control.decideBrand(brandSid, 'delete')).status).toBe('DELETION_PENDING');
    expect(await status(brandSid)).toBe('DELETION_PENDING');
    await t.sandbox.control.advance(`brand-${brandSid}`);
    await expect(t.client.messaging.v1.brandRegistrations(brandSid).fetch()).rejects.toMatchObject({
      status: 404,
    });
  });

  test('001 DELETION_FAILED: a deletion can fail, and the brand stays', async () => {
    const { brandSid } = await reviewedBrand(t, customer());
    await t.sandbox.control.decideBrand(brandSid, 'delete');
    expect((await t.sandbox.control.decideBrand(brandSid, 'fail-deletion')).status).toBe('DELETION_FAILED');
    expect(await status(brandSid)).toBe('DELETION_FAILED');
    await expect(t.sandbox.control.decideBrand(brandSid, 'fail-deletion')).rejects.toMatchObject({
      status: 409,
    });
  });

  test('a rejected customer profile carries errors naming the field; resubmitted, it carries none', async () => {
    const data = customer({ email: `jane.${Date.now()}@mailinator.com` });
    const bundles = await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, data);
    expect(
      (await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).errors,
    ).toBeNull();
    await t.sandbox.control.advance(`bundle-${bundles.customerProfileSid}`);
    const rejected = await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch();
    expect(rejected.status).toBe('twilio-rejected');
    expect(rejected.errors).toEqual([{ message: testData.EMAIL_REASONS.disposable, fields: ['email'] }]);
    await t.client.trusthub.v1
      .customerProfiles(bundles.customerProfileSid)
      .update({ status: 'pending-review' });
    expect(
      (await t.client.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).errors,
    ).toBeNull();
  });

  test('a noncompliant trust bundle is rejected with the evaluation’s error codes and fields', async () => {
    const product = await t.client.trusthub.v1.trustProducts.create({
      friendlyName: 'empty trust bundle',
      email: 'empty@example.com',
      policySid: SP_POLICY,
    });
    await t.client.trusthub.v1.trustProducts(product.sid).update({ status: 'pending-review' });
    await t.sandbox.control.advance(`bundle-${product.sid}`);
    const rejected = await t.client.trusthub.v1.trustProducts(product.sid).fetch();
    expect(rejected.status).toBe('twilio-rejected');
    expect(rejected.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 22214, fields: expect.arrayContaining(['brand_name']) as unknown }),
      ]),
    );
  });
});
