import {
  parseRegistrationRequest,
  parseStandardRegistrationRequest,
  SAMPLE_REGISTRATION_REQUEST,
} from '../../../src/domain';
import type { Ledger } from '../../../src/sandbox';
import { ALL_SEARCH_ATTRIBUTES, type RegistrationProgress } from '../../../src/shared';
import { indexedValueType } from '../../../src/shared/search-attributes';
import {
  demoCustomerId,
  demoRequest,
  demoShortfall,
  demoStandardRequest,
  demoSummary,
  progressLine,
} from '../../../src/stack/demo';
import { devServerArgs } from '../../../src/stack/dev-server';
import { summarizeServerLog } from '../../../src/stack/logging';
import { stackEnvironment, stackSettings } from '../../../src/stack/start';

const PN = 'PN00000000000000000000000000000004';

describe('the demo registration', () => {
  test('each run is a valid request for a person of its own (TCR caps reuse of a mobile number, email and address)', () => {
    const a = demoRequest(demoCustomerId(new Date('2026-11-23T01:33:56.000Z')), PN);
    const b = demoRequest(demoCustomerId(new Date('2026-11-23T01:33:57.000Z')), PN);
    expect(a.customerId).toBe('demo-20261123013356');
    for (const request of [a, b]) {
      const parsed = parseRegistrationRequest(request);
      expect(parsed).toEqual({ ok: true, value: request });
      expect(request.phoneNumberSid).toBe(PN);
      expect(request.soleProprietor.brandName).toBe(SAMPLE_REGISTRATION_REQUEST.soleProprietor.brandName);
    }
    expect(a.soleProprietor.mobilePhoneNumber).not.toBe(b.soleProprietor.mobilePhoneNumber);
    expect(a.soleProprietor.email).not.toBe(b.soleProprietor.email);
    expect(a.address.street).not.toBe(b.address.street);
    // The same run id gives the same person, so a restarted demo follows the same registration.
    expect(demoRequest(a.customerId, PN)).toEqual(a);
  });

  const done: RegistrationProgress = {
    customerId: 'demo-1',
    phase: 'completed',
    outcome: 'completed',
    steps: {
      customerProfile: { status: 'done', sid: 'BU1', twilioStatus: 'twilio-approved' },
      trustBundle: { status: 'done', sid: 'BU2', twilioStatus: 'twilio-approved' },
      brand: { status: 'done', sid: 'BN1', twilioStatus: 'APPROVED' },
      messagingService: { status: 'done', sid: 'MG1' },
      campaign: { status: 'done', sid: 'QE1', twilioStatus: 'VERIFIED' },
      phoneNumber: { status: 'done', sid: PN },
    },
    brand: { status: 'APPROVED', identityStatus: 'VERIFIED', otpSends: 1, resubmissions: 0 },
    campaign: { attempt: 1, status: 'VERIFIED' },
    issues: [],
    fees: [
      { kind: 'brand-registration', sid: 'BN1', at: '2026-11-23T01:34:00.000Z' },
      { kind: 'campaign-vetting', sid: 'QE1', at: '2026-11-23T01:34:05.000Z' },
    ],
    startedAt: '2026-11-23T01:33:56.000Z',
    updatedAt: '2026-11-23T01:34:06.000Z',
  };

  test('succeeds only with a VERIFIED campaign and the number attached', () => {
    expect(demoShortfall(done)).toBeUndefined();
    expect(demoShortfall({ ...done, campaign: { attempt: 1, status: 'FAILED' } })).toContain('FAILED');
    expect(
      demoShortfall({ ...done, steps: { ...done.steps, phoneNumber: { status: 'needs-correction' } } }),
    ).toContain('not attached');
    expect(demoShortfall({ ...done, outcome: 'otp-expired', guidance: 'ask the customer' })).toBe(
      'the registration ended as otp-expired: ask the customer',
    );
  });

  test("summarises every SID and only this registration's fees from the sandbox ledger", () => {
    const ledger: Ledger = {
      entries: [
        { sid: 'BN-other', kind: 'brand-registration', amountUsd: 4, time: 't', note: '' },
        { sid: 'BN1', kind: 'brand-registration', amountUsd: 4, time: 't', note: '' },
        { sid: 'QE1', kind: 'campaign-vetting', amountUsd: 15, time: 't', note: '' },
      ],
      totalUsd: 23,
    };
    const text = demoSummary(done, ledger).join('\n');
    expect(text).toContain('campaign QE1 VERIFIED, number PN00000000000000000000000000000004 on MG1');
    expect(text).toMatch(/trustBundle\s+BU2\s+twilio-approved/);
    expect(text).toContain('brand-registration $4 (BN1), campaign-vetting $15 (QE1); total $19');
    expect(text).not.toContain('BN-other');
  });
});

describe('the Standard demo registration (npm run demo -- --standard)', () => {
  test("is the sample LLC on the run's number, with the run's own contact emails, and valid", () => {
    const a = demoStandardRequest('demo-20261123013356', PN);
    const b = demoStandardRequest('demo-20261123013357', PN);
    for (const request of [a, b]) {
      expect(parseStandardRegistrationRequest(request)).toEqual({ ok: true, value: request });
      expect(request.brandType).toBe('STANDARD');
      expect(request.campaigns.map((c) => c.phoneNumberSids)).toEqual([[PN]]);
    }
    expect(a.messagingProfile.brandContactEmail).not.toBe(b.messagingProfile.brandContactEmail);
    expect(a.authorizedRepresentatives[0].email).toBe(a.messagingProfile.brandContactEmail);
  });

  const standardDone = (
    campaign: Partial<NonNullable<RegistrationProgress['standard']>['campaigns'][number]> = {},
  ): RegistrationProgress => ({
    customerId: 'demo-2',
    phase: 'completed',
    outcome: 'completed',
    steps: {
      customerProfile: { status: 'done', sid: 'BU1', twilioStatus: 'pending-review' },
      trustBundle: { status: 'done', sid: 'BU2', twilioStatus: 'pending-review' },
      brand: { status: 'done', sid: 'BN1', twilioStatus: 'APPROVED' },
      messagingService: { status: 'done', sid: 'MG1' },
      campaign: { status: 'done', twilioStatus: 'VERIFIED' },
      phoneNumber: { status: 'done' },
    },
    brand: { status: 'APPROVED', identityStatus: 'VETTED_VERIFIED', otpSends: 0, resubmissions: 0 },
    campaign: { attempt: 0 },
    standard: {
      brandType: 'STANDARD',
      vetting: { score: 75 },
      campaigns: [
        {
          index: 0,
          usecase: 'CUSTOMER_CARE',
          messagingServiceSid: 'MG1',
          sid: 'QE1',
          status: 'VERIFIED',
          attempt: 1,
          errors: [],
          previousSids: [],
          numbers: { [PN]: { added: true, registration: 'pending' } },
          ...campaign,
        },
      ],
    },
    issues: [],
    fees: [
      { kind: 'brand-registration', sid: 'BN1', at: 't' },
      { kind: 'secondary-vetting', sid: 'BN1', at: 't' },
      { kind: 'campaign-vetting', sid: 'QE1', at: 't' },
    ],
    startedAt: '2026-11-23T01:33:56.000Z',
    updatedAt: '2026-11-23T01:34:06.000Z',
  });

  test('succeeds only with every campaign VERIFIED and its numbers in its Messaging Service', () => {
    expect(demoShortfall(standardDone())).toBeUndefined();
    expect(demoShortfall(standardDone({ status: 'FAILED' }))).toBe('campaigns.0 is FAILED, not VERIFIED');
    expect(demoShortfall(standardDone({ numbers: { [PN]: { added: false } } }))).toBe(
      `campaigns.0's number ${PN} is not in its Messaging Service`,
    );
    expect(demoShortfall(standardDone({ numbers: {} }))).toBe(
      'campaigns.0 has no number in its Messaging Service',
    );
  });

  test("shows the vetting score and each campaign, and counts the campaigns' fees from the ledger", () => {
    expect(progressLine(standardDone())).toContain('score=75 campaigns.0=VERIFIED[pending]');
    const ledger: Ledger = {
      entries: [
        { sid: 'BN1', kind: 'brand-registration', amountUsd: 4, time: 't', note: '' },
        { sid: 'BN1', kind: 'secondary-vetting', amountUsd: 40, time: 't', note: '' },
        { sid: 'QE1', kind: 'campaign-vetting', amountUsd: 15, time: 't', note: '' },
        { sid: 'QE-other', kind: 'campaign-vetting', amountUsd: 15, time: 't', note: '' },
      ],
      totalUsd: 74,
    };
    const text = demoSummary(standardDone(), ledger).join('\n');
    expect(text).toContain(
      'registered demo-2: STANDARD brand BN1, identity VETTED_VERIFIED, vetting score 75',
    );
    expect(text).toContain(`campaigns.0       CUSTOMER_CARE QE1 VERIFIED on MG1, numbers ${PN}`);
    expect(text).toContain('; total $59');
    expect(text).not.toContain('QE-other');
  });
});

describe('the embedded stack', () => {
  test('the dev server keeps its state in a SQLite file and knows every search attribute', () => {
    const args = devServerArgs({
      dataDir: '/tmp/x',
      port: 7233,
      uiPort: 8233,
      codecEndpoint: 'http://127.0.0.1:8888',
    });
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(args).toEqual(
      expect.arrayContaining(['--db-filename', '/tmp/x/temporal.db', '--ip', '127.0.0.1']),
    );
    expect(args[args.indexOf('--ui-codec-endpoint') + 1]).toBe('http://127.0.0.1:8888');
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(args).toContain(`${key.name}=${indexedValueType(key).name}`);
  });

  test('ports come from the environment and a bad one is named', () => {
    expect(stackSettings({})).toMatchObject({
      temporalPort: 7233,
      webhookPort: 4020,
      codecPort: 8888,
      realTwilio: false,
    });
    expect(stackSettings({ WEBHOOK_PORT: '5020', TWILIO_ACCOUNT_SID: 'AC1' })).toMatchObject({
      webhookPort: 5020,
      realTwilio: true,
    });
    expect(() => stackSettings({ A2P_CODEC_SERVER_PORT: 'http' })).toThrow(/A2P_CODEC_SERVER_PORT/);
  });

  const sandbox = {
    accountSid: 'AC00000000000000000000000000000000',
    authToken: 'sandbox-auth-token',
    url: 'http://127.0.0.1:4010',
    primaryProfileSid: 'BU00000000000000000000000000000001',
  };
  const base = {
    settings: stackSettings({ A2P_DATA_DIR: '/tmp/a2p' }),
    temporalAddress: '127.0.0.1:7233',
    webhookUrl: 'http://127.0.0.1:4020',
  };

  test('in sandbox mode the worker talks to the sandbox with its account and seeded primary profile', () => {
    const env = stackEnvironment({
      ...base,
      env: { TWILIO_AUTH_TOKEN: 'a real token', A2P_SETTLE_DELAY: '' },
      sandbox,
      demo: false,
    });
    expect(env).toMatchObject({
      TWILIO_ACCOUNT_SID: sandbox.accountSid,
      TWILIO_AUTH_TOKEN: sandbox.authToken,
      TWILIO_API_BASE_URL: sandbox.url,
      A2P_PRIMARY_PROFILE_SID: sandbox.primaryProfileSid,
      A2P_PUBLIC_WEBHOOK_URL: base.webhookUrl,
      TEMPORAL_ADDRESS: base.temporalAddress,
      A2P_DATA_DIR: '/tmp/a2p',
    });
    expect(env.A2P_SETTLE_DELAY).toBeUndefined();
  });

  test('the demo settles in 2 s unless the operator says otherwise', () => {
    expect(stackEnvironment({ ...base, env: {}, sandbox, demo: true }).A2P_SETTLE_DELAY).toBe('2s');
    expect(
      stackEnvironment({ ...base, env: { A2P_SETTLE_DELAY: '5s' }, sandbox, demo: true }).A2P_SETTLE_DELAY,
    ).toBe('5s');
  });

  test("with a real account the operator's Twilio settings and public URL are used as given", () => {
    const env = stackEnvironment({
      ...base,
      env: {
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 't',
        A2P_PUBLIC_WEBHOOK_URL: 'https://hooks.example.com',
      },
      demo: false,
    });
    expect(env).toMatchObject({
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      A2P_PUBLIC_WEBHOOK_URL: 'https://hooks.example.com',
    });
    expect(env.TWILIO_API_BASE_URL).toBeUndefined();
  });
});

describe('webhook server log lines', () => {
  test('routine request bookkeeping is dropped; signals, warnings and failed requests are kept readable', () => {
    const line = (o: object) => JSON.stringify({ level: 30, time: 1, pid: 1, hostname: 'h', ...o });
    expect(
      summarizeServerLog(line({ msg: 'incoming request', req: { method: 'POST', url: '/x' } })),
    ).toBeUndefined();
    expect(summarizeServerLog(line({ msg: 'request completed', res: { statusCode: 200 } }))).toBeUndefined();
    expect(summarizeServerLog(line({ msg: 'Server listening at http://127.0.0.1:4020' }))).toBeUndefined();
    expect(
      summarizeServerLog(
        line({
          msg: 'workflow signalled',
          bundleSid: 'BU1',
          status: 'in-review',
          workflowId: 'w',
          workflowIds: ['w'],
          eventId: 'e',
        }),
      ),
    ).toBe('workflow signalled bundleSid=BU1 status=in-review workflowId=w');
    expect(summarizeServerLog(line({ level: 40, msg: 'bad signature', reqId: 'r' }))).toBe(
      'WARN bad signature',
    );
    expect(summarizeServerLog(line({ msg: 'request completed', res: { statusCode: 403 } }))).toBe(
      'request completed status=403',
    );
  });
});
