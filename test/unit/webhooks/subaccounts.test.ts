import { A2P_BRAND_SID, registrationWorkflowId } from '../../../src/shared';
import { cachedSubaccountTokens } from '../../../src/webhooks';
import {
  BRAND,
  brandEvent,
  closeServers,
  FakeSignaller,
  signedForm,
  signedJson,
  testServer,
} from './helpers';

const SUBACCOUNT = 'AC' + '5'.repeat(32);
const SUBACCOUNT_TOKEN = 'f'.repeat(32);
const OTHER = 'AC' + '6'.repeat(32);
const REGISTRATION = registrationWorkflowId('cust-sub');

afterEach(closeServers);

function server(lookups: string[]) {
  return testServer({
    signaller: new FakeSignaller().addWorkflow(REGISTRATION, { [A2P_BRAND_SID.name]: BRAND }),
    subaccountAuthToken: async (sid) => {
      lookups.push(sid);
      return sid === SUBACCOUNT ? SUBACCOUNT_TOKEN : undefined;
    },
  });
}

describe("a customer subaccount's own callbacks", () => {
  const body = (accountsid: string) =>
    JSON.stringify([brandEvent('brand-registered', { accountsid, brandstatus: 'APPROVED' })]);

  it("verifies a subaccount sink's events with that subaccount's token", async () => {
    const lookups: string[] = [];
    const { app, inject, signaller } = server(lookups);
    const res = await inject(
      signedJson('/webhooks/event-streams', body(SUBACCOUNT), { token: SUBACCOUNT_TOKEN }),
    );
    expect(res.statusCode).toBe(200);
    await app.close();
    expect(lookups).toEqual([SUBACCOUNT]);
    expect(signaller.signals.map((s) => s.workflowId)).toEqual([REGISTRATION]);
  });

  it("refuses events signed with a token other than the named account's", async () => {
    const lookups: string[] = [];
    const { inject } = server(lookups);
    // Signed with the subaccount's token but naming another account: that account's token decides.
    const forged = await inject(
      signedJson('/webhooks/event-streams', body(OTHER), { token: SUBACCOUNT_TOKEN }),
    );
    expect(forged.statusCode).toBe(403);
    const wrong = await inject(
      signedJson('/webhooks/event-streams', body(SUBACCOUNT), { token: 'a'.repeat(32) }),
    );
    expect(wrong.statusCode).toBe(403);
    expect(lookups).toEqual([OTHER, SUBACCOUNT]);
  });

  it('without the lookup, only the main account verifies', async () => {
    const { inject } = testServer({});
    const res = await inject(
      signedJson('/webhooks/event-streams', body(SUBACCOUNT), { token: SUBACCOUNT_TOKEN }),
    );
    expect(res.statusCode).toBe(403);
  });

  it("verifies a subaccount bundle's status callback by its AccountSid", async () => {
    const lookups: string[] = [];
    const { inject } = server(lookups);
    const params = { AccountSid: SUBACCOUNT, BundleSid: 'BU' + 'a'.repeat(32), Status: 'twilio-approved' };
    const res = await inject(
      signedForm(`/webhooks/trust-hub?workflowId=${encodeURIComponent(REGISTRATION)}`, params, {
        token: SUBACCOUNT_TOKEN,
      }),
    );
    expect(res.statusCode).not.toBe(403);
    expect(lookups).toEqual([SUBACCOUNT]);
  });
});

describe('cachedSubaccountTokens', () => {
  it('looks an account up once per ttl, a miss once per miss ttl, and ignores non-account SIDs', async () => {
    let clock = 0;
    const asked: string[] = [];
    const lookup = cachedSubaccountTokens(
      async (sid) => {
        asked.push(sid);
        return sid === SUBACCOUNT ? SUBACCOUNT_TOKEN : undefined;
      },
      { ttlMs: 1_000, missTtlMs: 100, now: () => clock },
    );
    expect(await Promise.all([lookup(SUBACCOUNT), lookup(SUBACCOUNT)])).toEqual([
      SUBACCOUNT_TOKEN,
      SUBACCOUNT_TOKEN,
    ]);
    expect(await lookup(OTHER)).toBeUndefined();
    expect(await lookup('not-an-account')).toBeUndefined();
    clock = 500;
    await lookup(SUBACCOUNT);
    await lookup(OTHER);
    expect(asked).toEqual([SUBACCOUNT, OTHER, OTHER]);
    clock = 1_500;
    await lookup(SUBACCOUNT);
    expect(asked).toEqual([SUBACCOUNT, OTHER, OTHER, SUBACCOUNT]);
  });

  it('treats a failed lookup as a miss', async () => {
    const lookup = cachedSubaccountTokens(() => Promise.reject(new Error('Twilio down')));
    expect(await lookup(SUBACCOUNT)).toBeUndefined();
  });
});
