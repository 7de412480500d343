import { PacingGate, pacedActivities } from '../../../src/activities/pacing';

describe('PacingGate', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** Starts `n` turns at once and records when each resolves (fake clock). */
  async function startsOf(gate: PacingGate, n: number): Promise<number[]> {
    const started: number[] = [];
    const turns = Array.from({ length: n }, () => gate.turn().then(() => started.push(Date.now())));
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(turns);
    return started;
  }

  test('a burst starts one interval apart, in the order it asked', async () => {
    const started = await startsOf(new PacingGate(1_000), 3);
    expect(started).toEqual([1_000_000, 1_001_000, 1_002_000]);
  });

  test('a call after a quiet spell starts at once', async () => {
    const gate = new PacingGate(1_000);
    await startsOf(gate, 1);
    await jest.advanceTimersByTimeAsync(5_000);
    const before = Date.now();
    const started = await startsOf(gate, 1);
    expect(started).toEqual([before]);
  });

  test('a call less than an interval after the last waits for the rest of it', async () => {
    const gate = new PacingGate(1_000);
    await gate.turn();
    jest.setSystemTime(Date.now() + 400);
    const before = Date.now();
    const started = await startsOf(gate, 1);
    expect(started).toEqual([before + 600]);
  });
});

describe('pacedActivities', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  test('every activity passes one gate and keeps its result', async () => {
    const calls: [string, number][] = [];
    const activities = {
      a: async (x: number) => (calls.push(['a', Date.now()]), x + 1),
      b: async (x: number) => (calls.push(['b', Date.now()]), x * 2),
    };
    const paced = pacedActivities(activities, 2);
    const results = Promise.all([paced.a(1), paced.b(5), paced.a(2)]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await results).toEqual([2, 10, 3]);
    expect(calls).toEqual([
      ['a', 0],
      ['b', 500],
      ['a', 1_000],
    ]);
  });

  test('no pace configured: the activities themselves', () => {
    const activities = { a: async () => 1 };
    expect(pacedActivities(activities, undefined)).toBe(activities);
  });
});
