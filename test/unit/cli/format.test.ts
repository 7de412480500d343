import type { RegistrationSummary } from '../../../src/client';
import {
  formatDeregistration,
  formatDuration,
  formatExternalProgress,
  formatList,
  formatProgress,
} from '../../../src/cli/format';
import type { ExternalCampaignProgress, RegistrationProgress, StandardProgress } from '../../../src/shared';

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

  test('a Standard registration shows its brand type, subaccount, vetting, Authentication+ wait and every campaign', () => {
    const standard: StandardProgress = {
      brandType: 'STANDARD',
      subaccountSid: 'AC55555555555555555555555555555555',
      eventStream: { sinkSid: 'DG1', subscriptionSid: 'DF1' },
      vetting: { score: 16, feedback: ['TAX_ID', 'STOCK_SYMBOL'] },
      authentication: { email: 'ir@acme.example.com', since: '2026-11-20T10:00:00.000Z' },
      campaigns: [
        {
          index: 0,
          usecase: 'CUSTOMER_CARE',
          messagingServiceSid: 'MG66666666666666666666666666666666',
          sid: 'QE77777777777777777777777777777777',
          status: 'VERIFIED',
          attempt: 1,
          errors: [],
          previousSids: [],
          numbers: {
            PN00000000000000000000000000000001: { added: true, registration: 'successful' },
            PN00000000000000000000000000000002: {
              added: true,
              registration: 'failed',
              failure: 'carrier refused the number',
            },
          },
        },
        {
          index: 1,
          usecase: 'SWEEPSTAKE',
          postApprovalRequired: true,
          messagingServiceSid: 'MG88888888888888888888888888888888',
          status: 'FAILED',
          attempt: 2,
          errors: ['30896: privacy policy missing', '30897: samples do not match'],
          previousSids: [],
          numbers: {},
        },
      ],
    };
    const lines = formatProgress(progress({ standard }), NOW).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Brand: STANDARD (secondary vetting), status APPROVED, identity UNVERIFIED, resubmissions 0',
        'Subaccount: AC55555555555555555555555555555555 (Event Streams sink DG1, subscription DF1)',
        'Vetting: score 16, feedback TAX_ID, STOCK_SYMBOL',
        'Authentication+ email to ir@acme.example.com: sent 2026-11-20T10:00:00.000Z (2h ago), not answered yet',
        'Campaigns (2):',
        '  campaigns.0: CUSTOMER_CARE, status VERIFIED, submission #1, service MG66666666666666666666666666666666, ' +
          'QE77777777777777777777777777777777',
        '      PN00000000000000000000000000000001  in the Messaging Service, carrier registration successful',
        '      PN00000000000000000000000000000002  in the Messaging Service, carrier registration failed: carrier refused the number',
        '  campaigns.1: SWEEPSTAKE, status FAILED, submission #2, service MG88888888888888888888888888888888, ' +
          'post-approval by Twilio needed',
        '      errors: 30896: privacy policy missing; 30897: samples do not match',
        '      numbers: none added yet',
      ]),
    );
    // The Sole Proprietor lines (OTPs, the one campaign) are not shown for a Standard brand.
    expect(lines.join('\n')).not.toContain('OTPs sent');
    expect(lines.join('\n')).not.toContain('Campaign: status');
  });

  test('a verified Authentication+ email and a Low-Volume Standard brand without a subaccount', () => {
    const text = formatProgress(
      progress({
        standard: {
          brandType: 'LOW_VOLUME_STANDARD',
          authentication: {
            email: 'ir@acme.example.com',
            since: '2026-11-20T10:00:00.000Z',
            verifiedAt: '2026-11-20T11:00:00.000Z',
          },
          campaigns: [],
        },
      }),
      NOW,
    );
    expect(text).toContain('Brand: LOW_VOLUME_STANDARD (no secondary vetting), status APPROVED');
    expect(text).toContain('Vetting: score -');
    expect(text).toContain(': sent 2026-11-20T10:00:00.000Z (2h ago), verified 2026-11-20T11:00:00.000Z');
    expect(text).not.toContain('Subaccount:');
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
