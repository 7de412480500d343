import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMPAIGN_RULES } from '../../../../src/domain';

/** docs/campaign-review.md tables every rule with its level and Twilio code; a new rule must be added. */
test('docs/campaign-review.md lists every rule with its level and code', () => {
  const doc = readFileSync(join(__dirname, '../../../../docs/campaign-review.md'), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\| `([a-z0-9-]+)` +\| (blocking|warning) +\| (\d+) +\|/gm)].map((m) => [
      m[1],
      { level: m[2], code: Number(m[3]) },
    ]),
  );
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries(CAMPAIGN_RULES.map((r) => [r.id, { level: r.level, code: r.code }])),
  );
});
