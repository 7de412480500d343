import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities, BundleKind } from '../../activities';
import { addressForTwilio, isStandard } from '../../domain/requests';
import {
  A2P_MESSAGING_PROFILE_POLICY_SID,
  SECONDARY_CUSTOMER_PROFILE_POLICY_SID,
  SOLE_PROPRIETOR_TRUST_POLICY_SID,
  STARTER_CUSTOMER_PROFILE_POLICY_SID,
} from '../../domain/rules';
import { A2P_CUSTOMER_PROFILE_SID, A2P_TRUST_PRODUCT_SID, type StepName } from '../../shared';
import { twilioCall } from '../activity-options';
import { settle } from '../settle';
import type { AnyRegistration, Registration } from './context';
import { applyEarlyEvents, STEP_OF } from './events';
import { awaitCorrection, remediable } from './remediation';
import { settleWait } from './texts';

const act = proxyActivities<Activities>(twilioCall);

/** Registrations started before this patch create the starter profile's parts one by one. */
const PARALLEL_STARTER_PARTS_PATCH = 'parallel-starter-profile-parts';

/**
 * Both of `parts` to the end, then their results; the first failure (in the order given) is
 * thrown only once both have settled, so a step run again after a correction never overlaps a
 * create still in flight.
 */
async function allSettledThenThrow<A, B>(parts: [Promise<A>, Promise<B>]): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled(parts);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** 000 1.1–1.8: the Starter Customer Profile, with the ISV's primary profile assigned. */
export async function customerProfile(reg: Registration): Promise<string> {
  const done = doneSid(reg, 'customerProfile');
  if (done) return done;
  reg.enter('customer-profile', 'Creating the starter customer profile');
  const sid = await ensureBundle(reg, 'customer-profile', STARTER_CUSTOMER_PROFILE_POLICY_SID);
  await remediable(reg, 'customerProfile', async () => {
    const { request, workflowId } = reg;
    const createEndUser = () =>
      act.ensureStarterProfileEndUser({
        workflowId,
        info: request.soleProprietor,
        mayExist: reg.mayExist('starter-end-user'),
      });
    const createAddressAndDocument = async () => {
      const address = await act.ensureAddress({
        workflowId,
        address: addressForTwilio(request),
        mayExist: reg.mayExist('address'),
      });
      const document = await act.ensureAddressDocument({
        workflowId,
        addressSid: address.sid,
        mayExist: reg.mayExist('address-document'),
      });
      return { address, document };
    };
    // 1.2 (the end-user) and 1.4–1.5 (the address and its document) are separate resources that
    // only the assignments of 1.6 bring together: created side by side, they cost the
    // registration one round trip less before its brand.
    const [endUser, { address, document }] = patched(PARALLEL_STARTER_PARTS_PATCH)
      ? await allSettledThenThrow([createEndUser(), createAddressAndDocument()])
      : [await createEndUser(), await createAddressAndDocument()];
    reg.state.sids.starterEndUser = endUser.sid;
    reg.state.sids.address = address.sid;
    // 1.6: end-user, address document and the ISV's primary customer profile.
    await act.ensureAssignments({
      kind: 'customer-profile',
      bundleSid: sid,
      objectSids: [endUser.sid, document.sid],
      includePrimaryProfile: true,
      mayExist: reg.mayExist('customer-profile-assignments'),
    });
  });
  await evaluateAndSubmit(reg, 'customer-profile', sid, STARTER_CUSTOMER_PROFILE_POLICY_SID);
  return sid;
}

/** 000 2.1–2.6: the Sole Proprietor A2P trust bundle, holding the starter profile. */
export async function trustBundle(reg: Registration, profileSid: string): Promise<string> {
  const done = doneSid(reg, 'trustBundle');
  if (done) return done;
  reg.enter('trust-bundle', 'Creating the Sole Proprietor A2P trust bundle');
  const sid = await ensureBundle(reg, 'trust-product', SOLE_PROPRIETOR_TRUST_POLICY_SID);
  await remediable(reg, 'trustBundle', async () => {
    const endUser = await act.ensureSoleProprietorEndUser({
      workflowId: reg.workflowId,
      info: reg.request.soleProprietor,
      mayExist: reg.mayExist('sole-proprietor-end-user'),
    });
    reg.state.sids.soleProprietorEndUser = endUser.sid;
    // 2.4: the sole_proprietor_information end-user and the starter customer profile.
    await act.ensureAssignments({
      kind: 'trust-product',
      bundleSid: sid,
      objectSids: [endUser.sid, profileSid],
      mayExist: reg.mayExist('trust-product-assignments'),
    });
  });
  await evaluateAndSubmit(reg, 'trust-product', sid, SOLE_PROPRIETOR_TRUST_POLICY_SID);
  return sid;
}

export function doneSid(reg: AnyRegistration, name: StepName): string | undefined {
  const step = reg.progress.steps[name];
  return step.status === 'done' ? step.sid : undefined;
}

/**
 * Creates (or finds) the registration's bundle of `kind`. A Sole Proprietor's starter profile and
 * trust bundle carry the customer's email; a Standard registration's secondary profile and
 * messaging profile carry the ISV's (its primary profile's), as Twilio's ISV guide asks.
 */
export async function ensureBundle(
  reg: AnyRegistration,
  kind: BundleKind,
  policySid: string,
): Promise<string> {
  const name = STEP_OF[kind];
  const { request } = reg;
  const bundle = await remediable(reg, name, () =>
    act.ensureBundle({
      kind,
      workflowId: reg.workflowId,
      policySid,
      email: isStandard(request) ? undefined : request.soleProprietor.email,
      mayExist: reg.mayExist(kind),
      accountSid: reg.accountSid,
    }),
  );
  reg.step(name, 'in-progress', { sid: bundle.sid, twilioStatus: bundle.status });
  reg.attribute(kind === 'customer-profile' ? A2P_CUSTOMER_PROFILE_SID : A2P_TRUST_PRODUCT_SID, bundle.sid);
  applyEarlyEvents(reg);
  return bundle.sid;
}

/**
 * 1.7–1.8 / 2.5–2.6: evaluate, submit, then settle 30 s. A noncompliant evaluation or a
 * twilio-rejected callback records Twilio's reasons and waits for corrected data, then
 * re-evaluates and resubmits. The bundle then stays in review until the brand is verified, so we
 * never wait for twilio-approved.
 */
export async function evaluateAndSubmit(
  reg: AnyRegistration,
  kind: BundleKind,
  bundleSid: string,
  policySid: string,
) {
  const accountSid = reg.accountSid;
  const name = STEP_OF[kind];
  const rejected = () => reg.state.bundles[kind]?.status === 'twilio-rejected';
  for (;;) {
    // A rejection stands until the corrected bundle is resubmitted (also across continue-as-new).
    if (rejected()) {
      reg.issue(
        name,
        `Twilio rejected the ${bundleLabel(reg, kind)}: ${reg.state.bundles[kind]?.failureReason ?? 'no reason given'}`,
      );
      await awaitCorrection(reg, name, 'Correct the data Twilio rejected (email, address or name)');
    }
    const evaluation = await act.evaluateBundle({ kind, bundleSid, policySid, accountSid });
    if (evaluation.status === 'noncompliant') {
      reg.issue(name, 'The evaluation found the bundle noncompliant', evaluation.failures);
      await awaitCorrection(reg, name, 'Correct the fields the evaluation names');
      continue;
    }
    const submitted = await remediable(reg, name, () =>
      act.submitBundle({ kind, bundleSid, mayExist: reg.mayExist(`submit-${kind}`), accountSid }),
    );
    reg.step(name, 'waiting', { twilioStatus: submitted.status });
    reg.state.bundles[kind] = { status: submitted.status };
    reg.events.reset(bundleSid);
    // 000: wait 30 s after submitting the bundle to see whether a validation error surfaces. A
    // callback cuts the wait short to fetch the bundle; a rejection then asks for a correction.
    const settleUntil = Date.now() + reg.timings.settleDelayMs;
    reg.waiting(
      `the pause after submitting the ${bundleLabel(reg, kind)}`,
      settleWait(bundleLabel(reg, kind), reg.timings.settleDelayMs, new Date(settleUntil).toISOString()),
    );
    while (!rejected() && Date.now() < settleUntil) {
      const woken = () => reg.state.bundlesStale === true;
      if (
        (await settle(settleUntil - Date.now(), woken, `settle after submitting the ${kind}`)) === 'rejected'
      ) {
        await refreshBundles(reg);
      }
    }
    if (rejected()) continue;
    reg.step(name, 'done');
    return;
  }
}

const BUNDLE_LABEL: Record<BundleKind, string> = {
  'customer-profile': 'starter customer profile',
  'trust-product': 'A2P trust bundle',
};
const STANDARD_BUNDLE_LABEL: Record<BundleKind, string> = {
  'customer-profile': 'secondary customer profile',
  'trust-product': 'A2P messaging profile',
};

function bundleLabel(reg: AnyRegistration, kind: BundleKind): string {
  return (isStandard(reg.request) ? STANDARD_BUNDLE_LABEL : BUNDLE_LABEL)[kind];
}

const POLICY_OF: Record<BundleKind, string> = {
  'customer-profile': STARTER_CUSTOMER_PROFILE_POLICY_SID,
  'trust-product': SOLE_PROPRIETOR_TRUST_POLICY_SID,
};
/** The Standard path's policies (reference README: Twilio's ISV guide for Standard brands). */
export const STANDARD_POLICY_OF: Record<BundleKind, string> = {
  'customer-profile': SECONDARY_CUSTOMER_PROFILE_POLICY_SID,
  'trust-product': A2P_MESSAGING_PROFILE_POLICY_SID,
};

/** The bundles whose last fetched status is twilio-rejected. */
export function rejectedBundles(reg: AnyRegistration): BundleKind[] {
  return (['customer-profile', 'trust-product'] as const).filter(
    (kind) => reg.state.bundles[kind]?.status === 'twilio-rejected',
  );
}

/** Fetches both bundles: their status, and for a rejected one Twilio's errors. */
export async function refreshBundles(reg: AnyRegistration): Promise<void> {
  reg.state.bundlesStale = false;
  for (const kind of ['customer-profile', 'trust-product'] as const) {
    const sid = reg.progress.steps[STEP_OF[kind]].sid;
    if (!sid) continue;
    const found = await act.fetchBundle({ kind, sid, accountSid: reg.accountSid });
    const before = reg.state.bundles[kind];
    reg.state.bundles[kind] = {
      status: found.status,
      failureReason: found.errors?.join('; ') ?? found.failureReason ?? before?.failureReason,
    };
    reg.step(STEP_OF[kind], undefined, { twilioStatus: found.status });
  }
}

/**
 * A profile or bundle stays in review until the brand is verified, and Twilio may reject it at
 * any time before that (then the brand fails with "Unable to fetch Customer Profile Bundle
 * details"). A rejected bundle is corrected and resubmitted here, so that the brand is resubmitted
 * (and paid for) only on bundles that are in review again.
 */
export async function resubmitRejectedBundles(reg: AnyRegistration): Promise<void> {
  for (const kind of rejectedBundles(reg)) {
    const sid = reg.progress.steps[STEP_OF[kind]].sid as string;
    await evaluateAndSubmit(reg, kind, sid, (isStandard(reg.request) ? STANDARD_POLICY_OF : POLICY_OF)[kind]);
  }
}
