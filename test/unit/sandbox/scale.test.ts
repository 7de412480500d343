import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox } from './helpers';

/**
 * A sandbox holding 10,000 customers stays fast: the state file is saved coalesced, not once per
 * request, one bundle's assignments are found without scanning every customer's, and closing
 * still saves the last state.
 */
describe('a sandbox with 10,000 customers in its state file', () => {
  test('answers quickly and keeps the last change across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-sandbox-scale-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ stateFile });
      await first.sandbox.control.prefill(10_000);
      await first.sandbox.control.clearRequestLog();
      const started = Date.now();
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
      const elapsed = Date.now() - started;
      // 100 requests; a full rewrite of this state per request alone would take far longer.
      expect(elapsed).toBeLessThan(5_000);
      await first.close();
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
