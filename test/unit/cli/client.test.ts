import { ApplicationFailure } from '@temporalio/common';
import {
  BrandUsageError,
  buildListQuery,
  CampaignWarningsError,
  checkCampaign,
  RegistrarClient,
  RegistrationExistsError,
  standardCorrectionTemplateFor,
  ValidationError,
} from '../../../src/client';
import { parseStandardCorrection, SAMPLE_REGISTRATION_REQUEST } from '../../../src/domain';
import {
  A2P_PHASE,
  BRAND_USAGE_EXCEEDED,
  BRAND_USAGE_WORKFLOW_PREFIX,
  REGISTRATION_TASK_QUEUE,
  type RegistrationProgress,
  type StandardCampaignProgress,
  type StepName,
} from '../../../src/shared';
import { FakeTemporal, type RunStatus } from '../../helpers/fake-temporal';

const TIMINGS = {
  settleDelayMs: 1_000,
  pollIntervalMs: 60_000,
  otpResendIntervalMs: 86_400_000,
  otpDeadlineMs: 1e9,
};
const CONFIG = { timings: TIMINGS, brandUsageKey: Buffer.alloc(32, 7) };
const WORKFLOW_ID = 'a2p-registration-demo-customer';

/** A registrar client on a fake Temporal with the given earlier runs of the registration. */
function setup(previous?: { status: RunStatus; result?: unknown }, deregistration?: { status: RunStatus }) {
  const temporal = new FakeTemporal();
  if (previous) temporal.seed(WORKFLOW_ID, previous);
  if (deregistration)
    temporal.seed(`${WORKFLOW_ID}-deregistration`, { ...deregistration, type: 'deregistration' });
  const registrar = new RegistrarClient(temporal.client, CONFIG);
  const registrationStarts = () => temporal.startsOf('soleProprietorRegistration');
  return { temporal, registrar, registrationStarts };
}

/** The progress of a registration waiting in needs-correction for `step`. */
function waiting(step: StepName, brandStatus?: string): RegistrationProgress {
  const pending = { status: 'pending' as const };
  return {
    customerId: 'cust-1',
    phase: 'needs-correction',
    waitingFor: {
      what: 'corrected registration data',
      since: '2026-11-20T10:00:00.000Z',
      why: 'Twilio rejected the starter customer profile: Email is a suspected disposable address',
    },
    steps: {
      customerProfile: pending,
      trustBundle: pending,
      brand: pending,
      messagingService: pending,
      campaign: pending,
      phoneNumber: pending,
      [step]: { status: 'needs-correction' },
    },
    brand: { otpSends: 0, resubmissions: 0, status: brandStatus },
    campaign: { attempt: 1 },
    issues: [],
    fees: [],
    startedAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

describe('startRegistration', () => {
  test('starts soleProprietorRegistration under the customer id with the timings and the first phase', async () => {
    const { temporal, registrar, registrationStarts } = setup();
    const started = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
    expect(started).toEqual({
      workflowId: WORKFLOW_ID,
      runId: temporal.latest(WORKFLOW_ID)?.runId,
      alreadyStarted: false,
      campaignWarnings: [],
    });
    expect(registrationStarts()).toHaveLength(1);
    expect(registrationStarts()[0].options).toMatchObject({
      workflowId: WORKFLOW_ID,
      taskQueue: REGISTRATION_TASK_QUEUE,
      args: [{ request: SAMPLE_REGISTRATION_REQUEST, timings: TIMINGS }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [{ key: A2P_PHASE, value: 'customer-profile' }],
    });
  });

  test('an invalid request throws a ValidationError naming every bad field and starts nothing', async () => {
    const { temporal, registrar } = setup();
    const bad = { ...SAMPLE_REGISTRATION_REQUEST, customerId: 'has spaces', phoneNumberSid: 'PN1' };
    const error = await registrar.startRegistration(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'customerId',
      'phoneNumberSid',
    ]);
    expect(temporal.starts).toEqual([]);
  });

  test('a campaign the pre-vetting blocks is refused like a bad field, and nothing is started', async () => {
    const { temporal, registrar } = setup();
    const blocked = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    blocked.campaign.hasEmbeddedPhone = true;
    const error = await registrar
      .startRegistration(blocked, { acceptWarnings: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual(['campaign.hasEmbeddedPhone']);
    expect(issues[0].message).toContain('Twilio would reject it with 30889');
    expect(temporal.starts).toEqual([]);
  });

  test('campaign warnings refuse the start unless accepted; accepted, they come back with the result', async () => {
    const { temporal, registrar, registrationStarts } = setup();
    const warned = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    warned.campaign.description = 'Order updates and class reminders to customers who opted in at checkout.';
    const error = await registrar.startRegistration(warned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CampaignWarningsError);
    expect((error as CampaignWarningsError).warnings.map((w) => w.rule)).toEqual([
      'description-names-business',
    ]);
    expect((error as Error).message).toContain('campaign.description: does not name the business');
    expect(temporal.starts).toEqual([]);

    const started = await registrar.startRegistration(warned, { acceptWarnings: true });
    expect(started.campaignWarnings).toEqual([
      expect.objectContaining({ rule: 'description-names-business', level: 'warning', code: 30886 }),
    ]);
    expect(registrationStarts()).toHaveLength(1);
  });

  test('a running registration for the customer is returned, not started twice', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    const runId = temporal.latest(WORKFLOW_ID)?.runId;
    const started = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
    expect(started).toEqual({ workflowId: WORKFLOW_ID, runId, alreadyStarted: true, campaignWarnings: [] });
    expect(temporal.runs[WORKFLOW_ID]).toHaveLength(1);
  });

  test.each(['FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT'] as const)(
    'a %s run is followed by a new run under the same id, at the first try',
    async (status) => {
      const { temporal, registrar, registrationStarts } = setup({ status });
      const started = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
      expect(started.alreadyStarted).toBe(false);
      expect(started.runId).toBe(temporal.latest(WORKFLOW_ID)?.runId);
      expect(temporal.runs[WORKFLOW_ID].map((r) => r.status)).toEqual([status, 'RUNNING']);
      expect(registrationStarts().map((s) => s.options.workflowIdReusePolicy)).toEqual([
        'ALLOW_DUPLICATE_FAILED_ONLY',
      ]);
    },
  );

  test('a completed registration is refused: a second brand would be paid for', async () => {
    const { temporal, registrar } = setup({ status: 'COMPLETED', result: { outcome: 'completed' } });
    await expect(registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST)).rejects.toBeInstanceOf(
      RegistrationExistsError,
    );
    expect(temporal.runs[WORKFLOW_ID].map((r) => r.status)).toEqual(['COMPLETED']);
  });

  test('a completed registration that was deregistered since may be registered again', async () => {
    const { temporal, registrar } = setup(
      { status: 'COMPLETED', result: { outcome: 'completed' } },
      { status: 'COMPLETED' },
    );
    const started = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
    expect(started.alreadyStarted).toBe(false);
    expect(temporal.runs[WORKFLOW_ID].map((r) => r.status)).toEqual(['COMPLETED', 'RUNNING']);
  });

  test('a deregistration still running does not make room for a new registration', async () => {
    const { temporal, registrar } = setup(
      { status: 'COMPLETED', result: { outcome: 'completed' } },
      { status: 'RUNNING' },
    );
    await expect(registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST)).rejects.toBeInstanceOf(
      RegistrationExistsError,
    );
    expect(temporal.runs[WORKFLOW_ID]).toHaveLength(1);
  });

  test('a registration that ended with the OTP expired may be started again', async () => {
    const { temporal, registrar, registrationStarts } = setup({
      status: 'COMPLETED',
      result: { outcome: 'otp-expired' },
    });
    const started = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
    expect(started).toEqual({
      workflowId: WORKFLOW_ID,
      runId: temporal.latest(WORKFLOW_ID)?.runId,
      alreadyStarted: false,
      campaignWarnings: [],
    });
    expect(registrationStarts().map((s) => s.options.workflowIdReusePolicy)).toEqual([
      'ALLOW_DUPLICATE_FAILED_ONLY',
      'ALLOW_DUPLICATE',
    ]);
  });

  test("claims the brand's mobile number, email and address as keyed hashes before starting", async () => {
    const { temporal, registrar } = setup();
    await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST);
    expect(temporal.starts.map((s) => s.type)).toEqual([
      'brandUsage',
      'brandUsage',
      'brandUsage',
      'soleProprietorRegistration',
    ]);
    // One workflow per value, named by its keyed hash; each claim names only the registration.
    const ids = temporal.updates.map((u) => u.workflowId);
    for (const kind of ['mobile', 'email', 'address'])
      expect(ids).toContainEqual(
        expect.stringMatching(new RegExp(`^${BRAND_USAGE_WORKFLOW_PREFIX}${kind}-[0-9a-f]{64}$`)),
      );
    expect(temporal.updates.map((u) => [u.name, u.args])).toEqual(
      Array(3).fill(['claimBrandUsage', [{ registrationId: WORKFLOW_ID }]]),
    );
    const sent = JSON.stringify([temporal.startsOf('brandUsage'), temporal.updates]);
    const { soleProprietor, address } = SAMPLE_REGISTRATION_REQUEST;
    for (const secret of [soleProprietor.mobilePhoneNumber, soleProprietor.email, address.street])
      expect(sent).not.toContain(secret);
  });

  test('a used-up mobile number is refused with the registrations that used it, and nothing starts', async () => {
    const { temporal, registrar, registrationStarts } = setup();
    const conflict = {
      kind: 'mobile',
      limit: 3,
      usedBy: ['a2p-registration-a', 'a2p-registration-b', 'a2p-registration-c'],
    };
    temporal.onUpdate = (workflowId, name) => {
      if (name === 'releaseBrandUsage') return { released: true };
      if (workflowId.startsWith(`${BRAND_USAGE_WORKFLOW_PREFIX}mobile-`))
        throw ApplicationFailure.create({
          type: BRAND_USAGE_EXCEEDED,
          nonRetryable: true,
          details: [conflict],
        });
      return { accepted: true, added: true };
    };
    const error = await registrar.startRegistration(SAMPLE_REGISTRATION_REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrandUsageError);
    expect((error as BrandUsageError).conflicts).toEqual([conflict]);
    expect((error as Error).message).toContain(
      'the mobile number has been used for 3 brands already (TCR allows 3), by a, b, c',
    );
    expect(registrationStarts()).toEqual([]);
    // The email and address it had just claimed are taken back: it never used them.
    const released = temporal.updates.filter((u) => u.name === 'releaseBrandUsage').map((u) => u.workflowId);
    expect(released.map((id) => id.slice(BRAND_USAGE_WORKFLOW_PREFIX.length).split('-')[0]).sort()).toEqual([
      'address',
      'email',
    ]);
  });
});

describe('submitCorrection', () => {
  test('an invalid correction never reaches the workflow', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onQuery = () => waiting('customerProfile');
    const error = await registrar
      .submitCorrection('demo-customer', { soleProprietor: { email: 'nope' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(temporal.updates).toEqual([]);
  });

  test('corrected campaign fields the pre-vetting blocks or warns about never reach the workflow', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onQuery = () => waiting('campaign');
    const samples = [
      'Jane Doe Pottery: questions? Call 415-555-0123. Reply STOP to opt out.',
      'Your class is at [time].',
    ];
    const blocked = await registrar
      .submitCorrection('demo-customer', { campaign: { messageSamples: samples, hasEmbeddedPhone: false } })
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(ValidationError);
    expect((blocked as ValidationError).issues.map((i) => i.path)).toEqual(['campaign.hasEmbeddedPhone']);
    const warned = await registrar
      .submitCorrection('demo-customer', {
        campaign: { messageFlow: 'Members log in to the portal and turn on SMS updates.' },
      })
      .catch((e: unknown) => e);
    expect(warned).toBeInstanceOf(CampaignWarningsError);
    expect(temporal.updates).toEqual([]);
  });

  test('an accepted correction returns the warnings the operator accepted', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onUpdate = () => ({ accepted: true, phase: 'needs-correction' });
    temporal.onQuery = () => waiting('customerProfile');
    const correction = { campaign: { messageFlow: 'Members log in to the portal and turn on SMS updates.' } };
    const result = await registrar.submitCorrection('demo-customer', correction, { acceptWarnings: true });
    expect(result).toEqual({
      accepted: true,
      phase: 'needs-correction',
      campaignWarnings: [expect.objectContaining({ rule: 'message-flow-opt-in-behind-login', code: 30909 })],
    });
    expect(temporal.updates).toEqual([
      { workflowId: WORKFLOW_ID, name: 'submitCorrection', args: [correction] },
    ]);
  });

  test('a corrected mobile number is claimed before the correction reaches the workflow', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onQuery = () => waiting('trustBundle');
    await registrar.submitCorrection('demo-customer', {
      soleProprietor: { mobilePhoneNumber: '+14155550188' },
    });
    expect(temporal.updates.map((u) => [u.workflowId.replace(/[0-9a-f]{64}$/, '<hash>'), u.name])).toEqual([
      [`${BRAND_USAGE_WORKFLOW_PREFIX}mobile-<hash>`, 'claimBrandUsage'],
      [WORKFLOW_ID, 'submitCorrection'],
    ]);
  });
});

describe('checkCampaign (the pre-vetting alone, for a signup form)', () => {
  test('checks a whole request with its own brand name, paths under campaign', () => {
    const request = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    request.soleProprietor.brandName = 'Acme Bakery';
    request.soleProprietor.firstName = 'Ann';
    const result = checkCampaign(request);
    expect(result.blocked).toBe(true);
    expect(result.findings.map((f) => [f.rule, f.field])).toContainEqual([
      'sample-business-name',
      'campaign.messageSamples',
    ]);
  });

  test('checks a campaign object alone, and passes the sample one', () => {
    expect(checkCampaign(SAMPLE_REGISTRATION_REQUEST.campaign, { brandName: 'Jane Doe Pottery' })).toEqual({
      blocked: false,
      issues: [],
      findings: [],
      skipped: [],
    });
  });
});

describe('the list query', () => {
  test('selects every registration workflow type and narrows by the typed search attributes', () => {
    expect(buildListQuery()).toBe(
      "WorkflowType IN ('soleProprietorRegistration', 'standardRegistration', 'externalCampaignRegistration')",
    );
    expect(buildListQuery({ phase: 'needs-correction', campaignStatus: 'FAILED' })).toBe(
      "WorkflowType IN ('soleProprietorRegistration', 'standardRegistration', 'externalCampaignRegistration')" +
        " AND A2pPhase = 'needs-correction' AND A2pCampaignStatus = 'FAILED'",
    );
  });

  test('refuses values that are not plain status words instead of splicing them into the query', () => {
    expect(() => buildListQuery({ phase: "x' OR WorkflowId != '" })).toThrow(ValidationError);
  });
});

describe('correctionTemplate of a Standard registration', () => {
  const campaign = (
    index: number,
    extra: Partial<StandardCampaignProgress> = {},
  ): StandardCampaignProgress => ({
    index,
    usecase: 'CUSTOMER_CARE',
    messagingServiceSid: `MG${String(index).padStart(32, '0')}`,
    errors: [],
    attempt: 1,
    previousSids: [],
    numbers: {},
    ...extra,
  });
  const standard = (campaigns: StandardCampaignProgress[]): RegistrationProgress['standard'] => ({
    brandType: 'STANDARD',
    campaigns,
  });
  /** The template's fields that are no field of a Standard correction (its placeholders aside). */
  const unknownFields = (template: Record<string, unknown>) => {
    const parsed = parseStandardCorrection(template);
    return parsed.ok
      ? []
      : parsed.issues.filter((i) => /not a known field/.test(i.message)).map((i) => i.path);
  };

  test('a use case the brand may not register asks for that field of that campaign alone, with the fee', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onQuery = () => ({
      ...waiting('campaign'),
      standard: standard([campaign(0, { status: 'VERIFIED', done: true }), campaign(1)]),
      issues: [
        {
          step: 'campaign',
          message: 'campaigns.1.usecase: the brand may not register SWEEPSTAKE; it may use CUSTOMER_CARE',
          fields: ['campaigns.1.usecase'],
          at: '2026-11-20T10:00:00.000Z',
        },
      ],
    });
    const asked = await registrar.correctionTemplate('demo-customer');
    expect(asked.step).toBe('campaign');
    expect(asked.template).toEqual({ campaigns: { '1': { usecase: '<corrected usecase>' } } });
    expect(asked.fee?.kinds).toEqual(['campaign-vetting']);
  });

  test('a campaign that failed review gets all its fields; the one verified is left out', () => {
    const template = standardCorrectionTemplateFor('campaign', {
      standard: standard([
        campaign(0, { status: 'VERIFIED', done: true }),
        campaign(1, { status: 'FAILED', errors: ['30896: privacy policy missing'] }),
        campaign(2, { status: 'IN_PROGRESS' }),
      ]),
      issues: [
        {
          step: 'campaign',
          message: 'The campaign failed review',
          fields: ['30896: privacy policy missing'],
          at: '2026-11-20T10:00:00.000Z',
        },
      ],
    });
    expect(Object.keys(template.campaigns as object)).toEqual(['1']);
    expect((template.campaigns as Record<string, object>)['1']).toEqual(
      expect.objectContaining({
        usecase: '<corrected usecase>',
        messageFlow: '<corrected messageFlow>',
        messageSamples: ['<corrected message sample 1>', '<corrected message sample 2>'],
        privacyPolicyUrl: '<corrected privacyPolicyUrl>',
      }),
    );
    expect(unknownFields(template)).toEqual([]);
  });

  test.each([
    ['customerProfile', ['business', 'authorizedRepresentatives', 'address']],
    ['trustBundle', ['messagingProfile']],
    ['brand', ['business', 'messagingProfile']],
    ['messagingService', ['campaigns']],
    ['phoneNumber', ['campaigns']],
  ] as const)('the %s step asks for %j, every field a Standard correction has', (step, parts) => {
    const template = standardCorrectionTemplateFor(step, {
      standard: standard([
        campaign(0, { status: 'VERIFIED', done: true }),
        campaign(1, { messagingServiceSid: undefined }),
      ]),
      issues: [],
    });
    expect(Object.keys(template)).toEqual(parts);
    expect(unknownFields(template)).toEqual([]);
    if (step === 'messagingService')
      expect(template).toEqual({
        campaigns: { '1': { messagingServiceSid: '<corrected messagingServiceSid>' } },
      });
  });

  test('a Sole Proprietor registration keeps its own template', async () => {
    const { temporal, registrar } = setup({ status: 'RUNNING' });
    temporal.onQuery = () => waiting('trustBundle');
    const asked = await registrar.correctionTemplate('demo-customer');
    expect(Object.keys(asked.template)).toEqual(['soleProprietor']);
  });
});
