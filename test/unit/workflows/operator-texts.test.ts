import {
  correctionFee,
  feesSoFar,
  operatorViews,
  type RegistrationProgress,
  workflowListUrl,
} from '../../../src/shared';
import { correctionWait, currentDetails, otpWait } from '../../../src/workflows/registration/texts';

function progress(overrides: Partial<RegistrationProgress> = {}): RegistrationProgress {
  const pending = { status: 'pending' as const };
  return {
    customerId: 'cust-1',
    phase: 'needs-correction',
    phaseSince: '2026-11-20T10:00:00.000Z',
    steps: {
      customerProfile: { status: 'needs-correction', sid: 'BU1' },
      trustBundle: pending,
      brand: pending,
      messagingService: pending,
      campaign: pending,
      phoneNumber: pending,
    },
    brand: { otpSends: 0, resubmissions: 0 },
    campaign: { attempt: 0 },
    issues: [
      {
        step: 'customerProfile',
        message: 'Twilio rejected the starter customer profile: Email is a suspected disposable address',
        at: '2026-11-20T10:00:00.000Z',
      },
    ],
    fees: [],
    startedAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

describe("the Web UI's Current Details", () => {
  test('a correction wait says since when, Twilio’s reason and the exact command', () => {
    const p = progress();
    p.waitingFor = {
      what: 'corrected registration data',
      since: '2026-11-20T10:00:00.000Z',
      ...correctionWait(p, 'customerProfile', 'Correct the data Twilio rejected'),
    };
    expect(currentDetails(p).split('\n')).toEqual([
      'needs-correction since 2026-11-20T10:00:00.000Z: waiting for corrected registration data — ' +
        'Twilio rejected the starter customer profile: Email is a suspected disposable address.',
      'Next: Correct the data Twilio rejected: run `a2p correct cust-1 fix.json` ' +
        '(`a2p correct --template cust-1` prints what to send).',
      'Fees so far: none yet.',
    ]);
  });

  test('a resolved issue is no longer the reason', () => {
    const p = progress();
    p.issues[0].resolvedAt = '2026-11-20T11:00:00.000Z';
    expect(correctionWait(p, 'customerProfile', 'Fix it').why).toBe('Fix it');
  });

  test('a campaign correction names the vetting fee it costs and asks for --accept-fee', () => {
    const p = progress({
      steps: {
        ...progress().steps,
        customerProfile: { status: 'done' },
        campaign: { status: 'needs-correction' },
      },
      fees: [
        { kind: 'brand-registration', sid: 'BN1', at: '2026-11-20T09:10:00.000Z' },
        { kind: 'campaign-vetting', sid: 'QE1', at: '2026-11-20T09:20:00.000Z' },
      ],
    });
    expect(correctionFee(p)).toEqual(expect.objectContaining({ kinds: ['campaign-vetting'], usd: 15 }));
    expect(correctionWait(p, 'campaign', 'Correct the campaign').next).toContain(
      "it costs a new campaign submission's vetting fee ($15), so add `--accept-fee`",
    );
    expect(feesSoFar(p.fees)).toBe('Brand registration $4, Campaign vetting $15 (total $19)');
  });

  test('a FAILED brand makes any correction a paid brand resubmission', () => {
    const p = progress({ brand: { otpSends: 0, resubmissions: 0, status: 'FAILED' } });
    expect(correctionFee(p)?.kinds).toEqual(['brand-resubmission']);
    expect(correctionFee(progress())).toBeUndefined();
  });

  test('the OTP wait says what was sent, until when, and how to answer in the sandbox', () => {
    const p = progress({
      phase: 'brand-verification',
      steps: { ...progress().steps, brand: { status: 'waiting', sid: 'BN1' } },
      brand: { otpSends: 2, resubmissions: 0, lastOtpSentAt: '2026-11-21T10:00:00.000Z' },
    });
    const wait = otpWait(p, '2026-12-20T10:00:00.000Z');
    expect(wait.why).toContain('brand BN1 is approved');
    expect(wait.why).toContain('2 sent, the last at 2026-11-21T10:00:00.000Z');
    expect(wait.why).toContain('unanswered by 2026-12-20T10:00:00.000Z the registration ends as otp-expired');
    expect(wait.next).toContain('`a2p resend-otp cust-1`');
    expect(wait.next).toContain('`a2p sandbox otp cust-1`');
  });

  test('outside a wait it says the phase, since when and what it is doing', () => {
    const p = progress({ phase: 'brand', phaseSince: '2026-11-20T09:05:00.000Z', issues: [] });
    expect(currentDetails(p, 'Registering the Sole Proprietor brand')).toBe(
      'brand since 2026-11-20T09:05:00.000Z: Registering the Sole Proprietor brand.\nFees so far: none yet.',
    );
  });
});

describe('the operator views of the Web UI', () => {
  test('are visibility queries over A2pPhase, as links that can be kept as Saved Views', () => {
    const views = operatorViews(new Date('2026-11-20T12:00:00.000Z'), 3);
    expect(views.map((v) => v.query)).toEqual([
      'ExecutionStatus = "Running" AND A2pPhase = "needs-correction"',
      'ExecutionStatus = "Running" AND A2pPhase = "brand-verification"',
      'ExecutionStatus = "Running" AND A2pPhase IN ("brand", "campaign") AND StartTime < "2026-11-17T12:00:00.000Z"',
    ]);
    const url = new URL(workflowListUrl('http://localhost:8233', 'default', views[0], true));
    expect(url.pathname).toBe('/namespaces/default/workflows');
    expect(url.searchParams.get('query')).toBe(views[0].query);
    expect(url.searchParams.get('savedQuery')).toBe('A2P: needs correction');
  });
});
