import type { Activities } from '../../../src/activities';
import type { CommittedRequest } from '../../../src/sandbox';
import {
  auditSandbox,
  expectedAudit,
  type Minimum,
  PAID_STEPS,
  type PaidStep,
} from '../../helpers/fee-audit';
import {
  type ActivitySandbox,
  FAULT_KINDS,
  FAULT_MARK,
  type FaultKind,
  faultSettings,
  prerequisites,
  retried,
  startActivitySandbox,
} from './harness';
import { eventually } from '../sandbox/helpers';

/**
 * Every fault at every paid step: each cell prepares exactly the state a registration has when it
 * reaches the step, aims one fault at the step's paid call (only the first call: the retry runs
 * normally), runs the activity with Temporal's retries until it succeeds, and then checks the
 * whole ledger and the committed paid calls against the minimum. A cell whose fault did not hit
 * fails too, so no cell passes without taking the path it is named for.
 *
 * A new paid step is one more row: a PAID_STEPS entry and its case below.
 */
interface StepCase {
  /** Runs the step's activity once; prepares what it needs first. */
  prepare(a: Activities, p: ReturnType<typeof prerequisites>): Promise<() => Promise<unknown>>;
  /** The ledger at the end of the cell, with everything the preparation paid for. */
  minimum: Minimum;
}

const CASES: Record<PaidStep['key'], StepCase> = {
  customerProfileSubmissions: {
    async prepare(a, p) {
      const { profileSid } = await p.profile();
      return () => a.submitBundle({ kind: 'customer-profile', bundleSid: profileSid });
    },
    minimum: { fees: {}, calls: { customerProfileCreates: 1, customerProfileSubmissions: 1 } },
  },
  trustBundleSubmissions: {
    async prepare(a, p) {
      const { trustProductSid } = await p.trustBundle();
      return () => a.submitBundle({ kind: 'trust-product', bundleSid: trustProductSid });
    },
    minimum: {
      fees: {},
      calls: {
        customerProfileCreates: 1,
        customerProfileSubmissions: 1,
        trustBundleCreates: 1,
        trustBundleSubmissions: 1,
      },
    },
  },
  brandCreates: {
    async prepare(a, p) {
      const { brand } = await p.brandInputs();
      return () => a.ensureBrand(brand);
    },
    minimum: {
      fees: { 'brand-registration': 1 },
      calls: {
        customerProfileCreates: 1,
        customerProfileSubmissions: 1,
        trustBundleCreates: 1,
        trustBundleSubmissions: 1,
        brandCreates: 1,
      },
    },
  },
  brandUpdates: {
    async prepare(a, p) {
      const { brandSid } = await p.failedBrand();
      return () => a.resubmitBrand({ brandSid });
    },
    minimum: {
      fees: { 'brand-registration': 1, 'brand-resubmission': 1 },
      calls: {
        customerProfileCreates: 1,
        customerProfileSubmissions: 1,
        trustBundleCreates: 1,
        trustBundleSubmissions: 1,
        brandCreates: 1,
        brandUpdates: 1,
      },
    },
  },
  campaignCreates: {
    async prepare(a, p) {
      const { campaign } = await p.campaignInputs();
      return () => a.ensureCampaign(campaign);
    },
    minimum: {
      fees: { 'brand-registration': 1, 'campaign-vetting': 1 },
      calls: {
        customerProfileCreates: 1,
        customerProfileSubmissions: 1,
        trustBundleCreates: 1,
        trustBundleSubmissions: 1,
        brandCreates: 1,
        campaignCreates: 1,
      },
    },
  },
  externalAssociations: {
    async prepare(a, p) {
      const input = await p.externalInputs();
      return () => a.associateExternalCampaign(input);
    },
    // The secondary DCA's review of the association bills the vetting fee (003).
    minimum: { fees: { 'campaign-vetting': 1 }, calls: { externalAssociations: 1 } },
  },
};

interface Row {
  step: string;
  fault: FaultKind;
  attempts: number;
  committed: number;
  totalUsd: number;
  minimumUsd: number;
}

describe('every fault at every paid step, activity by activity against the sandbox', () => {
  let t: ActivitySandbox;
  const rows: Row[] = [];

  // A sandbox per cell: an answer still held from one cell cannot land in the next one's log.
  beforeEach(async () => {
    t = await startActivitySandbox();
  });
  afterEach(() => t?.close());
  afterAll(() => {
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(WIDTHS[i])).join(' | ')} |`;
    const WIDTHS = [27, 20, 8, 15, 10, 11];
    const header = ['paid step', 'fault', 'attempts', 'committed calls', 'ledger USD', 'minimum USD'];
    console.log(
      [
        'Fault matrix (step x fault -> ledger total):',
        line(header),
        line(WIDTHS.map((w) => '-'.repeat(w))),
        ...rows.map((r) =>
          line([r.step, r.fault, `${r.attempts}`, `${r.committed}`, `${r.totalUsd}`, `${r.minimumUsd}`]),
        ),
      ].join('\n'),
    );
  });

  async function faultLogged(endpoint: string, marks: string[]): Promise<true | undefined> {
    const { entries } = await t.sandbox.control.requests();
    return entries.some((e) => e.endpoint === endpoint && marks.includes(e.fault ?? '')) || undefined;
  }

  describe.each(PAID_STEPS.map((s) => [s.step, s] as const))('%s', (_name, step) => {
    test.each(FAULT_KINDS)('%s: completes with the ledger at the minimum', async (fault) => {
      const run = await CASES[step.key].prepare(t.activities, prerequisites(t.activities, t.sandbox));

      let hookFired = false;
      let off = () => undefined as unknown;
      const abandon = (abandonNow: () => void) => {
        if (fault !== 'killed-after-commit' || hookFired) return;
        off = t.sandbox.onCommit((c: CommittedRequest) => {
          if (c.endpoint !== step.endpoint || hookFired) return;
          hookFired = true;
          abandonNow();
        });
      };
      const settings = faultSettings(fault, step.endpoint);
      if (settings) await t.sandbox.control.setFaults(settings);
      let outcome;
      try {
        outcome = await retried(run, { abandon });
      } finally {
        off();
        await t.sandbox.control.clearFaults();
      }
      // Reviews run to their end, so whatever a duplicate would bill is billed.
      await t.sandbox.control.advanceAll();

      if (fault === 'killed-after-commit') expect(hookFired).toBe(true);
      // A late answer is logged when it finally leaves, after the retry already succeeded.
      else await eventually(() => faultLogged(step.endpoint, FAULT_MARK[fault]), `${fault} logged`);
      expect(outcome.attempts).toBeGreaterThanOrEqual(2);

      const audit = await auditSandbox(t.sandbox);
      const minimum = expectedAudit(CASES[step.key].minimum);
      rows.push({
        step: step.step,
        fault,
        attempts: outcome.attempts,
        committed: audit.calls[step.key],
        totalUsd: audit.totalUsd,
        minimumUsd: minimum.totalUsd,
      });
      expect(audit).toEqual(minimum);
    });
  });
});
