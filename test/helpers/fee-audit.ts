import type { FeeKind } from '../../src/sandbox/state';
import { FEES, type RunningSandbox } from '../../src/sandbox';

/**
 * The writes that cost money or burn a TCR quota, one row each. Fee checks count them in the
 * sandbox's request log (committed requests: a create whose answer was lost still happened), and
 * the fault matrix aims each fault at each row. A new paid step (subaccounts, secondary vetting)
 * is one more row here.
 */
export const PAID_STEPS = [
  {
    step: 'customer-profile submission',
    endpoint: 'POST /trusthub/v1/CustomerProfiles/:sid',
    key: 'customerProfileSubmissions',
  },
  {
    step: 'trust-bundle submission',
    endpoint: 'POST /trusthub/v1/TrustProducts/:sid',
    key: 'trustBundleSubmissions',
  },
  { step: 'brand create', endpoint: 'POST /messaging/v1/a2p/BrandRegistrations', key: 'brandCreates' },
  {
    step: 'brand update',
    endpoint: 'POST /messaging/v1/a2p/BrandRegistrations/:sid',
    key: 'brandUpdates',
  },
  {
    step: 'campaign create',
    endpoint: 'POST /messaging/v1/Services/:sid/Compliance/Usa2p',
    key: 'campaignCreates',
  },
  {
    step: 'external association',
    endpoint: 'POST /messaging/v1/Services/PreregisteredUsa2p',
    key: 'externalAssociations',
  },
] as const;

export type PaidStep = (typeof PAID_STEPS)[number];
export type PaidCallKey = PaidStep['key'];

/** The bundles themselves: free, but a second one per registration would be a bug too. */
const BUNDLE_CREATES = {
  customerProfileCreates: 'POST /trusthub/v1/CustomerProfiles',
  trustBundleCreates: 'POST /trusthub/v1/TrustProducts',
  // A customer's subaccount and its Event Streams sink and subscription: one each.
  subaccountCreates: 'POST /api/2010-04-01/Accounts.json',
  sinkCreates: 'POST /events/v1/Sinks',
  subscriptionCreates: 'POST /events/v1/Subscriptions',
} as const;

type CallKey = PaidCallKey | keyof typeof BUNDLE_CREATES;

/** What a scenario needs at the least: the fees Twilio bills and the paid calls that bill them. */
export interface Minimum {
  fees: Partial<Record<FeeKind, number>>;
  calls: Partial<Record<CallKey, number>>;
}

const ENDPOINTS: Record<CallKey, string> = {
  ...BUNDLE_CREATES,
  ...(Object.fromEntries(PAID_STEPS.map((s) => [s.key, s.endpoint])) as Record<PaidCallKey, string>),
};

/**
 * A Sole Proprietor registration to the end: one profile and one trust bundle, each submitted
 * once (plus one resubmission per rejection), one brand, one update per resubmission, one campaign
 * per submission.
 */
export function soleProprietorMinimum(
  options: {
    brandResubmissions?: number;
    campaigns?: number;
    profileSubmissions?: number;
    bundleSubmissions?: number;
    /** Other updates of the profile (an email correction is a POST to the same resource). */
    profileUpdates?: number;
    /** The brand was never created (the registration stopped before it). */
    noBrand?: boolean;
  } = {},
): Minimum {
  const brands = options.noBrand ? 0 : 1;
  const resubmissions = options.brandResubmissions ?? 0;
  const campaigns = options.campaigns ?? (options.noBrand ? 0 : 1);
  const profileSubmissions = options.profileSubmissions ?? 1;
  return {
    fees: {
      'brand-registration': brands,
      'brand-resubmission': resubmissions,
      'campaign-vetting': campaigns,
    },
    calls: {
      customerProfileCreates: 1,
      trustBundleCreates: options.bundleSubmissions === 0 ? 0 : 1,
      customerProfileSubmissions: profileSubmissions + (options.profileUpdates ?? 0),
      trustBundleSubmissions: options.bundleSubmissions ?? 1,
      brandCreates: brands,
      brandUpdates: resubmissions,
      campaignCreates: campaigns,
    },
  };
}

/**
 * A Standard or Low-Volume Standard registration to the end: one secondary profile and one
 * messaging profile, each submitted once, one brand (secondary vetting unless Low-Volume; the
 * Authentication+ step for a public company), one campaign per submission.
 */
export function standardMinimum(options: {
  campaigns: number;
  lowVolume?: boolean;
  publicCompany?: boolean;
  /** Registered in a subaccount of its own, with its sink and subscription. */
  subaccount?: boolean;
}): Minimum {
  const sub = options.subaccount ? 1 : 0;
  return {
    fees: {
      'brand-registration': 1,
      'secondary-vetting': options.lowVolume ? 0 : 1,
      'authentication-plus': options.publicCompany ? 1 : 0,
      'campaign-vetting': options.campaigns,
    },
    calls: {
      customerProfileCreates: 1,
      trustBundleCreates: 1,
      customerProfileSubmissions: 1,
      trustBundleSubmissions: 1,
      brandCreates: 1,
      campaignCreates: options.campaigns,
      subaccountCreates: sub,
      sinkCreates: sub,
      subscriptionCreates: sub,
    },
  };
}

/** An external TCR campaign associated once: the secondary DCA's review bills one vetting fee. */
export function externalCampaignMinimum(options: { associations?: number; reviews?: number } = {}): Minimum {
  const associations = options.associations ?? 1;
  return {
    fees: { 'campaign-vetting': options.reviews ?? associations },
    calls: { externalAssociations: associations },
  };
}

export function addMinimums(...minimums: Minimum[]): Minimum {
  const sum: Minimum = { fees: {}, calls: {} };
  for (const m of minimums) {
    for (const [k, v] of Object.entries(m.fees) as [FeeKind, number][]) sum.fees[k] = (sum.fees[k] ?? 0) + v;
    for (const [k, v] of Object.entries(m.calls) as [CallKey, number][])
      sum.calls[k] = (sum.calls[k] ?? 0) + v;
  }
  return sum;
}

export interface LedgerAudit {
  fees: Record<FeeKind, number>;
  calls: Record<CallKey, number>;
  totalUsd: number;
}

/** Every fee in the sandbox's ledger and every committed paid call in its request log, counted. */
export async function auditSandbox(sandbox: Pick<RunningSandbox, 'control'>): Promise<LedgerAudit> {
  const [{ entries: ledger, totalUsd }, { entries: log }] = await Promise.all([
    sandbox.control.ledger(),
    sandbox.control.requests(),
  ]);
  const fees = Object.fromEntries(Object.keys(FEES).map((k) => [k, 0])) as Record<FeeKind, number>;
  for (const e of ledger) fees[e.kind] += 1;
  const calls = Object.fromEntries(
    (Object.entries(ENDPOINTS) as [CallKey, string][]).map(([key, endpoint]) => [
      key,
      log.filter((e) => e.endpoint === endpoint && e.committed === true).length,
    ]),
  ) as Record<CallKey, number>;
  return { fees, calls, totalUsd };
}

/** The audit a minimum predicts: zero for everything it does not name. */
export function expectedAudit(minimum: Minimum): LedgerAudit {
  const fees = Object.fromEntries(
    Object.keys(FEES).map((k) => [k, minimum.fees[k as FeeKind] ?? 0]),
  ) as Record<FeeKind, number>;
  const calls = Object.fromEntries(
    Object.keys(ENDPOINTS).map((k) => [k, minimum.calls[k as CallKey] ?? 0]),
  ) as Record<CallKey, number>;
  const totalUsd = (Object.entries(fees) as [FeeKind, number][]).reduce((s, [k, n]) => s + n * FEES[k], 0);
  return { fees, calls, totalUsd };
}

/**
 * The fee check every end-to-end test ends with. A test file's sandbox serves all its tests, so
 * the audit keeps the running minimum of every scenario the file has run: after each test the
 * WHOLE ledger (every entry, whichever SID it names) and every committed paid call must equal the
 * sum of the minimums so far. A duplicate create, whatever SID it got, shows up as one too many.
 */
export class FeeAudit {
  private expected: Minimum = { fees: {}, calls: {} };

  constructor(private readonly sandbox: Pick<RunningSandbox, 'control'>) {}

  /** Adds a scenario's minimum and asserts the sandbox is at the running total, not above it. */
  async expectMinimum(...scenarios: Minimum[]): Promise<LedgerAudit> {
    this.expected = addMinimums(this.expected, ...scenarios);
    const actual = await auditSandbox(this.sandbox);
    expect(actual).toEqual(expectedAudit(this.expected));
    return actual;
  }
}
