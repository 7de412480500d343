import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_SAVE_INTERVAL_MS } from '../../../src/sandbox/engine/core';
import * as sandboxState from '../../../src/sandbox/state';
import { startTestSandbox } from './helpers';

/**
 * A sandbox holding 10,000 customers does not rewrite its megabytes of state per request: the
 * state file is saved coalesced, one save for every change since the last and never two within
 * MIN_SAVE_INTERVAL_MS, and closing still saves the last state.
 */
const writeState = jest.requireActual<typeof sandboxState>('../../../src/sandbox/state').saveState;

describe('a sandbox with 10,000 customers in its state file', () => {
  test('saves coalesced, not per request, and keeps the last change across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-sandbox-scale-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ stateFile });
      await first.sandbox.control.prefill(10_000);
      await first.sandbox.control.clearRequestLog();
      const saves: number[] = [];
      const save = jest.spyOn(sandboxState, 'saveState').mockImplementation((file, state) => {
        saves.push(performance.now());
        writeState(file, state);
      });
      let last = '';
      for (let i = 0; i < 50; i++) {
        const profile = await first.client.trusthub.v1.customerProfiles.create({
          friendlyName: `scale-${i}`,
          email: 'owner@example.com',
          policySid: 'RN806dd6cd175f314e1f96a9727ee271f4',
        });
        await first.client.trusthub.v1
          .customerProfiles(profile.sid)
          .customerProfilesEntityAssignments.create({ objectSid: 'BU00000000000000000000000000000001' });
        last = profile.sid;
      }
      // 100 changing requests: one save each would be 100 rewrites of over a megabyte.
      expect(saves.length).toBeLessThan(100);
      const gaps = saves.slice(1).map((at, i) => at - saves[i]);
      // A timer of MIN_SAVE_INTERVAL_MS may fire a millisecond early by performance.now().
      expect(gaps.every((gap) => gap >= MIN_SAVE_INTERVAL_MS - 1)).toBe(true);
      const beforeClose = saves.length;
      await first.close();
      expect(saves.length).toBe(beforeClose + 1);
      save.mockRestore();
      expect(statSync(stateFile).size).toBeGreaterThan(1_000_000);

      const second = await startTestSandbox({ stateFile });
      try {
        expect((await second.client.trusthub.v1.customerProfiles(last).fetch()).friendlyName).toBe(
          'scale-49',
        );
        const assigned = await second.client.trusthub.v1
          .customerProfiles(last)
          .customerProfilesEntityAssignments.list();
        expect(assigned.map((a) => a.objectSid)).toEqual(['BU00000000000000000000000000000001']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
