import type { RegistrationSummary } from '../../../src/client';
import {
  formatDeregistration,
  formatDuration,
  formatExternalProgress,
  formatList,
  formatProgress,
} from '../../../src/cli/format';
import type { ExternalCampaignProgress, RegistrationProgress } from '../../../src/shared';

const NOW = new Date('2026-11-20T12:00:00.000Z');

function progress(overrides: Partial<RegistrationProgress> = {}): RegistrationProgress {
  return {
    customerId: 'cust-42',
    phase: 'brand-verification',
    waitingFor: { what: 'the customer to verify the OTP', since: '2026-11-19T09:30:00.000Z' },
    steps: {
      customerProfile: {
        status: 'done',
        sid: 'BU11111111111111111111111111111111',
        twilioStatus: 'in-review',
      },
      trustBundle: { status: 'done', sid: 'BU22222222222222222222222222222222', twilioStatus: 'in-review' },
      brand: { status: 'waiting', sid: 'BN33333333333333333333333333333333', twilioStatus: 'APPROVED' },
      messagingService: { status: 'pending' },
      campaign: { status: 'pending' },
      phoneNumber: { status: 'pending' },
    },
    brand: { status: 'APPROVED', identityStatus: 'UNVERIFIED', otpSends: 2, resubmissions: 0 },
    campaign: { attempt: 0 },
    issues: [],
    fees: [
      {
        kind: 'brand-registration',
        sid: 'BN33333333333333333333333333333333',
        at: '2026-11-19T09:00:00.000Z',
      },
    ],
    startedAt: '2026-11-19T08:00:00.000Z',
    updatedAt: '2026-11-19T09:30:00.000Z',
    ...overrides,
  };
}

describe('a2p status', () => {
  test('shows the phase, what it waits for and since when, every step with its SID, and the fees', () => {
    const text = formatProgress(progress(), NOW);
    expect(text).toContain('Customer cust-42: brand-verification');
    expect(text).toContain(
      'Waiting for the customer to verify the OTP since 2026-11-19T09:30:00.000Z (1d 2h ago)',
    );
    // Submitted, and in review at Twilio until the brand is verified: not "done".
    expect(text).toMatch(/Starter customer profile\s+submitted\s+in-review\s+BU1{32}/);
    expect(text).toMatch(/Brand\s+waiting\s+APPROVED\s+BN3{32}/);
    expect(text).toMatch(/Campaign\s+pending\s+-\s+-/);
    expect(text).toContain('Brand: status APPROVED, identity UNVERIFIED, OTPs sent 2');
    expect(text).toContain('Campaign: status -, submission #0');
    expect(text).toContain('Fees incurred (1):');
    expect(text).toContain('Brand registration  BN33333333333333333333333333333333');
    expect(text).not.toContain("Twilio's latest errors");
  });

  test("lists Twilio's five latest errors with their codes and failing fields, and says how many are hidden", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      step: 'brand' as const,
      message: `brand error ${i}`,
      at: `2026-11-19T10:0${i}:00.000Z`,
      ...(i === 6
        ? { code: 30794, fields: ['soleProprietor.email', 'soleProprietor.mobilePhoneNumber'] }
        : {}),
    }));
    const text = formatProgress(
      progress({ issues, phase: 'needs-correction', guidance: 'Fix the email' }),
      NOW,
    );
    expect(text).toContain("Twilio's latest errors (2 older in --json):");
    expect(text).not.toContain('brand error 1');
    expect(text).toContain('brand error 2');
    expect(text).toContain('Brand: [30794] brand error 6');
    expect(text).toContain('      - soleProprietor.email');
    expect(text).toContain('      - soleProprietor.mobilePhoneNumber');
    expect(text).toContain('Next: Fix the email');
  });

  test('a finished registration shows its outcome and no wait; no fees reads "none yet"', () => {
    const text = formatProgress(
      progress({ phase: 'completed', outcome: 'completed', waitingFor: undefined, fees: [] }),
      NOW,
    );
    expect(text).toContain('Customer cust-42: completed (outcome: completed)');
    expect(text).not.toContain('Waiting for');
    expect(text).toContain('Fees incurred: none yet');
  });

  test('an external campaign shows its service, numbers, association count and TCR feedback', () => {
    const p: ExternalCampaignProgress = {
      campaignId: 'CABC123',
      phase: 'share-deleted',
      messagingServiceSid: 'MG44444444444444444444444444444444',
      phoneNumberSids: ['PN1', 'PN2'],
      associations: 1,
      shareFeedback: 'Sample messages do not match the use case',
      waitingFor: { what: 'a re-share from TCR', since: '2026-11-20T11:59:30.000Z' },
      issues: [],
      startedAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T11:59:30.000Z',
    };
    const text = formatExternalProgress(p, NOW);
    expect(text).toContain('External campaign CABC123: share-deleted');
    expect(text).toContain('(30s ago)');
    expect(text).toMatch(/Phone numbers\s+PN1, PN2/);
    expect(text).toMatch(/Associations made\s+1/);
    expect(text).toContain('TCR share feedback: Sample messages do not match the use case');
  });
});

describe('durations', () => {
  test.each([
    [0, '0s'],
    [12_000, '12s'],
    [250_000, '4m 10s'],
    [2 * 3_600_000 + 5 * 60_000 + 9_000, '2h 5m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
    [86_400_000 + 30_000, '1d'],
    [-5_000, '0s'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('a2p list', () => {
  test('one aligned row per registration, external campaigns marked as such', () => {
    const rows: RegistrationSummary[] = [
      {
        workflowId: 'a2p-registration-cust-1',
        kind: 'sole-proprietor',
        customerId: 'cust-1',
        status: 'RUNNING',
        phase: 'campaign',
        brandStatus: 'APPROVED',
        campaignStatus: 'IN_PROGRESS',
        startTime: new Date('2026-11-20T10:00:00.000Z'),
      },
      {
        workflowId: 'a2p-external-campaign-CABC123',
        kind: 'external-campaign',
        campaignId: 'CABC123',
        status: 'COMPLETED',
        phase: 'completed',
        startTime: new Date('2026-11-19T10:00:00.000Z'),
      },
    ];
    const [header, first, second, ...rest] = formatList(rows).split('\n');
    expect(rest).toEqual([]);
    expect(header).toMatch(/^ID\s+WORKFLOW STATUS\s+PHASE\s+BRAND\s+CAMPAIGN\s+STARTED$/);
    expect(first).toMatch(
      /^cust-1\s+RUNNING\s+campaign\s+APPROVED\s+IN_PROGRESS\s+2026-11-20T10:00:00.000Z$/,
    );
    expect(second).toMatch(/^CABC123 \(external\)\s+COMPLETED\s+completed\s+-\s+-\s+2026-11-19/);
    // Columns line up: every row has its status at the same offset as the header's column.
    expect(first.indexOf('RUNNING')).toBe(header.indexOf('WORKFLOW STATUS'));
    expect(second.indexOf('COMPLETED')).toBe(header.indexOf('WORKFLOW STATUS'));
  });

  test('says so when nothing matches', () => {
    expect(formatList([])).toBe('No registrations match.');
  });
});

describe('a2p deregister', () => {
  test('lists what was removed and what remains at Twilio', () => {
    const text = formatDeregistration({
      registrationWorkflowId: 'a2p-registration-cust-1',
      phase: 'done',
      removed: ['campaign on MG1', 'phone number PN1'],
      remaining: ['brand BN1 (only Twilio support can remove it)'],
    });
    expect(text.split('\n')).toEqual([
      'Deregistered a2p-registration-cust-1',
      'Removed:',
      '  - campaign on MG1',
      '  - phone number PN1',
      'Remaining:',
      '  - brand BN1 (only Twilio support can remove it)',
    ]);
    expect(
      formatDeregistration({ registrationWorkflowId: 'x', phase: 'done', removed: [], remaining: [] }),
    ).toBe('Deregistered x\nRemoved: nothing');
  });
});
