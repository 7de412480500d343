import {
  customer,
  eventually,
  soleProprietorBundles,
  startTestSandbox,
  STARTER_POLICY,
  type TestSandbox,
} from './helpers';

describe('injected faults', () => {
  let t: TestSandbox;

  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.close());

  const fetchPolicy = () => t.client.trusthub.v1.policies(STARTER_POLICY).fetch();

  test('rate limiting answers 429 with code 20429', async () => {
    await t.sandbox.control.setFaults({ rateLimitFraction: 1 });
    await expect(fetchPolicy()).rejects.toMatchObject({ status: 429, code: 20429 });
    const { entries } = await t.sandbox.control.requests();
    expect(entries.at(-1)).toMatchObject({ status: 429, fault: 'rate-limit' });
  });

  test('server errors answer 500 and 503 in turn, with Twilio error bodies', async () => {
    await t.sandbox.control.setFaults({ serverErrorFraction: 1 });
    await expect(fetchPolicy()).rejects.toMatchObject({ status: 500, code: 20500 });
    await expect(fetchPolicy()).rejects.toMatchObject({ status: 503, code: 20503 });
  });

  test('latency is added to every request', async () => {
    await t.sandbox.control.setFaults({ latencyMs: 200 });
    const started = Date.now();
    await fetchPolicy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test('requests over the per-account concurrency limit answer 429', async () => {
    await t.sandbox.control.setFaults({ concurrencyLimit: 1, latencyMs: 200 });
    const results = await Promise.allSettled([fetchPolicy(), fetchPolicy(), fetchPolicy()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as { status: number }).status)).toEqual([429, 429]);
    expect(
      (await t.sandbox.control.requests()).entries.filter((e) => e.fault === 'concurrency'),
    ).toHaveLength(2);
  });

  test('"commit, then drop the response": the create happens but the client sees a network error', async () => {
    await t.sandbox.control.setFaults({
      dropAfterCommitFraction: 1,
      endpoints: ['POST /trusthub/v1/CustomerProfiles'],
    });
    await expect(
      t.client.trusthub.v1.customerProfiles.create({
        friendlyName: 'dropped',
        email: 'd@example.com',
        policySid: STARTER_POLICY,
      }),
    ).rejects.toThrow();
    await t.sandbox.control.clearFaults();
    const found = await t.client.trusthub.v1.customerProfiles.list({ friendlyName: 'dropped' });
    expect(found).toHaveLength(1);
  });

  test('"commit, then drop the response" as a 502', async () => {
    await t.sandbox.control.setFaults({
      dropAfterCommitFraction: 1,
      dropMode: '502',
      endpoints: ['POST /messaging/v1/Services'],
    });
    await expect(
      t.client.messaging.v1.services.create({ friendlyName: 'dropped-502' }),
    ).rejects.toMatchObject({ status: 502 });
    await t.sandbox.control.clearFaults();
    expect((await t.client.messaging.v1.services.list()).map((s) => s.friendlyName)).toEqual(['dropped-502']);
  });

  test('faults can be limited to some endpoints', async () => {
    await t.sandbox.control.setFaults({ rateLimitFraction: 1, endpoints: ['/a2p/BrandRegistrations'] });
    await expect(fetchPolicy()).resolves.toBeDefined();
    await expect(t.client.messaging.v1.brandRegistrations.list()).rejects.toMatchObject({ status: 429 });
  });

  test('`times` aims a fault at the first calls of each endpoint; later calls run', async () => {
    await t.sandbox.control.setFaults({ serverErrorFraction: 1, times: 1 });
    await expect(fetchPolicy()).rejects.toMatchObject({ status: 500 });
    await expect(fetchPolicy()).resolves.toBeDefined();
    await expect(t.client.messaging.v1.brandRegistrations.list()).rejects.toMatchObject({ status: 503 });
    await expect(t.client.messaging.v1.brandRegistrations.list()).resolves.toEqual([]);
  });

  test('an endpoint ending in $ matches the end of the route only', async () => {
    await t.sandbox.control.setFaults({
      rateLimitFraction: 1,
      endpoints: ['GET /messaging/v1/a2p/BrandRegistrations$'],
    });
    await expect(t.client.messaging.v1.brandRegistrations.list()).rejects.toMatchObject({ status: 429 });
    await expect(
      t.client.messaging.v1.brandRegistrations(`BN${'0'.repeat(32)}`).fetch(),
    ).rejects.toMatchObject({ status: 404 });
  });

  test('"commit, then answer too late": the create happens, the answer comes after the caller gave up', async () => {
    await t.sandbox.control.setFaults({
      holdAfterCommitMs: 1_500,
      endpoints: ['POST /messaging/v1/Services$'],
      times: 1,
    });
    const impatient = (await import('../../../src/twilio/client')).createTwilioClient({
      accountSid: t.sandbox.accountSid,
      authToken: t.sandbox.authToken,
      apiBaseUrl: t.sandbox.url,
      timeoutMs: 300,
    });
    await expect(impatient.messaging.v1.services.create({ friendlyName: 'late' })).rejects.toThrow();
    expect((await t.client.messaging.v1.services.list()).map((s) => s.friendlyName)).toEqual(['late']);
    const late = await eventually(async () => {
      const { entries } = await t.sandbox.control.requests();
      return entries.find((e) => e.fault === 'hold-after-commit');
    }, 'the late answer logged');
    expect(late).toMatchObject({ status: 201, committed: true });
  });

  test('a commit listener runs after the write committed and before the answer leaves', async () => {
    const seen: string[] = [];
    const off = t.sandbox.onCommit(async (c) => {
      seen.push(`${c.endpoint} ${c.status}`);
      expect((await t.client.messaging.v1.services.list()).map((s) => s.friendlyName)).toEqual(['hooked']);
    });
    await t.client.messaging.v1.services.create({ friendlyName: 'hooked' });
    off();
    await t.client.messaging.v1.services.create({ friendlyName: 'not hooked' });
    expect(seen).toEqual(['POST /messaging/v1/Services 201']);
    const { entries } = await t.sandbox.control.requests();
    expect(entries.filter((e) => e.method === 'POST').map((e) => e.committed)).toEqual([true, true]);
  });

  test('with a seed, the same requests fail on every run', async () => {
    async function run(): Promise<number[]> {
      await t.sandbox.control.setFaults({ rateLimitFraction: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push(
          await fetchPolicy().then(
            () => 200,
            (err: { status: number }) => err.status,
          ),
        );
      return statuses;
    }
    const first = await run();
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  test('bad credentials answer 401 with code 20003, whatever the faults', async () => {
    const bad = (await import('../../../src/twilio/client')).createTwilioClient({
      accountSid: t.sandbox.accountSid,
      authToken: 'wrong',
      apiBaseUrl: t.sandbox.url,
    });
    await expect(bad.trusthub.v1.policies(STARTER_POLICY).fetch()).rejects.toMatchObject({
      status: 401,
      code: 20003,
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
  });

  test('reset forgets resources and faults', async () => {
    await soleProprietorBundles(t.client, t.sandbox.primaryProfileSid, customer());
    await t.sandbox.control.setFaults({ latencyMs: 5_000 });
    await t.sandbox.control.reset();
    expect(await t.client.trusthub.v1.customerProfiles.list()).toEqual([
      expect.objectContaining({ sid: t.sandbox.primaryProfileSid }),
    ]);
    expect((await t.sandbox.control.ledger()).entries).toEqual([]);
  });
});
