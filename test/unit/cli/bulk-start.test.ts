import { buildListQuery, RegistrarClient, ValidationError } from '../../../src/client';
import { SAMPLE_REGISTRATION_REQUEST } from '../../../src/domain';
import { FakeTemporal } from '../../helpers/fake-temporal';

const CONFIG = {
  timings: {
    settleDelayMs: 1_000,
    pollIntervalMs: 60_000,
    otpResendIntervalMs: 86_400_000,
    otpDeadlineMs: 1e9,
  },
  brandUsageKey: Buffer.alloc(32, 7),
};

/** The sample for another customer, with its own mobile number and email (TCR counts reuse). */
const customer = (id: string, n: number) => ({
  ...SAMPLE_REGISTRATION_REQUEST,
  customerId: id,
  soleProprietor: {
    ...SAMPLE_REGISTRATION_REQUEST.soleProprietor,
    mobilePhoneNumber: `+1415555030${n}`,
    email: `jane.${n}@example.com`,
  },
});

describe('startRegistrations', () => {
  test('checks every request, starts the valid ones once, and reports each in the order given', async () => {
    const temporal = new FakeTemporal();
    temporal.seed('a2p-registration-running', { status: 'RUNNING' });
    temporal.seed('a2p-registration-done', { status: 'COMPLETED', result: { outcome: 'completed' } });
    const registrar = new RegistrarClient(temporal.client, CONFIG);
    const seen: number[] = [];
    const results = await registrar.startRegistrations(
      [
        customer('new-1', 1),
        { ...customer('bad', 2), soleProprietor: { ...customer('bad', 2).soleProprietor, email: 'x' } },
        customer('running', 3),
        customer('done', 4),
        customer('new-1', 5),
        customer('new-2', 6),
      ],
      { concurrency: 2, onResult: (r) => seen.push(r.index) },
    );
    expect(results.map((r) => [r.index, r.status, r.customerId])).toEqual([
      [0, 'started', 'new-1'],
      [1, 'invalid', 'bad'],
      [2, 'already-started', 'running'],
      [3, 'already-started', 'done'],
      [4, 'invalid', 'new-1'],
      [5, 'started', 'new-2'],
    ]);
    expect(results[3]).toMatchObject({ completed: true });
    expect(results[2]).toMatchObject({ completed: false });
    expect(results[4]).toMatchObject({
      issues: [
        { path: 'customerId', message: '"new-1" is also request 1: each customer registers once per batch' },
      ],
    });
    expect(results[1]).toMatchObject({ issues: [expect.objectContaining({ path: 'soleProprietor.email' })] });
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // The running and completed registrations got no second run; each new customer got one.
    const runs = (id: string) => temporal.runs[`a2p-registration-${id}`].map((r) => r.status);
    expect(['new-1', 'running', 'done', 'new-2'].map(runs)).toEqual([
      ['RUNNING'],
      ['RUNNING'],
      ['COMPLETED'],
      ['RUNNING'],
    ]);
  });

  test('a concurrency that is not a positive whole number is refused', async () => {
    const registrar = new RegistrarClient(new FakeTemporal().client, CONFIG);
    await expect(registrar.startRegistrations([], { concurrency: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('start slots', () => {
  /** Lets every other pending call run before this one goes on. */
  const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

  test('a client starts at most maxConcurrentStarts registrations at once, and every one in its turn', async () => {
    const temporal = new FakeTemporal();
    const claiming = new Map<string, number>();
    let most = 0;
    temporal.onUpdate = async (_id, _name, args) => {
      const { registrationId } = args[0] as { registrationId: string };
      claiming.set(registrationId, (claiming.get(registrationId) ?? 0) + 1);
      most = Math.max(most, [...claiming.values()].filter((n) => n > 0).length);
      await yieldToOthers();
      claiming.set(registrationId, (claiming.get(registrationId) ?? 0) - 1);
      return { accepted: true, added: true };
    };
    const registrar = new RegistrarClient(temporal.client, { ...CONFIG, maxConcurrentStarts: 2 });
    const ids = ['s-1', 's-2', 's-3', 's-4', 's-5'];
    await Promise.all(ids.map((id, n) => registrar.startRegistration(customer(id, n))));
    expect(most).toBe(2);
    expect(temporal.startsOf('soleProprietorRegistration').map((s) => s.options.workflowId)).toEqual(
      ids.map((id) => `a2p-registration-${id}`),
    );
  });

  test('at startsPerSecond, each start begins an interval after the one before it', async () => {
    jest.useFakeTimers();
    try {
      const temporal = new FakeTemporal();
      const registrar = new RegistrarClient(temporal.client, { ...CONFIG, startsPerSecond: 10 });
      const started = () => temporal.startsOf('soleProprietorRegistration').length;
      const all = Promise.all(
        ['p-1', 'p-2', 'p-3'].map((id, n) => registrar.startRegistration(customer(id, n))),
      );
      await jest.advanceTimersByTimeAsync(0);
      expect(started()).toBe(1);
      await jest.advanceTimersByTimeAsync(99);
      expect(started()).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(started()).toBe(2);
      await jest.advanceTimersByTimeAsync(100);
      expect(started()).toBe(3);
      await all;
    } finally {
      jest.useRealTimers();
    }
  });

  test('a start that fails gives its slot to the next one', async () => {
    const temporal = new FakeTemporal();
    temporal.onUpdate = async (_id, _name, args) => {
      await yieldToOthers();
      if ((args[0] as { registrationId: string }).registrationId === 'a2p-registration-f-1')
        throw new Error('the server is unavailable');
      return { accepted: true, added: true };
    };
    const registrar = new RegistrarClient(temporal.client, { ...CONFIG, maxConcurrentStarts: 1 });
    const results = await Promise.allSettled(
      ['f-1', 'f-2', 'f-3'].map((id, n) => registrar.startRegistration(customer(id, n))),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});

describe('listRegistrations narrowed to customers', () => {
  test('the visibility query names their workflow ids, and refuses what is not a customer id', () => {
    expect(buildListQuery({ customerIds: ['c-1', 'c.2'] })).toBe(
      "WorkflowType IN ('soleProprietorRegistration', 'standardRegistration', 'externalCampaignRegistration') AND " +
        "WorkflowId IN ('a2p-registration-c-1', 'a2p-registration-c.2')",
    );
    expect(() => buildListQuery({ customerIds: ["x' OR WorkflowId != '"] })).toThrow(ValidationError);
    expect(() => buildListQuery({ customerIds: [] })).toThrow(ValidationError);
  });
});
