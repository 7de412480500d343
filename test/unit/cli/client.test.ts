import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  buildListQuery,
  CampaignWarningsError,
  checkCampaign,
  RegistrarClient,
  RegistrationExistsError,
  ValidationError,
} from '../../../src/client';
import { SAMPLE_REGISTRATION_REQUEST } from '../../../src/domain';
import {
  A2P_PHASE,
  REGISTRATION_TASK_QUEUE,
  type RegistrationProgress,
  type StepName,
} from '../../../src/shared';

const TIMINGS = {
  settleDelayMs: 1_000,
  pollIntervalMs: 60_000,
  otpResendIntervalMs: 86_400_000,
  otpDeadlineMs: 1e9,
};
const WORKFLOW_ID = 'a2p-registration-demo-customer';

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

/**
 * The slice of a Temporal Client that starting uses: `start` and, when the id is taken, the
 * latest run's status and result, and whether its deregistration workflow has completed.
 */
function fakeTemporal(latest?: { status: string; result?: unknown }, deregistration?: { status: string }) {
  const start = jest.fn(
    async (_type: string, options: { workflowId: string; workflowIdReusePolicy?: string }) => {
      if (latest && (latest.status === 'RUNNING' || options.workflowIdReusePolicy !== 'ALLOW_DUPLICATE'))
        throw new WorkflowExecutionAlreadyStartedError(
          'already started',
          options.workflowId,
          'soleProprietorRegistration',
        );
      return { workflowId: options.workflowId, firstExecutionRunId: 'new-run' };
    },
  );
  const handle = {
    describe: jest.fn(async () => ({ runId: 'old-run', status: { name: latest?.status } })),
    result: jest.fn(async () => latest?.result),
  };
  const deregistrationHandle = {
    describe: jest.fn(async () => {
      if (!deregistration)
        throw new WorkflowNotFoundError('not found', `${WORKFLOW_ID}-deregistration`, undefined);
      return { runId: 'dereg-run', status: { name: deregistration.status } };
    }),
  };
  const getHandle = jest.fn((id: string) =>
    id === `${WORKFLOW_ID}-deregistration` ? deregistrationHandle : handle,
  );
  const client = { workflow: { start, getHandle } } as unknown as Client;
  return { client, start, handle };
}

describe('startRegistration', () => {
  test('starts soleProprietorRegistration under the customer id with the timings and the first phase', async () => {
    const { client, start } = fakeTemporal();
    const started = await new RegistrarClient(client, { timings: TIMINGS }).startRegistration(
      SAMPLE_REGISTRATION_REQUEST,
    );
    expect(started).toEqual({
      workflowId: WORKFLOW_ID,
      runId: 'new-run',
      alreadyStarted: false,
      campaignWarnings: [],
    });
    expect(start).toHaveBeenCalledTimes(1);
    const [type, options] = start.mock.calls[0];
    expect(type).toBe('soleProprietorRegistration');
    expect(options).toMatchObject({
      workflowId: WORKFLOW_ID,
      taskQueue: REGISTRATION_TASK_QUEUE,
      args: [{ request: SAMPLE_REGISTRATION_REQUEST, timings: TIMINGS }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [{ key: A2P_PHASE, value: 'customer-profile' }],
    });
  });

  test('an invalid request throws a ValidationError naming every bad field and starts nothing', async () => {
    const { client, start } = fakeTemporal();
    const bad = { ...SAMPLE_REGISTRATION_REQUEST, customerId: 'has spaces', phoneNumberSid: 'PN1' };
    const error = await new RegistrarClient(client, { timings: TIMINGS })
      .startRegistration(bad)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'customerId',
      'phoneNumberSid',
    ]);
    expect(start).not.toHaveBeenCalled();
  });

  test('a campaign the pre-vetting blocks is refused like a bad field, and nothing is started', async () => {
    const { client, start } = fakeTemporal();
    const blocked = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    blocked.campaign.hasEmbeddedPhone = true;
    const error = await new RegistrarClient(client, { timings: TIMINGS })
      .startRegistration(blocked, { acceptWarnings: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual(['campaign.hasEmbeddedPhone']);
    expect(issues[0].message).toContain('Twilio would reject it with 30889');
    expect(start).not.toHaveBeenCalled();
  });

  test('campaign warnings refuse the start unless accepted; accepted, they come back with the result', async () => {
    const { client, start } = fakeTemporal();
    const warned = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    warned.campaign.description = 'Order updates and class reminders to customers who opted in at checkout.';
    const registrar = new RegistrarClient(client, { timings: TIMINGS });
    const error = await registrar.startRegistration(warned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CampaignWarningsError);
    expect((error as CampaignWarningsError).warnings.map((w) => w.rule)).toEqual([
      'description-names-business',
    ]);
    expect((error as Error).message).toContain('campaign.description: does not name the business');
    expect(start).not.toHaveBeenCalled();

    const started = await registrar.startRegistration(warned, { acceptWarnings: true });
    expect(started.campaignWarnings).toEqual([
      expect.objectContaining({ rule: 'description-names-business', level: 'warning', code: 30886 }),
    ]);
    expect(start).toHaveBeenCalledTimes(1);
  });

  test('a running registration for the customer is returned, not started twice', async () => {
    const { client, start } = fakeTemporal({ status: 'RUNNING' });
    const started = await new RegistrarClient(client, { timings: TIMINGS }).startRegistration(
      SAMPLE_REGISTRATION_REQUEST,
    );
    expect(started).toEqual({
      workflowId: WORKFLOW_ID,
      runId: 'old-run',
      alreadyStarted: true,
      campaignWarnings: [],
    });
    expect(start).toHaveBeenCalledTimes(1);
  });

  test('a completed registration is refused: a second brand would be paid for', async () => {
    const { client, start } = fakeTemporal({ status: 'COMPLETED', result: { outcome: 'completed' } });
    await expect(
      new RegistrarClient(client, { timings: TIMINGS }).startRegistration(SAMPLE_REGISTRATION_REQUEST),
    ).rejects.toBeInstanceOf(RegistrationExistsError);
    expect(start).toHaveBeenCalledTimes(1);
  });

  test('a completed registration that was deregistered since may be registered again', async () => {
    const { client, start } = fakeTemporal(
      { status: 'COMPLETED', result: { outcome: 'completed' } },
      { status: 'COMPLETED' },
    );
    const started = await new RegistrarClient(client, { timings: TIMINGS }).startRegistration(
      SAMPLE_REGISTRATION_REQUEST,
    );
    expect(started.alreadyStarted).toBe(false);
    expect(start).toHaveBeenCalledTimes(2);
  });

  test('a deregistration still running does not make room for a new registration', async () => {
    const { client } = fakeTemporal(
      { status: 'COMPLETED', result: { outcome: 'completed' } },
      { status: 'RUNNING' },
    );
    await expect(
      new RegistrarClient(client, { timings: TIMINGS }).startRegistration(SAMPLE_REGISTRATION_REQUEST),
    ).rejects.toBeInstanceOf(RegistrationExistsError);
  });

  test('a registration that ended with the OTP expired may be started again', async () => {
    const { client, start } = fakeTemporal({ status: 'COMPLETED', result: { outcome: 'otp-expired' } });
    const started = await new RegistrarClient(client, { timings: TIMINGS }).startRegistration(
      SAMPLE_REGISTRATION_REQUEST,
    );
    expect(started).toEqual({
      workflowId: WORKFLOW_ID,
      runId: 'new-run',
      alreadyStarted: false,
      campaignWarnings: [],
    });
    expect(start.mock.calls.map(([, o]) => o.workflowIdReusePolicy)).toEqual([
      'ALLOW_DUPLICATE_FAILED_ONLY',
      'ALLOW_DUPLICATE',
    ]);
  });
});

describe('submitCorrection', () => {
  test('an invalid correction never reaches the workflow', async () => {
    const { client } = fakeTemporal();
    const error = await new RegistrarClient(client, { timings: TIMINGS })
      .submitCorrection('cust-1', { soleProprietor: { email: 'nope' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(client.workflow.getHandle).not.toHaveBeenCalled();
  });

  test('corrected campaign fields the pre-vetting blocks or warns about never reach the workflow', async () => {
    const { client } = fakeTemporal();
    const registrar = new RegistrarClient(client, { timings: TIMINGS });
    const samples = [
      'Jane Doe Pottery: questions? Call 415-555-0123. Reply STOP to opt out.',
      'Your class is at [time].',
    ];
    const blocked = await registrar
      .submitCorrection('cust-1', { campaign: { messageSamples: samples, hasEmbeddedPhone: false } })
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(ValidationError);
    expect((blocked as ValidationError).issues.map((i) => i.path)).toEqual(['campaign.hasEmbeddedPhone']);
    const warned = await registrar
      .submitCorrection('cust-1', {
        campaign: { messageFlow: 'Members log in to the portal and turn on SMS updates.' },
      })
      .catch((e: unknown) => e);
    expect(warned).toBeInstanceOf(CampaignWarningsError);
    expect(client.workflow.getHandle).not.toHaveBeenCalled();
  });

  test('an accepted correction returns the warnings the operator accepted', async () => {
    const executeUpdate = jest.fn(async () => ({ accepted: true as const, phase: 'needs-correction' }));
    const query = jest.fn(async () => waiting('customerProfile'));
    const client = {
      workflow: { getHandle: jest.fn(() => ({ executeUpdate, query })) },
    } as unknown as Client;
    const correction = { campaign: { messageFlow: 'Members log in to the portal and turn on SMS updates.' } };
    const result = await new RegistrarClient(client, { timings: TIMINGS }).submitCorrection(
      'cust-1',
      correction,
      {
        acceptWarnings: true,
      },
    );
    expect(result).toEqual({
      accepted: true,
      phase: 'needs-correction',
      campaignWarnings: [expect.objectContaining({ rule: 'message-flow-opt-in-behind-login', code: 30909 })],
    });
    expect(executeUpdate).toHaveBeenCalledWith(expect.anything(), { args: [correction] });
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
  test('selects both registration workflow types and narrows by the typed search attributes', () => {
    expect(buildListQuery()).toBe(
      "WorkflowType IN ('soleProprietorRegistration', 'externalCampaignRegistration')",
    );
    expect(buildListQuery({ phase: 'needs-correction', campaignStatus: 'FAILED' })).toBe(
      "WorkflowType IN ('soleProprietorRegistration', 'externalCampaignRegistration')" +
        " AND A2pPhase = 'needs-correction' AND A2pCampaignStatus = 'FAILED'",
    );
  });

  test('refuses values that are not plain status words instead of splicing them into the query', () => {
    expect(() => buildListQuery({ phase: "x' OR WorkflowId != '" })).toThrow(ValidationError);
  });
});
