import { runCli, type Registrar } from '../../src/cli/program';
import { csvHeader } from '../../src/cli/import-file';
import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';
import { registrationWorkflowId } from '../../src/shared';
import { startE2EStack, type E2EStack } from '../helpers/e2e-stack';
import { addMinimums, FeeAudit, soleProprietorMinimum } from '../helpers/fee-audit';

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A request as a CSV row under `header`, list items in numbered columns. */
function csvRow(header: string[], request: unknown): string {
  const flat: Record<string, string> = {};
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.${i + 1}`));
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    else flat[path] = String(value);
  };
  walk(request, '');
  return header.map((h) => cell(flat[h] ?? '')).join(',');
}

/**
 * `a2p import` end to end: a CSV of mixed rows against the dev server, the sandbox, the webhook
 * server and the worker, driven through the CLI in-process. The customers answer their OTPs on
 * their own (the sandbox's auto-reply), so every registration the sandbox does not fail completes.
 */
describe('a2p import, end to end', () => {
  let stack: E2EStack;
  let fees: FeeAudit;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    stack = await startE2EStack('a2p-e2e-import', { otpAutoReplyMs: 500 });
    fees = new FeeAudit(stack.sandbox);
  }, 60_000);
  afterAll(() => stack?.stop());

  /** Runs `a2p <args>` in-process on the stack's registrar; the file system is `files`. */
  async function a2p(args: string[], files: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['node', 'a2p', ...args], {
      connect: async () => ({ ...bind(stack.registrar), close: async () => undefined }),
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      readFile: (path) => {
        const text = files[path];
        if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
        return text;
      },
      importRefreshMs: 250,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** The sample with its own customer id, number, mobile number and email (TCR counts reuse). */
  function customer(
    n: number,
    change: (r: RegistrationRequest) => void = () => undefined,
  ): RegistrationRequest {
    const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    r.customerId = `imp-${run}-${n}`;
    r.phoneNumberSid = `PN${String(n).padStart(32, '0')}`;
    r.soleProprietor.mobilePhoneNumber = `+1415555020${n}`;
    r.soleProprietor.email = `jane.${n}@example.com`;
    change(r);
    return r;
  }

  test('a mixed file: nothing starts until --skip-invalid, then the valid rows run, one fails at Twilio with its reason, and a second run starts nothing twice', async () => {
    const header = csvHeader();
    const good1 = customer(1);
    const good2 = customer(2, (r) => {
      // A quoted line break: the rows after it keep their own line numbers.
      r.campaign.description = `${r.campaign.description}\nAlso workshop news, at most twice a month.`;
    });
    // 000 3.1 / docs/sandbox.md: a brand name with "TCR Reject" is FAILED by TCR after its fee.
    const tcrReject = customer(3, (r) => (r.soleProprietor.brandName = 'Jane Doe TCR Reject'));
    const badEmail = customer(4, (r) => (r.soleProprietor.email = 'jane.doe'));
    const badZip = customer(5, (r) => (r.address.postalCode = '2215'));
    const file = [
      header.join(','),
      csvRow(header, good1),
      csvRow(header, badEmail),
      csvRow(header, good2),
      csvRow(header, tcrReject),
      csvRow(header, badZip),
    ].join('\n');
    const files = { 'customers.csv': file };

    const before = (await stack.sandbox.control.requests()).entries.length;
    const refused = await a2p(['import', 'customers.csv'], files);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('customers.csv: 2 lines cannot be registered:');
    expect(refused.err).toContain(
      'line 3: soleProprietor.email: must be a well-formed email address with a valid domain, like jane@example.com',
    );
    // Row 4 spans lines 4 and 5, so the bad ZIP is on line 7.
    expect(refused.err).toContain(
      'line 7: address.postalCode: must be a US ZIP code like 94016 or 02215-4147',
    );
    expect(refused.err).toContain('Nothing was started');
    expect((await stack.sandbox.control.requests()).entries.length).toBe(before);
    await expect(
      stack.client.workflow.getHandle(registrationWorkflowId(good1.customerId)).describe(),
    ).rejects.toThrow();

    const first = await a2p(['import', 'customers.csv', '--skip-invalid'], files);
    expect(first.err).toBe('');
    expect(first.out).toContain('Skipping 2 invalid rows (--skip-invalid):');
    expect(first.out).toContain('Started 3, 0 already started, 2 invalid (skipped)');
    // The counts per phase, one line per change (no terminal here), until all three settle.
    expect(first.out).toMatch(/^3 registrations: .*customer-profile/m);
    expect(first.out).toMatch(/^3 registrations: needs-correction 1, completed 2$/m);
    expect(first.out).toContain('Completed: 2');
    expect(first.out).toContain('Failed: 1');
    expect(first.out).toMatch(
      new RegExp(
        `^  ${tcrReject.customerId} \\(line 6\\): needs-correction: .*The Campaign Registry rejected the brand information`,
        'm',
      ),
    );
    expect(first.out).not.toContain('Still running');
    // A row failed, so the import did not fully succeed.
    expect(first.code).toBe(1);
    for (const r of [good1, good2]) {
      const p = await stack.registrar.getProgress(r.customerId);
      expect(p.outcome).toBe('completed');
    }

    const again = await a2p(['import', 'customers.csv', '--skip-invalid', '--no-wait'], files);
    expect(again.out).toContain('Started 0, 3 already started, 2 invalid (skipped)');
    expect(again.out).toContain('Not waiting (--no-wait)');
    expect(again.code).toBe(1);

    // Two registrations paid in full, the rejected brand once and no campaign: nothing twice.
    await fees.expectMinimum(
      addMinimums(soleProprietorMinimum(), soleProprietorMinimum(), soleProprietorMinimum({ campaigns: 0 })),
    );
  }, 180_000);
});

/** The registrar's methods bound to it, so the CLI can call them off a plain object. */
function bind(registrar: E2EStack['registrar']): Omit<Registrar, 'close'> {
  return {
    startRegistration: registrar.startRegistration.bind(registrar),
    startRegistrations: registrar.startRegistrations.bind(registrar),
    getProgress: registrar.getProgress.bind(registrar),
    resendOtp: registrar.resendOtp.bind(registrar),
    submitCorrection: registrar.submitCorrection.bind(registrar),
    cancelRegistration: registrar.cancelRegistration.bind(registrar),
    startExternalCampaign: registrar.startExternalCampaign.bind(registrar),
    getExternalCampaignProgress: registrar.getExternalCampaignProgress.bind(registrar),
    deregister: registrar.deregister.bind(registrar),
    listRegistrations: registrar.listRegistrations.bind(registrar),
    listStuck: registrar.listStuck.bind(registrar),
    correctionTemplate: registrar.correctionTemplate.bind(registrar),
  };
}
