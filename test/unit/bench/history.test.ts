import { achievedPace, mandatedPacingWaits, smallestGap } from '../../../bench/history';

describe('mandatedPacingWaits', () => {
  test('calls arriving together take one turn per interval, in the order they were made', () => {
    const waits = mandatedPacingWaits(
      [
        { registration: 'c', arrivesAt: 2_000, order: 3 },
        { registration: 'a', arrivesAt: 2_000, order: 1 },
        { registration: 'b', arrivesAt: 2_000, order: 2 },
      ],
      1,
    );
    expect(Object.fromEntries(waits)).toEqual({
      a: { waitMs: 0, startsAt: 2_000 },
      b: { waitMs: 1_000, startsAt: 3_000 },
      c: { waitMs: 2_000, startsAt: 4_000 },
    });
  });

  test('a call after the queue emptied waits for nothing; a faster pace shortens the turns', () => {
    const calls = [
      { registration: 'a', arrivesAt: 0, order: 1 },
      { registration: 'b', arrivesAt: 500, order: 2 },
      { registration: 'c', arrivesAt: 5_000, order: 3 },
    ];
    expect([...mandatedPacingWaits(calls, 1).values()].map((w) => w.waitMs)).toEqual([0, 500, 0]);
    expect([...mandatedPacingWaits(calls, 2).values()].map((w) => w.waitMs)).toEqual([0, 0, 0]);
  });
});

describe('achievedPace', () => {
  test('counts the busiest 1 s window and the mean rate from first to last', () => {
    expect(achievedPace([0, 1_000, 2_000, 3_000])).toEqual({ max1s: 1, meanPerSecond: 1 });
    expect(achievedPace([0, 999, 2_000, 2_001, 2_500])).toEqual({ max1s: 3, meanPerSecond: 4 / 2.5 });
    expect(achievedPace([7])).toEqual({ max1s: 1, meanPerSecond: NaN });
  });

  test('smallestGap is the closest two times, in any order', () => {
    expect(smallestGap([3_000, 0, 1_200, 2_000])).toBe(800);
    expect(smallestGap([1])).toBeNaN();
  });
});
