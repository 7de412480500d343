import { a2p, freePort, jsonFile, type RunningStack, sampleRequest, startStack } from './stack';

/**
 * The `a2p` errors an operator meets, as `npx a2p` prints them: first with no stack running,
 * then against `npm start`'s stack with registrations in the states the messages are about.
 */

describe('a2p with the stack stopped', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    const [temporalPort, sandboxPort] = [await freePort(), await freePort()];
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      SANDBOX_PORT: String(sandboxPort),
    };
  });

  test('fails within 3 s, names the address and the command that starts it (exit 3)', () => {
    for (const args of [['list'], ['status', 'cust-1'], ['list', '--stuck']]) {
      // What starting `npx a2p` costs here right now, without a connection: the bound is the
      // command's 3 s wait on top of it, so a machine busy with other tests does not count.
      const start = a2p(['--help'], env);
      expect(start.code).toBe(0);
      const r = a2p(args, env);
      expect(r.code).toBe(3);
      expect(r.err).toContain(`Cannot reach Temporal at ${env.TEMPORAL_ADDRESS} (namespace default)`);
      expect(r.err).toContain('npm start');
      expect(r.err).toContain('TEMPORAL_ADDRESS');
      expect(r.ms).toBeLessThan(start.ms + 3_000 + 1_500);
    }
  });

  test('a sandbox command names the sandbox address it tried (exit 3)', () => {
    const r = a2p(['sandbox', 'numbers'], env);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`Cannot reach the Twilio sandbox at http://127.0.0.1:${env.SANDBOX_PORT}`);
    expect(r.err).toContain('npm start');
  });
});

describe('a2p against the running stack', () => {
  let stack: RunningStack;
  let numbers: { sid: string; messagingServiceSid: string | null }[];
  const run = Date.now().toString(36);
  const done = `cli-done-${run}`;
  const stuck = `cli-stuck-${run}`;

  beforeAll(async () => {
    stack = await startStack();
    numbers = JSON.parse(a2p(['sandbox', 'numbers', '--json'], stack.cliEnv).out) as typeof numbers;
  }, 180_000);
  afterAll(() => stack?.stop());

  test('a2p sandbox numbers lists the five numbers as free on a fresh sandbox', () => {
    expect(numbers).toHaveLength(5);
    expect(numbers.every((n) => n.messagingServiceSid === null)).toBe(true);
    const r = a2p(['sandbox', 'numbers'], stack.cliEnv);
    expect(r.code).toBe(0);
    expect(r.out).toContain('5 of 5 free');
  });

  test('a missing registration is "no such registration" (exit 4)', () => {
    const r = a2p(
      ['correct', 'nobody-here', jsonFile('fix.json', { address: { city: 'Boston' } })],
      stack.cliEnv,
    );
    expect(r.code).toBe(4);
    expect(r.err).toBe(
      'No such registration: workflow a2p-registration-nobody-here does not exist (a2p list shows the registrations there are)',
    );
  });

  test('the OTP wait shows in a2p status, a2p sandbox otp answers it, and the number is then held', async () => {
    const file = jsonFile('customer.json', sampleRequest(done, numbers[0].sid));
    expect(a2p(['register', file], stack.cliEnv).code).toBe(0);
    await stack.until(done, (p) => p.waitingFor?.what === 'the customer to answer the OTP', 'the OTP wait');
    const status = a2p(['status', done], stack.cliEnv);
    expect(status.out).toMatch(/^Waiting for the customer to answer the OTP since \S+ \(.* ago\)$/m);
    expect(status.out).toContain(`Next: ask the customer to reply to the text; \`a2p resend-otp ${done}\``);

    const answered = a2p(['sandbox', 'otp', done], stack.cliEnv);
    expect(answered.code).toBe(0);
    expect(answered.out).toContain('identity VERIFIED');
    await stack.until(done, (p) => p.outcome === 'completed', 'completion');
    const held = a2p(['sandbox', 'numbers'], stack.cliEnv);
    expect(held.out).toMatch(new RegExp(`${numbers[0].sid}\\s+\\+\\d+\\s+MG\\w+`));
    expect(held.out).toContain('4 of 5 free');
  }, 120_000);

  test('a completed registration is "closed", not "missing", for correct, resend-otp and cancel (exit 5)', () => {
    const fix = jsonFile('fix.json', { address: { city: 'Boston' } });
    for (const args of [
      ['correct', done, fix],
      ['resend-otp', done],
      ['cancel', done],
    ]) {
      const r = a2p(args, stack.cliEnv);
      expect(r.code).toBe(5);
      expect(r.err).toBe(
        `a2p-registration-${done} is closed (COMPLETED, phase completed): it takes no more corrections, ` +
          `OTP re-sends or cancellations. See how it ended: a2p status ${done}`,
      );
    }
    expect(a2p(['status', done], stack.cliEnv).code).toBe(0);
  });

  test('a registration needing a correction: list --stuck, the template, and a correction in the wrong shape', async () => {
    const file = jsonFile(
      'customer.json',
      sampleRequest(stuck, numbers[1].sid, `jane.${run}@mailinator.com`),
    );
    expect(a2p(['register', file], stack.cliEnv).code).toBe(0);
    await stack.until(stuck, (p) => p.phase === 'needs-correction', 'needs-correction');

    const list = a2p(['list', '--stuck'], stack.cliEnv);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${stuck}  needs-correction  waiting for corrected registration data since`);
    expect(list.out).toContain(
      'why:  Twilio rejected the starter customer profile: Email is a suspected disposable address',
    );
    expect(list.out).toContain(
      `next: Correct the data Twilio rejected (email, address or name): run \`a2p correct ${stuck} fix.json\``,
    );
    expect(a2p(['list', '--stuck', '--older-than', '3d'], stack.cliEnv).out).not.toContain(stuck);
    const bad = a2p(['list', '--stuck', '--older-than', 'soon'], stack.cliEnv);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('Invalid option:\n--older-than: "soon" is not a duration like 3d, 12h or 90m');

    const template = a2p(['correct', '--template', stuck], stack.cliEnv);
    expect(template.code).toBe(0);
    expect(template.err).toContain(
      `${stuck} waits for a correction of the Starter customer profile: Twilio rejected`,
    );
    const shape = JSON.parse(template.out) as Record<string, unknown>;
    expect(Object.keys(shape)).toEqual(['soleProprietor', 'address']);
    expect(shape).toMatchObject({
      soleProprietor: { email: '<corrected email>' },
      address: { street: '<corrected street>' },
    });

    const wrong = a2p(
      ['correct', stuck, jsonFile('fix.json', { soleProprietor: { emial: 'x@example.com' } })],
      stack.cliEnv,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^Invalid correction:\n/);

    const fixed = a2p(
      ['correct', stuck, jsonFile('fix.json', { soleProprietor: { email: `jane.${run}@example.com` } })],
      stack.cliEnv,
    );
    expect([fixed.code, fixed.out]).toEqual([
      0,
      'Correction accepted (the registration was in phase needs-correction)',
    ]);
    const resumed = await stack.until(
      stuck,
      (p) => p.steps.customerProfile.status === 'done',
      'the profile resubmitted',
    );
    expect(typeof resumed.issues[0]?.resolvedAt).toBe('string');
    const status = a2p(['status', stuck], stack.cliEnv);
    expect(status.out).toContain('Resolved errors (a later attempt of the step succeeded):');
    expect(status.out).not.toContain("Twilio's latest errors");
  }, 120_000);

  test('a campaign correction costs another vetting fee and needs --accept-fee', async () => {
    const campaignStuck = `cli-campaign-${run}`;
    const request = sampleRequest(campaignStuck, numbers[2].sid);
    request.campaign.messageFlow += ' #fail-message-flow';
    expect(a2p(['register', jsonFile('customer.json', request)], stack.cliEnv).code).toBe(0);
    await stack.until(
      campaignStuck,
      (p) => p.waitingFor?.what === 'the customer to answer the OTP',
      'the OTP wait',
    );
    a2p(['sandbox', 'otp', campaignStuck], stack.cliEnv);
    await stack.until(campaignStuck, (p) => p.phase === 'needs-correction', 'the failed campaign');
    const fix = jsonFile('fix.json', {
      campaign: {
        messageFlow:
          'Customers opt in by ticking an unchecked SMS consent box at checkout on janedoepottery.example.com/checkout; terms at janedoepottery.example.com/terms, privacy policy at janedoepottery.example.com/privacy.',
      },
    });
    const refused = a2p(['correct', campaignStuck, fix], stack.cliEnv);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("This correction costs a new campaign submission's vetting fee ($15)");
    expect(refused.err).toContain('--accept-fee');
    const accepted = a2p(['correct', campaignStuck, fix, '--accept-fee'], stack.cliEnv);
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain("Accepted the fee: a new campaign submission's vetting fee ($15)");
  }, 120_000);
});
