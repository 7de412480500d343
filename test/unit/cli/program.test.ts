import { WorkflowNotFoundError } from '@temporalio/client';
import { ConfigError } from '../../../src/config';
import { runCli, type Registrar } from '../../../src/cli/program';
import { SAMPLE_REGISTRATION_REQUEST } from '../../../src/domain';
import type { DeregistrationProgress, RegistrationProgress } from '../../../src/shared';

/** A registrar that records calls; every method can be replaced per test. */
function fakeRegistrar(overrides: Partial<Registrar> = {}): jest.Mocked<Registrar> {
  return {
    startRegistration: jest.fn(async () => ({
      workflowId: 'a2p-registration-demo-customer',
      runId: 'run-1',
      alreadyStarted: false,
    })),
    getProgress: jest.fn(async () => {
      throw new Error('not stubbed');
    }),
    resendOtp: jest.fn(async () => undefined),
    submitCorrection: jest.fn(async () => ({ accepted: true as const, phase: 'needs-correction' })),
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
    expect(r.registrar.startRegistration).toHaveBeenCalledWith(SAMPLE_REGISTRATION_REQUEST);
    expect(r.out).toBe('Started: a2p-registration-demo-customer (run run-1)');
    expect(r.registrar.close).toHaveBeenCalled();
  });

  test('a second register of a running customer reports the running one', async () => {
    const registrar = fakeRegistrar({
      startRegistration: jest.fn(async () => ({
        workflowId: 'a2p-registration-demo-customer',
        runId: 'run-1',
        alreadyStarted: true,
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

  test('prints the readable summary, or the raw progress with --json', async () => {
    const registrar = fakeRegistrar({ getProgress: jest.fn(async () => progress) });
    const readable = await a2p(['status', 'cust-1'], { registrar });
    expect(readable.code).toBe(0);
    expect(registrar.getProgress).toHaveBeenCalledWith('cust-1');
    expect(readable.out).toMatch(/Campaign\s+waiting\s+IN_PROGRESS\s+QE1/);
    const json = await a2p(['status', 'cust-1', '--json'], { registrar });
    expect(JSON.parse(json.out)).toEqual(progress);
  });

  test('an unknown customer is a clear message and exit 1', async () => {
    const registrar = fakeRegistrar({
      getProgress: jest.fn(async () => {
        throw new WorkflowNotFoundError('not found', 'a2p-registration-ghost', undefined);
      }),
    });
    const r = await a2p(['status', 'ghost'], { registrar });
    expect(r.code).toBe(1);
    expect(r.err).toBe('No such registration: workflow a2p-registration-ghost does not exist');
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
    expect(good.registrar.submitCorrection).toHaveBeenCalledWith('cust-1', fix);
    expect(good.out).toContain('Correction accepted');
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
