import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  A2P_MESSAGING_PROFILE_POLICY_SID,
  BRAND_STATUSES,
  CAMPAIGN_LIMITS,
  CAMPAIGN_RECREATE_DELAY_MS,
  CAMPAIGN_STATUSES,
  EXTERNAL_ASSOCIATION_DELETE_DELAY_MS,
  EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS,
  isBrandStatus,
  isCampaignStatus,
  isSid,
  MAX_BRANDS_PER_ADDRESS,
  MAX_BRANDS_PER_EMAIL,
  MAX_BRANDS_PER_MOBILE_NUMBER,
  OTP_COMPLETION_DEADLINE_MS,
  OTP_RETRY_REQUESTS_PER_SECOND,
  OTP_VALIDITY_MS,
  SECONDARY_CUSTOMER_PROFILE_POLICY_SID,
  SETTLE_DELAY_MS,
  SID_PATTERNS,
  SOLE_PROPRIETOR_TRUST_POLICY_SID,
  STARTER_CUSTOMER_PROFILE_POLICY_SID,
  TCR_CAMPAIGN_ID_PATTERN,
  VERTICALS,
} from '../../../src/domain';

describe('documented constants', () => {
  it('has the four Trust Hub policy SIDs, each a well-formed RN SID', () => {
    const policies = [
      STARTER_CUSTOMER_PROFILE_POLICY_SID,
      SOLE_PROPRIETOR_TRUST_POLICY_SID,
      SECONDARY_CUSTOMER_PROFILE_POLICY_SID,
      A2P_MESSAGING_PROFILE_POLICY_SID,
    ];
    expect(policies).toEqual([
      'RN806dd6cd175f314e1f96a9727ee271f4',
      'RN670d5d2e282a6130ae063b234b6019c8',
      'RNdfbf3fae0e1107f8aded0e7cead80bf5',
      'RNb0d4771c2c98518d916a3d4cd70a8f8b',
    ]);
    for (const sid of policies) expect(isSid('policy', sid)).toBe(true);
  });

  it('has the documented delays, limits and lengths', () => {
    expect(SETTLE_DELAY_MS).toBe(30_000);
    expect([
      CAMPAIGN_RECREATE_DELAY_MS,
      EXTERNAL_ASSOCIATION_DELETE_DELAY_MS,
      EXTERNAL_CAMPAIGN_REQUEST_INTERVAL_MS,
    ]).toEqual([5_000, 5_000, 5_000]);
    expect(OTP_VALIDITY_MS).toBe(86_400_000);
    expect(OTP_COMPLETION_DEADLINE_MS).toBe(30 * OTP_VALIDITY_MS);
    expect(OTP_RETRY_REQUESTS_PER_SECOND).toBe(10);
    expect([MAX_BRANDS_PER_MOBILE_NUMBER, MAX_BRANDS_PER_EMAIL, MAX_BRANDS_PER_ADDRESS]).toEqual([3, 10, 10]);
    expect(CAMPAIGN_LIMITS).toEqual({
      description: { min: 40, max: 4096 },
      messageFlow: { min: 40, max: 2048 },
      samples: { min: 2, max: 5 },
      sample: { min: 20, max: 1024 },
      autoReply: { min: 20, max: 320 },
      keywords: { max: 255 },
    });
  });

  it('lists the 23 verticals of 000 2.3 once each', () => {
    expect(VERTICALS).toHaveLength(23);
    expect(new Set(VERTICALS).size).toBe(23);
    expect(VERTICALS).toEqual(
      expect.arrayContaining(['AGRICULTURE', 'HUMAN_RESOURCES', 'NGO', 'TRANSPORTATION']),
    );
  });

  it('recognises documented statuses only', () => {
    expect(BRAND_STATUSES).toEqual(
      expect.arrayContaining(['PENDING', 'APPROVED', 'FAILED', 'IN_REVIEW', 'DELETION_PENDING', 'SUSPENDED']),
    );
    expect(isBrandStatus('APPROVED')).toBe(true);
    expect(isBrandStatus('approved')).toBe(false);
    expect(isBrandStatus('DELETED')).toBe(false);
    expect(CAMPAIGN_STATUSES).toEqual(['PENDING', 'IN_PROGRESS', 'VERIFIED', 'FAILED', 'SUSPENDED']);
    expect(isCampaignStatus('IN_PROGRESS')).toBe(true);
    expect(isCampaignStatus(7)).toBe(false);
  });
});

describe('SID and id patterns', () => {
  const hex = '0123456789abcdef0123456789abcdef';

  it.each(Object.entries(SID_PATTERNS))('%s accepts its prefix and 32 hex digits only', (kind, pattern) => {
    const prefix = pattern.source.slice(1, 3);
    expect(pattern.test(`${prefix}${hex}`)).toBe(true);
    expect(pattern.test(`${prefix}${hex.toUpperCase()}`)).toBe(true); // 001: [0-9a-fA-F]{32}
    expect(pattern.test(`${prefix}${hex.slice(1)}`)).toBe(false);
    expect(pattern.test(`${prefix}${hex}0`)).toBe(false);
    expect(pattern.test(`${prefix}${hex.slice(1)}g`)).toBe(false);
    expect(pattern.test(`${prefix === 'BU' ? 'PN' : 'BU'}${hex}`)).toBe(false);
    expect(isSid(kind as keyof typeof SID_PATTERNS, `${prefix}${hex}`)).toBe(true);
  });

  it('has every prefix the workflows use', () => {
    const prefixes = Object.values(SID_PATTERNS).map((p) => p.source.slice(1, 3));
    expect(prefixes.sort()).toEqual(['AC', 'AD', 'BN', 'BU', 'IT', 'MG', 'PN', 'QE', 'RD', 'RN']);
  });

  it('takes 7-character TCR campaign ids starting with C', () => {
    expect(TCR_CAMPAIGN_ID_PATTERN.test('CRMTK1Z')).toBe(true);
    expect(TCR_CAMPAIGN_ID_PATTERN.test('CFOOBAR')).toBe(true);
    for (const id of ['CRMTK1', 'CRMTK1ZZ', 'DRMTK1Z', 'CRM_K1Z'])
      expect(TCR_CAMPAIGN_ID_PATTERN.test(id)).toBe(false);
  });
});

describe('workflow sandbox safety', () => {
  // src/domain is bundled into Temporal workflow code: no Node built-ins, no I/O, no clock.
  const dir = join(__dirname, '../../../src/domain');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

  it('finds the domain sources', () => {
    expect(sources.map(([f]) => f)).toEqual(
      expect.arrayContaining(['rules.ts', 'registration.ts', 'index.ts']),
    );
  });

  it.each(sources)(
    '%s imports only zod and sibling modules, and uses no process, Buffer or clock',
    (_, source) => {
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect(spec === 'zod' || spec.startsWith('./')).toBe(true);
      expect(source).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|Date\.now|new Date\(|Math\.random/);
    },
  );
});
