import { createTwilioClient, type TwilioClient } from '../../../src/twilio/client';
import { startTestSandbox, type TestSandbox } from './helpers';
import { standardBrand } from './standard-helpers';

const PN5 = 'PN00000000000000000000000000000005';

describe('subaccounts (2010 Accounts resource)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  const clientFor = (sid: string, token: string): TwilioClient =>
    createTwilioClient({ accountSid: sid, authToken: token, apiBaseUrl: t.sandbox.url, timeoutMs: 10_000 });

  async function subaccount(friendlyName: string) {
    const a = await t.client.api.v2010.accounts.create({ friendlyName });
    return { sid: a.sid, token: a.authToken, client: clientFor(a.sid, a.authToken) };
  }

  test('a subaccount has its own SID and token, is listed by FriendlyName and can be suspended', async () => {
    const a = await subaccount('customer-a');
    expect(a.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(a.token).not.toBe(t.sandbox.authToken);
    const listed = await t.client.api.v2010.accounts.list({ friendlyName: 'customer-a' });
    expect(listed.map((x) => [x.sid, x.status, x.ownerAccountSid])).toEqual([
      [a.sid, 'active', t.sandbox.accountSid],
    ]);
    // A subaccount sees only itself and cannot create subaccounts.
    expect((await a.client.api.v2010.accounts.list()).map((x) => x.sid)).toEqual([a.sid]);
    await expect(a.client.api.v2010.accounts.create({ friendlyName: 'nested' })).rejects.toMatchObject({
      status: 403,
    });
    await t.client.api.v2010.accounts(a.sid).update({ status: 'suspended' });
    await expect(a.client.messaging.v1.services.list()).rejects.toMatchObject({ status: 401 });
    await t.client.api.v2010.accounts(a.sid).update({ status: 'active' });
    expect(await a.client.messaging.v1.services.list()).toEqual([]);
  });

  test('a subaccount’s Trust Hub objects, brand and services are invisible to the main account and another subaccount', async () => {
    const a = await subaccount('customer-b');
    const other = await subaccount('customer-c');
    const { brandSid, bundles } = await standardBrand(t, undefined, { client: a.client });
    await t.sandbox.control.advance(`brand-${brandSid}`);
    const mg = await a.client.messaging.v1.services.create({ friendlyName: 'b' });
    const b = await a.client.messaging.v1.brandRegistrations(brandSid).fetch();
    expect([b.accountSid, b.status, b.identityStatus]).toEqual([a.sid, 'APPROVED', 'VETTED_VERIFIED']);
    for (const c of [t.client, other.client]) {
      await expect(c.messaging.v1.brandRegistrations(brandSid).fetch()).rejects.toMatchObject({
        status: 404,
      });
      expect((await c.messaging.v1.brandRegistrations.list()).map((x) => x.sid)).not.toContain(brandSid);
      await expect(c.trusthub.v1.customerProfiles(bundles.customerProfileSid).fetch()).rejects.toMatchObject({
        status: 404,
      });
      await expect(c.messaging.v1.services(mg.sid).fetch()).rejects.toMatchObject({ status: 404 });
    }
    const ledger = (await t.sandbox.control.ledger()).entries.filter((e) => e.sid === brandSid);
    expect(ledger.map((e) => [e.kind, e.accountSid])).toEqual([
      ['brand-registration', a.sid],
      ['secondary-vetting', a.sid],
    ]);
  });

  test('numbers are bought in a subaccount, or moved to it, and only it sees them', async () => {
    const a = await subaccount('customer-d');
    expect(await a.client.incomingPhoneNumbers.list()).toEqual([]);
    // Main credentials with the subaccount in the path (2010 API).
    const bought = await t.client.api.v2010.accounts(a.sid).incomingPhoneNumbers.create({ areaCode: '628' });
    expect(bought.accountSid).toBe(a.sid);
    const moved = await t.client.incomingPhoneNumbers(PN5).update({ accountSid: a.sid });
    expect(moved.accountSid).toBe(a.sid);
    expect((await a.client.incomingPhoneNumbers.list()).map((n) => n.sid).sort()).toEqual(
      [bought.sid, PN5].sort(),
    );
    expect((await t.client.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(PN5);
    // A subaccount cannot reach the main account's numbers through the path.
    await expect(
      a.client.api.v2010.accounts(t.sandbox.accountSid).incomingPhoneNumbers.list(),
    ).rejects.toMatchObject({
      status: 404,
    });
    const mg = await a.client.messaging.v1.services.create({ friendlyName: 'd' });
    await a.client.messaging.v1.services(mg.sid).phoneNumbers.create({ phoneNumberSid: PN5 });
  });
});
