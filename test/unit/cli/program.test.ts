import { WorkflowNotFoundError } from '@temporalio/client';
import { ConfigError } from '../../../src/config';
import { runCli, type Registrar } from '../../../src/cli/program';
import {
  type CampaignFinding,
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
} from '../../../src/domain';
import type { DeregistrationProgress, RegistrationProgress } from '../../../src/shared';

/** The warning a website opt-in without a privacy policy gets (website-opt-in-privacy-policy). */
const PRIVACY_WARNING: CampaignFinding = {
  rule: 'website-opt-in-privacy-policy',
  level: 'warning',
  code: 30896,
  field: 'messageFlow',
  problem: 'describes a website opt-in but gives no privacy policy',
  fix: 'add the link to the privacy policy',
  example: '"... Privacy policy: https://example.com/privacy."',
};

/** A registrar that records calls; every method can be replaced per test. */
function fakeRegistrar(overrides: Partial<Registrar> = {}): jest.Mocked<Registrar> {
  return {
    startRegistration: jest.fn(async (_input: unknown, options?: { acceptWarnings?: boolean }) => ({
      workflowId: 'a2p-registration-demo-customer',
      runId: 'run-1',
      alreadyStarted: false,
      campaignWarnings: options?.acceptWarnings ? [PRIVACY_WARNING] : [],
    })),
    getProgress: jest.fn(async () => {
      throw new Error('not stubbed');
    }),
    resendOtp: jest.fn(async () => undefined),
    submitCorrection: jest.fn(async () => ({
      accepted: true as const,
      phase: 'needs-correction',
      campaignWarnings: [],
    })),
    cancelRegistration: jest.fn(async () => undefined),
    startExternalCampaign: jest.fn(async () => ({
      workflowId: 'a2p-external-campaign-CABC123',
      runId: 'run-2',
      alreadyStarted: false,
    })),
    getExternalCampaignProgress: jest.fn(async () => {
      throw new Error('not stubbed');
    }),
    deregister: jest.fn(async (): Promise<DeregistrationProgress> => ({
      registrationWorkflowId: 'a2p-registration-cust-1',
      phase: 'done',
      removed: ['campaign on MG1'],
      remaining: [],
    })),
    listRegistrations: jest.fn(async () => []),
    close: jest.fn(async () => undefined),
    ...overrides,
  } as jest.Mocked<Registrar>;
}

/** Runs `a2p <args>` in-process with files from `files`; returns exit code, output and the fake. */
async function a2p(
  args: string[],
  options: { registrar?: jest.Mocked<Registrar>; files?: Record<string, string>; connectError?: Error } = {},
) {
  const registrar = options.registrar ?? fakeRegistrar();
  const out: string[] = [];
  const err: string[] = [];
  const connect = jest.fn(async () => {
    if (options.connectError) throw options.connectError;
    return registrar;
  });
  const code = await runCli(['node', 'a2p', ...args], {
    connect,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    now: () => new Date('2026-11-20T12:00:00.000Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), connect, registrar };
}

const validRequest = JSON.stringify(SAMPLE_REGISTRATION_REQUEST);

describe('a2p register', () => {
  test('starts the registration from the file and says which workflow runs it', async () => {
    const r = await a2p(['register', 'customer.json'], { files: { 'customer.json': validRequest } });
    expect(r.code).toBe(0);
    expect(r.registrar.startRegistration).toHaveBeenCalledWith(SAMPLE_REGISTRATION_REQUEST, {
      acceptWarnings: undefined,
    });
    expect(r.out).toBe('Started: a2p-registration-demo-customer (run run-1)');
    expect(r.registrar.close).toHaveBeenCalled();
  });

  test('a second register of a running customer reports the running one', async () => {
    const registrar = fakeRegistrar({
      startRegistration: jest.fn(async () => ({
        workflowId: 'a2p-registration-demo-customer',
        runId: 'run-1',
        alreadyStarted: true,
        campaignWarnings: [],
      })),
    });
    const r = await a2p(['register', 'customer.json'], {
      registrar,
      files: { 'customer.json': validRequest },
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Already running: a2p-registration-demo-customer');
  });

  test('names every bad field, exits 1 and never connects', async () => {
    const bad = {
      ...SAMPLE_REGISTRATION_REQUEST,
      soleProprietor: {
        ...SAMPLE_REGISTRATION_REQUEST.soleProprietor,
        email: 'not-an-email',
        mobilePhoneNumber: '12',
      },
    };
    const r = await a2p(['register', 'bad.json'], { files: { 'bad.json': JSON.stringify(bad) } });
    expect(r.code).toBe(1);
    expect(r.err).toContain('soleProprietor.email');
    expect(r.err).toContain('soleProprietor.mobilePhoneNumber');
    expect(r.connect).not.toHaveBeenCalled();
  });

  test('refuses a campaign the pre-vetting blocks, naming the field and the Twilio code, without connecting', async () => {
    const blocked = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    blocked.campaign.messageSamples = [
      'Jane Doe Pottery: your order [order id] is ready for pickup.',
      'Jane Doe Pottery: your class starts at [time] tomorrow.',
    ];
    const r = await a2p(['register', 'c.json', '--accept-warnings'], {
      files: { 'c.json': JSON.stringify(blocked) },
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('campaign.messageSamples: no sample message says how to opt out');
    expect(r.err).toContain('30893');
    expect(r.connect).not.toHaveBeenCalled();
  });

  test('shows campaign warnings and refuses them unless --accept-warnings, then starts and lists them', async () => {
    const warned = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    warned.campaign.messageFlow =
      'Customers opt in by ticking an unchecked SMS consent box at checkout on janedoepottery.example.com/checkout; terms at janedoepottery.example.com/terms.';
    const files = { 'c.json': JSON.stringify(warned) };
    const refused = await a2p(['register', 'c.json'], { files });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('1 pre-vetting warning');
    expect(refused.err).toContain(
      'campaign.messageFlow: describes a website opt-in but gives no privacy policy',
    );
    expect(refused.err).toContain('--accept-warnings');
    expect(refused.connect).not.toHaveBeenCalled();

    const accepted = await a2p(['register', 'c.json', '--accept-warnings'], { files });
    expect(accepted.code).toBe(0);
    expect(accepted.registrar.startRegistration).toHaveBeenCalledWith(warned, { acceptWarnings: true });
    expect(accepted.out).toContain('Accepted 1 campaign warning(s):');
    expect(accepted.out).toContain('WARNING  30896  campaign.messageFlow: describes a website opt-in');
    expect(accepted.out).toContain('Started: a2p-registration-demo-customer');
  });

  test('a missing file or one that is not JSON exits 1 without connecting', async () => {
    const missing = await a2p(['register', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Cannot read nope.json');
    const garbled = await a2p(['register', 'x.json'], { files: { 'x.json': '{ nope' } });
    expect(garbled.code).toBe(1);
    expect(garbled.err).toContain('x.json is not JSON');
    expect(missing.connect).not.toHaveBeenCalled();
    expect(garbled.connect).not.toHaveBeenCalled();
  });

  test('starts a Standard request, naming its bad fields as for a Sole Proprietor one', async () => {
    const bad = structuredClone(SAMPLE_STANDARD_REQUEST) as unknown as {
      business: { registrationNumber: string };
      authorizedRepresentatives: { email: string }[];
      campaigns: { usecase: string }[];
    };
    bad.business.registrationNumber = '12';
    bad.authorizedRepresentatives[0].email = 'nope';
    bad.campaigns[0].usecase = 'NOPE';
    const refused = await a2p(['register', 'llc.json'], { files: { 'llc.json': JSON.stringify(bad) } });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('business.registrationNumber: must be a US EIN');
    expect(refused.err).toContain('authorizedRepresentatives.0.email: must be a well-formed email');
    expect(refused.err).toContain('campaigns.0.usecase: must be one of');
    expect(refused.connect).not.toHaveBeenCalled();

    const started = await a2p(['register', 'llc.json'], {
      files: { 'llc.json': JSON.stringify(SAMPLE_STANDARD_REQUEST) },
    });
    expect(started.code).toBe(0);
    expect(started.registrar.startRegistration).toHaveBeenCalledWith(SAMPLE_STANDARD_REQUEST, {
      acceptWarnings: undefined,
    });
  });

  test("refuses a Standard campaign's pre-vetting warnings at the campaign's field unless accepted", async () => {
    const warned = structuredClone(SAMPLE_STANDARD_REQUEST);
    warned.campaigns[0].messageFlow =
      'Customers opt in by ticking an unchecked SMS consent box when booking at acmeplumbing.example.com/book; terms at acmeplumbing.example.com/terms.';
    delete warned.campaigns[0].privacyPolicyUrl;
    const files = { 'llc.json': JSON.stringify(warned) };
    const refused = await a2p(['register', 'llc.json'], { files });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'campaigns.0.messageFlow: describes a website opt-in but gives no privacy policy',
    );
    expect(refused.connect).not.toHaveBeenCalled();
    const accepted = await a2p(['register', 'llc.json', '--accept-warnings'], { files });
    expect(accepted.code).toBe(0);
    expect(accepted.registrar.startRegistration).toHaveBeenCalledWith(warned, { acceptWarnings: true });
  });

  test('--template prints a sample request, --template --standard the Standard one, without connecting', async () => {
    const soleProprietor = await a2p(['register', '--template']);
    expect(soleProprietor.code).toBe(0);
    expect(JSON.parse(soleProprietor.out)).toEqual(SAMPLE_REGISTRATION_REQUEST);
    const standard = await a2p(['register', '--template', '--standard']);
    expect(standard.code).toBe(0);
    expect(JSON.parse(standard.out)).toEqual(SAMPLE_STANDARD_REQUEST);
    expect([soleProprietor.connect, standard.connect].map((c) => c.mock.calls.length)).toEqual([0, 0]);

    const alone = await a2p(['register', 'llc.json', '--standard']);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain('--standard goes with --template');
    const none = await a2p(['register']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('a2p register needs a file');
  });

  test('a configuration error prints the variables at fault and exits 2', async () => {
    const r = await a2p(['register', 'customer.json'], {
      files: { 'customer.json': validRequest },
      connectError: new ConfigError(['A2P_SETTLE_DELAY: "soon" is not a duration']),
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('A2P_SETTLE_DELAY: "soon" is not a duration');
  });
});

describe('a2p status', () => {
  const progress: RegistrationProgress = {
    customerId: 'cust-1',
    phase: 'campaign',
    steps: {
      customerProfile: { status: 'done', sid: 'BU1' },
      trustBundle: { status: 'done', sid: 'BU2' },
      brand: { status: 'done', sid: 'BN1' },
      messagingService: { status: 'done', sid: 'MG1' },
      campaign: { status: 'waiting', sid: 'QE1', twilioStatus: 'IN_PROGRESS' },
      phoneNumber: { status: 'pending' },
    },
    brand: { status: 'APPROVED', identityStatus: 'VERIFIED', otpSends: 1, resubmissions: 0 },
    campaign: { attempt: 1, status: 'IN_PROGRESS' },
    issues: [],
    fees: [],
    startedAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T11:00:00.000Z',
  };

  test('shows the campaign warnings the registration recorded', async () => {
    const warned = { ...progress, campaign: { ...progress.campaign, warnings: [PRIVACY_WARNING] } };
    const registrar = fakeRegistrar({ getProgress: jest.fn(async () => warned) });
    const r = await a2p(['status', 'cust-1'], { registrar });
    expect(r.out).toContain('Campaign pre-vetting warnings (1, accepted):');
    expect(r.out).toContain('WARNING  30896  campaign.messageFlow: describes a website opt-in');
  });

  test('prints the readable summary, or the raw progress with --json', async () => {
    const registrar = fakeRegistrar({ getProgress: jest.fn(async () => progress) });
    const readable = await a2p(['status', 'cust-1'], { registrar });
    expect(readable.code).toBe(0);
    expect(registrar.getProgress).toHaveBeenCalledWith('cust-1');
    expect(readable.out).toMatch(/Campaign\s+waiting\s+IN_PROGRESS\s+QE1/);
    const json = await a2p(['status', 'cust-1', '--json'], { registrar });
    expect(JSON.parse(json.out)).toEqual(progress);
  });

  test('an unknown customer is a clear message and exit 4', async () => {
    const registrar = fakeRegistrar({
      getProgress: jest.fn(async () => {
        throw new WorkflowNotFoundError('not found', 'a2p-registration-ghost', undefined);
      }),
    });
    const r = await a2p(['status', 'ghost'], { registrar });
    expect(r.code).toBe(4);
    expect(r.err).toBe(
      'No such registration: workflow a2p-registration-ghost does not exist (a2p list shows the registrations there are)',
    );
  });
});

describe('a2p check', () => {
  const campaignOnly = SAMPLE_REGISTRATION_REQUEST.campaign;
  const noOptOut = {
    ...campaignOnly,
    messageSamples: ['Jane Doe Pottery: your order is ready.', 'Jane Doe Pottery: class at [time].'],
  };

  test('passes the sample request with exit 0 and never connects', async () => {
    const r = await a2p(['check', 'req.json'], { files: { 'req.json': validRequest } });
    expect(r.code).toBe(0);
    expect(r.out).toContain("Passes: no finding against Twilio's documented rejection reasons.");
    expect(r.connect).not.toHaveBeenCalled();
  });

  test('exits 1 on a blocking finding and prints the code, field, fix and example', async () => {
    const r = await a2p(['check', 'c.json'], { files: { 'c.json': JSON.stringify(noOptOut) } });
    expect(r.code).toBe(1);
    expect(r.out).toContain('BLOCKING 30893  messageSamples: no sample message says how to opt out');
    expect(r.out).toContain('fix: end at least one sample with opt-out language');
    expect(r.out).toContain('e.g. "');
    expect(r.out).toContain('Blocked:');
    // A campaign alone has no brand name: the rules that need it say so.
    expect(r.out).toContain('Not checked: sample-business-name (needs the business name)');
  });

  test('takes the brand name for a campaign alone with --brand-name', async () => {
    const files = { 'c.json': JSON.stringify(campaignOnly) };
    const r = await a2p(['check', 'c.json', '--brand-name', 'Acme Bakery'], { files });
    expect(r.code).toBe(1);
    expect(r.out).toContain('messageSamples: no sample message names the business ("Acme Bakery")');
  });

  test('warnings alone exit 0', async () => {
    const warned = {
      ...campaignOnly,
      messageFlow: 'Customers opt in to SMS on our website at janedoepottery.example.com.',
    };
    const r = await a2p(['check', 'c.json'], { files: { 'c.json': JSON.stringify(warned) } });
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'WARNING  30896  messageFlow: describes a website opt-in but gives no privacy policy',
    );
    expect(r.out).toContain('Passes with 2 warnings');
  });

  test('--json prints the check as JSON', async () => {
    const request = { ...SAMPLE_REGISTRATION_REQUEST, campaign: noOptOut };
    const r = await a2p(['check', 'req.json', '--json'], { files: { 'req.json': JSON.stringify(request) } });
    expect(r.code).toBe(1);
    const printed = JSON.parse(r.out) as { blocked: boolean; findings: CampaignFinding[] };
    expect(printed.blocked).toBe(true);
    expect(printed.findings).toEqual([
      expect.objectContaining({
        rule: 'sample-opt-out-language',
        code: 30893,
        field: 'campaign.messageSamples',
      }),
    ]);
  });

  test('reports invalid fields as blocking, and an unreadable file, with exit 1', async () => {
    const r = await a2p(['check', 'c.json'], {
      files: { 'c.json': JSON.stringify({ ...campaignOnly, messageSamples: ['too short'] }) },
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('messageSamples.0: must be at least 20 characters');
    const missing = await a2p(['check', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Cannot read nope.json');
  });
});

describe('the other commands', () => {
  test('list passes its filters and limit', async () => {
    const r = await a2p(['list', '--phase', 'needs-correction', '--brand-status', 'FAILED', '--limit', '5']);
    expect(r.code).toBe(0);
    expect(r.registrar.listRegistrations).toHaveBeenCalledWith(
      { phase: 'needs-correction', brandStatus: 'FAILED', campaignStatus: undefined },
      5,
    );
    expect(r.out).toBe('No registrations match.');
  });

  test('list refuses a limit that is not a positive whole number before connecting', async () => {
    const r = await a2p(['list', '--limit', 'lots']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--limit: must be a positive whole number');
    expect(r.connect).not.toHaveBeenCalled();
  });

  test('resend-otp and cancel address the customer', async () => {
    const otp = await a2p(['resend-otp', 'cust-1']);
    expect(otp.registrar.resendOtp).toHaveBeenCalledWith('cust-1');
    const cancel = await a2p(['cancel', 'cust-1']);
    expect(cancel.registrar.cancelRegistration).toHaveBeenCalledWith('cust-1');
    expect([otp.code, cancel.code]).toEqual([0, 0]);
  });

  test('correct validates the correction file before sending it', async () => {
    const bad = await a2p(['correct', 'cust-1', 'fix.json'], {
      files: { 'fix.json': JSON.stringify({ soleProprietor: { email: 'nope' } }) },
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('soleProprietor.email');
    expect(bad.connect).not.toHaveBeenCalled();

    const fix = { soleProprietor: { email: 'jane.doe@example.org' } };
    const good = await a2p(['correct', 'cust-1', 'fix.json'], { files: { 'fix.json': JSON.stringify(fix) } });
    expect(good.code).toBe(0);
    expect(good.registrar.submitCorrection).toHaveBeenCalledWith('cust-1', fix, {
      acceptWarnings: undefined,
    });
    expect(good.out).toContain('Correction accepted');
  });

  test("correct checks a Standard registration's correction by the Standard schema before sending it", async () => {
    const bad = await a2p(['correct', 'llc-1', 'fix.json'], {
      files: { 'fix.json': JSON.stringify({ campaigns: { '7': { usecase: 'NOPE' } } }) },
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('campaigns.7');
    expect(bad.connect).not.toHaveBeenCalled();

    const fix = { campaigns: { '0': { usecase: 'ACCOUNT_NOTIFICATION' } } };
    const good = await a2p(['correct', 'llc-1', 'fix.json'], { files: { 'fix.json': JSON.stringify(fix) } });
    expect(good.code).toBe(0);
    expect(good.registrar.submitCorrection).toHaveBeenCalledWith('llc-1', fix, {
      acceptWarnings: undefined,
    });
    // An address abroad fits only a Standard registration: the registration checks it by its kind.
    const abroad = { address: { isoCountry: 'DE', postalCode: '10115', city: 'Berlin', region: 'Berlin' } };
    const sent = await a2p(['correct', 'llc-1', 'fix.json'], {
      files: { 'fix.json': JSON.stringify(abroad) },
    });
    expect(sent.code).toBe(0);
    expect(sent.registrar.submitCorrection).toHaveBeenCalledWith('llc-1', abroad, {
      acceptWarnings: undefined,
    });
  });

  test('correct refuses a corrected campaign field the pre-vetting blocks, and warnings unless accepted', async () => {
    const blocked = await a2p(['correct', 'cust-1', 'fix.json'], {
      files: {
        'fix.json': JSON.stringify({
          campaign: { messageFlow: 'We send our customers updates about their orders.' },
        }),
      },
    });
    expect(blocked.code).toBe(1);
    expect(blocked.err).toContain('campaign.messageFlow: never says how the recipient gives consent');
    expect(blocked.connect).not.toHaveBeenCalled();

    const flow = {
      campaign: { messageFlow: 'Customers opt in to SMS on our website, janedoepottery.example.com.' },
    };
    const files = { 'fix.json': JSON.stringify(flow) };
    const warned = await a2p(['correct', 'cust-1', 'fix.json'], { files });
    expect(warned.code).toBe(1);
    expect(warned.err).toContain(
      'campaign.messageFlow: describes a website opt-in but gives no privacy policy',
    );
    expect(warned.connect).not.toHaveBeenCalled();

    const accepted = await a2p(['correct', 'cust-1', 'fix.json', '--accept-warnings'], { files });
    expect(accepted.code).toBe(0);
    expect(accepted.registrar.submitCorrection).toHaveBeenCalledWith('cust-1', flow, {
      acceptWarnings: true,
    });
  });

  test('deregister passes --delete-messaging-service and prints what was removed', async () => {
    const r = await a2p(['deregister', 'cust-1', '--delete-messaging-service']);
    expect(r.code).toBe(0);
    expect(r.registrar.deregister).toHaveBeenCalledWith('cust-1', { deleteMessagingService: true });
    expect(r.out).toContain('  - campaign on MG1');
    const external = await a2p(['deregister', 'CABC123', '--external']);
    expect(external.registrar.deregister).toHaveBeenCalledWith(
      { campaignId: 'CABC123' },
      { deleteMessagingService: false },
    );
  });

  test('external validates the campaign id and number SIDs before connecting', async () => {
    const bad = await a2p(['external', 'nope', '--numbers', 'PN1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('campaignId');
    expect(bad.err).toContain('phoneNumberSids.0');
    expect(bad.connect).not.toHaveBeenCalled();

    const pn = `PN${'a'.repeat(32)}`;
    const good = await a2p(['external', 'CABC123', '--numbers', pn]);
    expect(good.code).toBe(0);
    expect(good.registrar.startExternalCampaign).toHaveBeenCalledWith({
      campaignId: 'CABC123',
      phoneNumberSids: [pn],
    });
  });

  test('an unknown command is a usage error', async () => {
    const r = await a2p(['registr', 'x.json']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("unknown command 'registr'");
    expect(r.connect).not.toHaveBeenCalled();
  });
});
