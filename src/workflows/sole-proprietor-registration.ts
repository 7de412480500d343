import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  type ChildWorkflowHandle,
  condition,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, BundleKind } from '../activities';
import {
  applyCorrection,
  mergeCorrection,
  parseRegistrationCorrection,
  type RegistrationCorrection,
  type RegistrationRequest,
} from '../domain/registration';
import {
  CAMPAIGN_RECREATE_DELAY_MS,
  SOLE_PROPRIETOR_TRUST_POLICY_SID,
  STARTER_CUSTOMER_PROFILE_POLICY_SID,
} from '../domain/rules';
import {
  A2P_BRAND_SID,
  A2P_BRAND_STATUS,
  A2P_CAMPAIGN_SID,
  A2P_CAMPAIGN_STATUS,
  A2P_CUSTOMER_PROFILE_SID,
  A2P_MESSAGING_SERVICE_SID,
  A2P_PHASE,
  A2P_TRUST_PRODUCT_SID,
  BRAND_SUBMISSION_TASK_QUEUE,
  brandStatusSignal,
  campaignChildWorkflowId,
  campaignDeletionWorkflowId,
  campaignStatusSignal,
  type FeeKind,
  OTP_API_TASK_QUEUE,
  progressQuery,
  type RegistrationPhase,
  type RegistrationProgress,
  type RegistrationWorkflowInput,
  resendOtpSignal,
  type StepName,
  type StepStatus,
  submitCorrectionUpdate,
  trustHubStatusSignal,
} from '../shared';
import { TWILIO_PERMANENT_ERROR } from '../twilio/errors-shared';
import { twilioCall } from './activity-options';
import { campaignDeletion } from './campaign-deletion';
import { campaignRegistration, type CampaignRegistrationResult } from './campaign-registration';
import { EventLog } from './event-log';
import { settle } from './settle';

const act = proxyActivities<Activities>(twilioCall);
const otp = proxyActivities<Activities>({ ...twilioCall, taskQueue: OTP_API_TASK_QUEUE });
const brandSubmission = proxyActivities<Activities>({
  ...twilioCall,
  taskQueue: BRAND_SUBMISSION_TASK_QUEUE,
});

/** The registration cannot go on and no correction can fix it (e.g. a suspended brand). */
const REGISTRATION_FAILED = 'RegistrationFailed';

/**
 * One customer's Sole Proprietor A2P 10DLC registration, 000's walkthrough from the starter
 * customer profile to a number on a verified campaign. Waits on reviews for as long as they take,
 * reacts to Twilio's callbacks (signals) within a second, polls slowly when callbacks are lost,
 * and asks for corrected data instead of failing when Twilio rejects something.
 */
export async function soleProprietorRegistration(
  input: RegistrationWorkflowInput,
): Promise<RegistrationProgress> {
  const { timings } = input;
  let request: RegistrationRequest = input.request;
  const workflowId = workflowInfo().workflowId;
  const now = () => new Date().toISOString();
  const progress = initialProgress(request.customerId, now());
  const events = new EventLog();
  const bundleStatus: Partial<Record<BundleKind, { status: string; failureReason?: string }>> = {};
  let pendingCorrection: RegistrationCorrection | undefined;
  let otpResendRequested = false;
  let campaignChild: ChildWorkflowHandle<typeof campaignRegistration> | undefined;
  /** SIDs the workflow needs for remediation but an operator does not. */
  const sids: {
    starterEndUser?: string;
    soleProprietorEndUser?: string;
    address?: string;
    createdMessagingService?: boolean;
  } = {};

  // ---- Handlers: events from Twilio (via the webhook server) and from operators.
  setHandler(progressQuery, () => progress);

  setHandler(trustHubStatusSignal, (event) => {
    const kind = bundleKindOf(event.bundleSid);
    if (!kind || !events.accept(event, event.bundleSid)) return;
    bundleStatus[kind] = { status: event.status, failureReason: event.failureReason };
    step(kind === 'customer-profile' ? 'customerProfile' : 'trustBundle', undefined, {
      twilioStatus: event.status,
    });
  });

  setHandler(brandStatusSignal, (event) => {
    if (event.brandSid !== progress.steps.brand.sid || !events.accept(event, event.brandSid)) return;
    recordBrand({
      status: event.brandStatus,
      identityStatus: event.identityStatus,
      failureReason: event.failureReason,
    });
  });

  setHandler(campaignStatusSignal, async (event) => {
    if (
      event.messagingServiceSid !== progress.steps.messagingService.sid ||
      !events.accept(event, 'campaign')
    )
      return;
    progress.campaign.status = event.campaignStatus.toUpperCase();
    // The submission's child workflow owns the verdict; a late event with no child is recorded only.
    if (campaignChild) await campaignChild.signal(campaignStatusSignal, event);
  });

  setHandler(resendOtpSignal, () => {
    otpResendRequested = true;
  });

  setHandler(
    submitCorrectionUpdate,
    (correction) => {
      pendingCorrection = correction;
      return { accepted: true as const, phase: progress.phase };
    },
    {
      validator: (correction) => {
        if (progress.phase !== 'needs-correction') {
          throw new Error(`No correction is awaited: the registration is in phase "${progress.phase}"`);
        }
        // Validated merged with the current request: a correction can break a rule that spans
        // fields (a Canadian postal code on a US address), which the correction alone cannot show.
        const parsed = parseRegistrationCorrection(correction);
        if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
        const merged = mergeCorrection(request, parsed.value);
        if (!merged.ok) throw new Error(merged.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      },
    },
  );

  // ---- The process.
  try {
    const profileSid = await customerProfile();
    const trustProductSid = await trustBundle(profileSid);
    const brandSid = await brand(profileSid, trustProductSid);
    const messagingServiceSid = await messagingService();
    await campaign(messagingServiceSid, brandSid);
    await phoneNumber(messagingServiceSid);
    finish(
      'completed',
      'completed',
      'Registered: the number can send A2P 10DLC traffic on its verified campaign.',
    );
    return progress;
  } catch (err) {
    if (err instanceof OtpExpired) {
      finish('otp-expired', 'otp-expired', err.message);
      return progress;
    }
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(cleanUpAfterCancel);
      throw err;
    }
    finish('failed', 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  }

  // ---- Steps (000 sections 1–6).

  async function customerProfile(): Promise<string> {
    enter('customer-profile', 'Creating the starter customer profile');
    const bundle = await remediable('customerProfile', () =>
      act.ensureBundle({
        kind: 'customer-profile',
        workflowId,
        policySid: STARTER_CUSTOMER_PROFILE_POLICY_SID,
        email: request.soleProprietor.email,
      }),
    );
    step('customerProfile', 'in-progress', { sid: bundle.sid, twilioStatus: bundle.status });
    upsertSearchAttributes([{ key: A2P_CUSTOMER_PROFILE_SID, value: bundle.sid }]);
    await remediable('customerProfile', async () => {
      const endUser = await act.ensureStarterProfileEndUser({ workflowId, info: request.soleProprietor });
      const address = await act.ensureAddress({ workflowId, address: request.address });
      const document = await act.ensureAddressDocument({ workflowId, addressSid: address.sid });
      sids.starterEndUser = endUser.sid;
      sids.address = address.sid;
      // 1.6: end-user, address document and the ISV's primary customer profile.
      await act.ensureAssignments({
        kind: 'customer-profile',
        bundleSid: bundle.sid,
        objectSids: [endUser.sid, document.sid],
        includePrimaryProfile: true,
      });
    });
    await evaluateAndSubmit(
      'customer-profile',
      'customerProfile',
      bundle.sid,
      STARTER_CUSTOMER_PROFILE_POLICY_SID,
    );
    return bundle.sid;
  }

  async function trustBundle(profileSid: string): Promise<string> {
    enter('trust-bundle', 'Creating the Sole Proprietor A2P trust bundle');
    const bundle = await remediable('trustBundle', () =>
      act.ensureBundle({
        kind: 'trust-product',
        workflowId,
        policySid: SOLE_PROPRIETOR_TRUST_POLICY_SID,
        email: request.soleProprietor.email,
      }),
    );
    step('trustBundle', 'in-progress', { sid: bundle.sid, twilioStatus: bundle.status });
    upsertSearchAttributes([{ key: A2P_TRUST_PRODUCT_SID, value: bundle.sid }]);
    await remediable('trustBundle', async () => {
      const endUser = await act.ensureSoleProprietorEndUser({ workflowId, info: request.soleProprietor });
      sids.soleProprietorEndUser = endUser.sid;
      // 2.4: the sole_proprietor_information end-user and the starter customer profile.
      await act.ensureAssignments({
        kind: 'trust-product',
        bundleSid: bundle.sid,
        objectSids: [endUser.sid, profileSid],
      });
    });
    await evaluateAndSubmit('trust-product', 'trustBundle', bundle.sid, SOLE_PROPRIETOR_TRUST_POLICY_SID);
    return bundle.sid;
  }

  /**
   * 1.7–1.8 / 2.5–2.6: evaluate, submit, then settle 30 s. A noncompliant evaluation or a
   * twilio-rejected callback records Twilio's reasons and waits for corrected data, then
   * re-evaluates and resubmits. The bundle then stays in review until the brand is verified, so we
   * never wait for twilio-approved.
   */
  async function evaluateAndSubmit(kind: BundleKind, name: StepName, bundleSid: string, policySid: string) {
    for (;;) {
      const evaluation = await act.evaluateBundle({ kind, bundleSid, policySid });
      if (evaluation.status === 'noncompliant') {
        issue(name, 'The evaluation found the bundle noncompliant', evaluation.failures);
        await awaitCorrection(name, 'Correct the fields the evaluation names');
        continue;
      }
      const submitted = await remediable(name, () => act.submitBundle({ kind, bundleSid }));
      step(name, 'waiting', { twilioStatus: submitted.status });
      bundleStatus[kind] = { status: submitted.status };
      events.reset(bundleSid);
      const rejected = () => bundleStatus[kind]?.status === 'twilio-rejected';
      if (
        (await settle(timings.settleDelayMs, rejected, `settle after submitting the ${kind}`)) === 'rejected'
      ) {
        issue(name, `Twilio rejected the ${kind}: ${bundleStatus[kind]?.failureReason ?? 'no reason given'}`);
        await awaitCorrection(name, 'Correct the data Twilio rejected (email, address or name)');
        continue;
      }
      step(name, 'done');
      return;
    }
  }

  async function brand(customerProfileSid: string, trustProductSid: string): Promise<string> {
    enter('brand', 'Registering the Sole Proprietor brand');
    const created = await remediable('brand', () =>
      brandSubmission.ensureBrand({ customerProfileSid, trustProductSid, mock: request.mock ?? false }),
    );
    const brandRegisteredAt = Date.now();
    step('brand', 'waiting', { sid: created.sid, twilioStatus: created.status });
    upsertSearchAttributes([{ key: A2P_BRAND_SID, value: created.sid }]);
    if (created.created) fee('brand-registration', created.sid);
    recordBrand(created);

    // 000: wait 30 s after brand submission before going on.
    await settle(
      timings.settleDelayMs,
      () => progress.brand.status === 'FAILED',
      'settle after submitting the brand',
    );

    for (;;) {
      await awaitBrand(
        created.sid,
        () => ['APPROVED', 'FAILED', 'SUSPENDED'].includes(progress.brand.status ?? ''),
        'brand review',
      );
      if (progress.brand.status === 'SUSPENDED') {
        throw ApplicationFailure.create({
          type: REGISTRATION_FAILED,
          nonRetryable: true,
          message: 'The brand was suspended; only Twilio support can lift a suspension.',
        });
      }
      if (progress.brand.status === 'FAILED') {
        await awaitCorrection(
          'brand',
          'Correct the brand data Twilio rejected; the brand is then resubmitted',
        );
        const resubmitted = await remediable('brand', () =>
          brandSubmission.resubmitBrand({ brandSid: created.sid }),
        );
        if (resubmitted.resubmitted) {
          fee('brand-resubmission', created.sid);
          progress.brand.resubmissions += 1;
        }
        recordBrand(resubmitted);
        step('brand', 'waiting');
        await settle(
          timings.settleDelayMs,
          () => progress.brand.status === 'FAILED',
          'settle after resubmitting the brand',
        );
        continue;
      }
      break;
    }
    await verifyIdentity(created.sid, brandRegisteredAt);
    step('brand', 'done');
    return created.sid;
  }

  /**
   * 3 / 3.2: an approved Sole Proprietor brand is verified when the customer answers the OTP
   * Twilio sends to their mobile number. An OTP is valid 24 hours: while unverified the workflow
   * re-sends one every interval, and at once on a `resendOtp` signal. 2.3: "the OTP verification
   * must be completed within 30 days of Brand registration"; after that the registration ends as
   * otp-expired.
   */
  async function verifyIdentity(brandSid: string, brandRegisteredAt: number) {
    enter('brand-verification', 'Waiting for the customer to answer the OTP sent to their mobile number');
    const verified = () => progress.brand.identityStatus === 'VERIFIED';
    progress.brand.otpSends = Math.max(progress.brand.otpSends, 1); // Twilio sends the first OTP itself.
    progress.brand.lastOtpSentAt ??= now();
    let lastSent = Date.parse(progress.brand.lastOtpSentAt);
    let lastPolled = Date.now();
    while (!verified()) {
      const t = Date.now();
      const deadline = brandRegisteredAt + timings.otpDeadlineMs;
      if (t >= deadline) {
        throw new OtpExpired(
          `The customer did not answer the OTP within ${Math.round(timings.otpDeadlineMs / 86_400_000)} days. ` +
            'Confirm the mobile number with them, then start a new registration (a brand may use a mobile number at most 3 times).',
        );
      }
      const nextResend = lastSent + timings.otpResendIntervalMs;
      const nextPoll = lastPolled + timings.pollIntervalMs;
      const wake = Math.min(deadline, nextResend, nextPoll);
      await condition(
        () => verified() || otpResendRequested || progress.brand.status === 'FAILED',
        Math.max(wake - t, 1),
        {
          summary: 'await OTP answer',
        },
      );
      if (verified()) break;
      if (progress.brand.status === 'FAILED') {
        throw ApplicationFailure.create({
          type: REGISTRATION_FAILED,
          nonRetryable: true,
          message: 'The brand failed during identity verification.',
        });
      }
      if (otpResendRequested || Date.now() >= nextResend) {
        otpResendRequested = false;
        await otp.resendBrandOtp({ brandSid });
        lastSent = Date.now();
        progress.brand.otpSends += 1;
        progress.brand.lastOtpSentAt = now();
        touch();
        continue;
      }
      if (Date.now() >= nextPoll) {
        recordBrand(await act.fetchBrand({ brandSid }));
        lastPolled = Date.now();
      }
    }
  }

  /** Waits until `decided()`, fetching the brand every poll interval in case a callback was lost. */
  async function awaitBrand(brandSid: string, decided: () => boolean, what: string) {
    waiting(what);
    while (!decided()) {
      if (await condition(decided, timings.pollIntervalMs, { summary: `await ${what}` })) break;
      recordBrand(await act.fetchBrand({ brandSid }));
    }
  }

  async function messagingService(): Promise<string> {
    enter('messaging-service', 'Preparing the Messaging Service');
    const service = await remediable('messagingService', () =>
      act.ensureMessagingService({ workflowId, existingSid: request.messagingServiceSid }),
    );
    sids.createdMessagingService = service.created || sids.createdMessagingService;
    step('messagingService', 'done', { sid: service.sid });
    upsertSearchAttributes([{ key: A2P_MESSAGING_SERVICE_SID, value: service.sid }]);
    return service.sid;
  }

  /**
   * 000 step 5: each submission is a child workflow that waits for VERIFIED or FAILED. A FAILED
   * campaign is fixed with corrected data, deleted (its own child), and after 5 s recreated.
   */
  async function campaign(messagingServiceSid: string, brandSid: string) {
    enter('campaign', 'Registering the campaign');
    for (;;) {
      progress.campaign.attempt += 1;
      const attempt = progress.campaign.attempt;
      campaignChild = await startChild(campaignRegistration, {
        workflowId: campaignChildWorkflowId(request.customerId, attempt),
        args: [
          {
            messagingServiceSid,
            brandSid,
            campaign: request.campaign,
            pollIntervalMs: timings.pollIntervalMs,
          },
        ],
        staticSummary: `Campaign submission #${attempt}`,
      });
      step('campaign', 'waiting');
      waiting('campaign review');
      let result: CampaignRegistrationResult;
      try {
        result = await campaignChild.result();
      } catch (err) {
        if (!(err instanceof ChildWorkflowFailure) || !isPermanent(err.cause)) throw err;
        issue('campaign', failureMessage(err.cause));
        await awaitCorrection('campaign', 'Correct the campaign data Twilio refused');
        continue;
      } finally {
        campaignChild = undefined;
      }
      if (result.submitted) fee('campaign-vetting', result.sid);
      step('campaign', result.status === 'VERIFIED' ? 'done' : 'failed', {
        sid: result.sid,
        twilioStatus: result.status,
      });
      progress.campaign.status = result.status;
      upsertSearchAttributes([
        { key: A2P_CAMPAIGN_SID, value: result.sid },
        { key: A2P_CAMPAIGN_STATUS, value: result.status },
      ]);
      if (result.status === 'VERIFIED') return;

      issue('campaign', 'The campaign failed review', result.errors);
      await awaitCorrection(
        'campaign',
        'Correct the campaign (message flow, opt-in, samples) as Twilio asks',
      );
      await CancellationScope.nonCancellable(() =>
        startChild(campaignDeletion, {
          workflowId: campaignDeletionWorkflowId(request.customerId, attempt),
          args: [{ messagingServiceSid }],
          staticSummary: `Delete failed campaign #${attempt}`,
        }).then((h) => h.result()),
      );
      // Resubmitting right after a delete fails; wait the documented 5 s first.
      await sleep(CAMPAIGN_RECREATE_DELAY_MS, { summary: 'wait before recreating the campaign' });
    }
  }

  async function phoneNumber(messagingServiceSid: string) {
    enter('phone-number', 'Adding the phone number to the Messaging Service');
    // 000 step 6; a Sole Proprietor campaign sends from exactly one number.
    await remediable('phoneNumber', () =>
      act.ensurePhoneNumberInService({ messagingServiceSid, phoneNumberSid: request.phoneNumberSid }),
    );
    step('phoneNumber', 'done', { sid: request.phoneNumberSid });
  }

  // ---- Remediation.

  /**
   * Runs a step; when Twilio refuses it permanently (a 4xx), records Twilio's answer, waits for
   * corrected data and runs the step again.
   */
  async function remediable<T>(name: StepName, run: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof ActivityFailure) || !isPermanent(err.cause)) throw err;
        issue(name, failureMessage(err.cause));
        await awaitCorrection(name, 'Correct the data Twilio refused');
      }
    }
  }

  async function awaitCorrection(name: StepName, guidance: string) {
    const resumeTo = progress.phase;
    step(name, 'needs-correction');
    progress.phase = 'needs-correction';
    progress.guidance = `${guidance}: submit a correction (a2p correct ${request.customerId} <file.json>).`;
    waiting('corrected registration data');
    phaseAttribute();
    for (;;) {
      await condition(() => pendingCorrection !== undefined);
      const correction = pendingCorrection as RegistrationCorrection;
      pendingCorrection = undefined;
      request = applyCorrection(request, correction);
      try {
        await applyCorrectionToTwilio(correction);
        break;
      } catch (err) {
        // Twilio refused the corrected data itself (e.g. an address it cannot validate): say so
        // and keep waiting for a better correction.
        if (!(err instanceof ActivityFailure) || !isPermanent(err.cause)) throw err;
        issue(name, failureMessage(err.cause));
      }
    }
    progress.guidance = undefined;
    step(name, 'in-progress');
    enter(resumeTo, `Correction received; resuming ${resumeTo}`);
  }

  /** Updates the Trust Hub objects whose data changed; the campaign picks its data up on resubmission. */
  async function applyCorrectionToTwilio(correction: RegistrationCorrection) {
    const sp = correction.soleProprietor ?? {};
    const info = request.soleProprietor;
    if (sids.starterEndUser && (sp.firstName || sp.lastName || sp.email || sp.phoneNumber)) {
      await act.updateEndUser({
        sid: sids.starterEndUser,
        type: 'starter_customer_profile_information',
        info,
      });
    }
    if (sids.soleProprietorEndUser && (sp.brandName || sp.mobilePhoneNumber || sp.vertical)) {
      await act.updateEndUser({ sid: sids.soleProprietorEndUser, type: 'sole_proprietor_information', info });
    }
    if (sp.email) {
      for (const [kind, name] of [
        ['customer-profile', 'customerProfile'],
        ['trust-product', 'trustBundle'],
      ] as const) {
        const sid = progress.steps[name].sid;
        if (sid) await act.updateBundleEmail({ kind, sid, email: info.email });
      }
    }
    if (sids.address && correction.address)
      await act.updateAddress({ sid: sids.address, address: request.address });
  }

  // ---- Cancellation: remove what can be removed, record what remains.

  async function cleanUpAfterCancel() {
    enter('cancelling', 'Cancelled: removing what can be removed');
    const service = progress.steps.messagingService.sid;
    if (service) {
      if (progress.steps.phoneNumber.status === 'done') {
        await act.removePhoneNumberFromService({
          messagingServiceSid: service,
          phoneNumberSid: request.phoneNumberSid,
        });
        step('phoneNumber', 'removed');
      }
      if (progress.steps.campaign.sid || progress.campaign.attempt > 0) {
        await act.deleteCampaign({ messagingServiceSid: service });
        step('campaign', 'removed');
      }
      if (sids.createdMessagingService) {
        await act.deleteMessagingService({ sid: service });
        step('messagingService', 'removed');
      }
    }
    const remaining = (['customerProfile', 'trustBundle', 'brand'] as const).filter(
      (s) => progress.steps[s].sid,
    );
    finish(
      'cancelled',
      'cancelled',
      remaining.length
        ? `Cancelled. Still at Twilio (not removable by this service): ${remaining.map((s) => `${s} ${progress.steps[s].sid}`).join(', ')}.`
        : 'Cancelled before anything was created at Twilio.',
    );
  }

  // ---- State helpers.

  function bundleKindOf(sid: string): BundleKind | undefined {
    if (sid === progress.steps.customerProfile.sid) return 'customer-profile';
    if (sid === progress.steps.trustBundle.sid) return 'trust-product';
    return undefined;
  }

  function recordBrand(state: {
    status?: string;
    identityStatus?: string;
    failureReason?: string;
    errors?: string[];
  }) {
    const before = progress.brand.status;
    if (state.status) progress.brand.status = state.status.toUpperCase();
    if (state.identityStatus) progress.brand.identityStatus = state.identityStatus.toUpperCase();
    step('brand', undefined, { twilioStatus: progress.brand.status });
    if (progress.brand.status === 'FAILED' && before !== 'FAILED') {
      issue('brand', `The brand failed: ${state.failureReason ?? 'no reason given'}`, state.errors);
    }
    if (progress.brand.status)
      upsertSearchAttributes([{ key: A2P_BRAND_STATUS, value: progress.brand.status }]);
  }

  function enter(phase: RegistrationPhase, details: string) {
    progress.phase = phase;
    progress.waitingFor = undefined;
    phaseAttribute();
    setCurrentDetails(details);
    touch();
  }

  function waiting(what: string) {
    progress.waitingFor = { what, since: now() };
    setCurrentDetails(`Waiting for ${what} since ${progress.waitingFor.since}`);
    touch();
  }

  function phaseAttribute() {
    upsertSearchAttributes([{ key: A2P_PHASE, value: progress.phase }]);
  }

  function step(name: StepName, status?: StepStatus, extra: { sid?: string; twilioStatus?: string } = {}) {
    const s = progress.steps[name];
    if (status) s.status = status;
    if (extra.sid) s.sid = extra.sid;
    if (extra.twilioStatus) s.twilioStatus = extra.twilioStatus;
    s.updatedAt = now();
    touch();
  }

  function issue(name: StepName, message: string, fields?: string[]) {
    progress.issues.push({ step: name, message, ...(fields?.length ? { fields } : {}), at: now() });
    if (progress.issues.length > 20) progress.issues.shift();
    touch();
  }

  function fee(kind: FeeKind, sid: string) {
    progress.fees.push({ kind, sid, at: now() });
  }

  function finish(
    phase: RegistrationPhase,
    outcome: NonNullable<RegistrationProgress['outcome']>,
    guidance: string,
  ) {
    progress.outcome = outcome;
    progress.guidance = guidance;
    enter(phase, guidance);
  }

  function touch() {
    progress.updatedAt = now();
  }
}

class OtpExpired extends Error {}

function isPermanent(cause: unknown): cause is ApplicationFailure {
  return cause instanceof ApplicationFailure && cause.type === TWILIO_PERMANENT_ERROR;
}

function failureMessage(failure: ApplicationFailure): string {
  const [details] = (failure.details ?? []) as { code?: number; message?: string; moreInfo?: string }[];
  return details?.message
    ? `Twilio ${details.code ?? ''} ${details.message}${details.moreInfo ? ` (${details.moreInfo})` : ''}`.replace(
        /\s+/g,
        ' ',
      )
    : failure.message;
}

function initialProgress(customerId: string, at: string): RegistrationProgress {
  const pending = () => ({ status: 'pending' as const });
  return {
    customerId,
    phase: 'customer-profile',
    steps: {
      customerProfile: pending(),
      trustBundle: pending(),
      brand: pending(),
      messagingService: pending(),
      campaign: pending(),
      phoneNumber: pending(),
    },
    brand: { otpSends: 0, resubmissions: 0 },
    campaign: { attempt: 0 },
    issues: [],
    fees: [],
    startedAt: at,
    updatedAt: at,
  };
}
