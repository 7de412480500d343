import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { MAX_BRAND_RESUBMISSIONS } from '../../domain/rules';
import { A2P_BRAND_SID, BRAND_SUBMISSION_TASK_QUEUE, OTP_API_TASK_QUEUE } from '../../shared';
import { twilioCall } from '../activity-options';
import { settle } from '../settle';
import { type AnyRegistration, type Registration, RegistrationEnded } from './context';
import { isStandard } from '../../domain/requests';
import { applyEarlyEvents, recordBrand } from './events';
import { refreshBundles, rejectedBundles, resubmitRejectedBundles } from './trust-hub';
import {
  awaitCorrection,
  failureMessage,
  permanentTwilioError,
  remediable,
  twilioErrorCode,
} from './remediation';
import { otpWait, reviewWait, settleWait } from './texts';
import { nextPollInterval, waitUntil, waitWithPoll } from './waiting';

const act = proxyActivities<Activities>(twilioCall);
const otp = proxyActivities<Activities>({ ...twilioCall, taskQueue: OTP_API_TASK_QUEUE });
const brandSubmission = proxyActivities<Activities>({
  ...twilioCall,
  taskQueue: BRAND_SUBMISSION_TASK_QUEUE,
});

const DAY_MS = 86_400_000;
const OTP_WAIT = 'the customer to answer the OTP';
/** 21724: "Maximum number of brand update requests reached on this brand". */
const BRAND_UPDATE_COUNT_EXCEEDED = 21724;
/** 21725: "Brand can only be updated when in FAILED state". */
const BRAND_NOT_FAILED = 21725;

/**
 * 000 step 3: register the Sole Proprietor brand, wait out its review (correcting and
 * resubmitting a FAILED brand), then wait for the customer's OTP answer. A SUSPENDED brand ends
 * the registration at any point.
 */
export async function brand(
  reg: Registration,
  customerProfileSid: string,
  trustProductSid: string,
): Promise<string> {
  const step = reg.progress.steps.brand;
  if (step.status === 'done' && step.sid) return step.sid;
  reg.enter('brand', 'Registering the Sole Proprietor brand');
  const sid = step.sid ?? (await register(reg, customerProfileSid, trustProductSid));
  await settleBrand(reg, 'settle after submitting the brand');
  do await awaitApproval(reg, sid);
  while (!(await verifyIdentity(reg, sid)));
  reg.step('brand', 'done');
  return sid;
}

export function brandSuspended(reg: AnyRegistration): boolean {
  return reg.progress.brand.status === 'SUSPENDED';
}

/** Ends the registration if Twilio suspended the brand; called after every wait. */
export function endIfBrandSuspended(reg: AnyRegistration): void {
  if (brandSuspended(reg)) {
    throw new RegistrationEnded(
      'brand-suspended',
      'Twilio suspended the brand; only Twilio Support can lift a suspension (contact them with the brand SID).',
    );
  }
}

export async function register(
  reg: AnyRegistration,
  customerProfileSid: string,
  trustProductSid: string,
): Promise<string> {
  const created = await remediable(reg, 'brand', () =>
    brandSubmission.ensureBrand({
      customerProfileSid,
      trustProductSid,
      mock: reg.request.mock ?? false,
      mayExist: reg.mayExist('brand'),
      // 001: STANDARD "for all other campaign use cases"; a Low-Volume Standard brand is one with
      // skipAutomaticSecVet ("only for registering a Low Volume Standard Brand, ...").
      ...(isStandard(reg.request)
        ? {
            brandType: 'STANDARD' as const,
            skipAutomaticSecVet: reg.request.brandType === 'LOW_VOLUME_STANDARD',
            accountSid: reg.accountSid,
          }
        : {}),
    }),
  );
  reg.step('brand', 'waiting', { sid: created.sid, twilioStatus: created.status });
  reg.attribute(A2P_BRAND_SID, created.sid);
  if (created.created) {
    reg.fee('brand-registration', created.sid);
    // 001 / reference README: a STANDARD brand without skipAutomaticSecVet is vetted ($40).
    if (isStandard(reg.request) && reg.request.brandType === 'STANDARD')
      reg.fee('secondary-vetting', created.sid);
  }
  recordBrand(reg, created);
  applyEarlyEvents(reg);
  return created.sid;
}

/** 000: wait 30 s after a brand submission before going on; a FAILED brand ends the wait early. */
export async function settleBrand(reg: AnyRegistration, summary: string) {
  if (reg.state.brand.settled) return;
  const { brand } = reg.progress;
  const until = new Date(Date.now() + reg.timings.settleDelayMs).toISOString();
  reg.waiting('the pause after submitting the brand', settleWait('brand', reg.timings.settleDelayMs, until));
  await settle(reg.timings.settleDelayMs, () => brand.status === 'FAILED' || brandSuspended(reg), summary);
  reg.state.brand.settled = true;
}

/**
 * Waits until the brand's review is over (001: APPROVED, FAILED or SUSPENDED). A FAILED brand
 * waits for corrected data and is resubmitted, at most {@link MAX_BRAND_RESUBMISSIONS} times.
 */
export async function awaitApproval(reg: AnyRegistration, brandSid: string) {
  const { brand } = reg.progress;
  for (;;) {
    if (reg.state.bundlesStale) await refreshBundles(reg);
    if (rejectedBundles(reg).length > 0) {
      await resubmitRejectedBundles(reg);
      reg.enter('brand', 'Bundles resubmitted; back to the brand');
      if (brand.status === 'FAILED') {
        if (brand.resubmissions >= MAX_BRAND_RESUBMISSIONS) throw resubmissionsUsedUp();
        await resubmit(reg, brandSid);
      }
      continue;
    }
    reg.waiting('brand review', reviewWait('brand', brandSid));
    await waitWithPoll(
      reg,
      () =>
        ['APPROVED', 'FAILED', 'SUSPENDED'].includes(brand.status ?? '') || reg.state.bundlesStale === true,
      'await brand review',
      () => fetchBrandAndBundles(reg, brandSid),
      () => undefined,
    );
    endIfBrandSuspended(reg);
    if (reg.state.bundlesStale) continue;
    if (brand.status === 'APPROVED') return;
    if (brand.resubmissions >= MAX_BRAND_RESUBMISSIONS) throw resubmissionsUsedUp();
    // A brand that failed because a bundle was rejected is fixed by fixing the bundle.
    await refreshBundles(reg);
    if (rejectedBundles(reg).length > 0) continue;
    await awaitCorrection(
      reg,
      'brand',
      'Correct the brand data Twilio rejected; the brand is then resubmitted',
    );
    await resubmit(reg, brandSid);
  }
}

/** Fetches the brand and, since Twilio may reject them until the brand is verified, the bundles. */
async function fetchBrandAndBundles(reg: AnyRegistration, brandSid: string): Promise<void> {
  await fetchBrand(reg, brandSid);
  await refreshBundles(reg);
}

/** Fetches and records the brand, unless an event arrived while the fetch was on its way (it is newer). */
export async function fetchBrand(reg: AnyRegistration, brandSid: string): Promise<void> {
  const before = reg.state.brand.events ?? 0;
  const found = await act.fetchBrand({ brandSid, accountSid: reg.accountSid });
  if ((reg.state.brand.events ?? 0) === before) recordBrand(reg, found);
}

/** 001: a FAILED brand is updated (resubmitted, a paid resubmission) once its data is corrected. */
async function resubmit(reg: AnyRegistration, brandSid: string) {
  const { brand } = reg.progress;
  try {
    const resubmitted = await remediable(reg, 'brand', async () => {
      try {
        return await brandSubmission.resubmitBrand({
          brandSid,
          accountSid: reg.accountSid,
        });
      } catch (err) {
        const refused = permanentTwilioError(err);
        if (refused && twilioErrorCode(refused) === BRAND_UPDATE_COUNT_EXCEEDED) throw resubmissionsUsedUp();
        throw err;
      }
    });
    if (resubmitted.resubmitted) {
      reg.fee('brand-resubmission', brandSid);
      brand.resubmissions += 1;
    }
    recordBrand(reg, resubmitted);
  } catch (err) {
    // 21725: the brand left FAILED meanwhile (an earlier attempt's update went through).
    const refused = permanentTwilioError(err);
    if (!refused || twilioErrorCode(refused) !== BRAND_NOT_FAILED) throw err;
    await fetchBrand(reg, brandSid);
  }
  reg.step('brand', 'waiting');
  reg.state.brand.settled = false;
  await settleBrand(reg, 'settle after resubmitting the brand');
}

function resubmissionsUsedUp(): RegistrationEnded {
  return new RegistrationEnded(
    'brand-resubmission-limit',
    `The brand failed again after ${MAX_BRAND_RESUBMISSIONS} resubmissions, the most Twilio allows without ` +
      'its Support: contact Twilio Support with the brand SID and the errors listed.',
  );
}

/**
 * 3 / 3.2: an approved Sole Proprietor brand is verified when the customer answers the OTP
 * Twilio sends to their mobile number (Twilio sends the first one itself). "The OTP is valid for
 * 24 hours": while unverified the workflow re-sends one every interval, and at once on a
 * `resendOtp` signal. 2.3: "the OTP verification must be completed within 30 days of Brand
 * registration"; after that the registration ends as otp-expired.
 *
 * True once verified; false when the brand FAILED meanwhile (it goes back to review).
 */
async function verifyIdentity(reg: Registration, brandSid: string): Promise<boolean> {
  reg.enter('brand-verification', 'Waiting for the customer to answer the OTP sent to their mobile number');
  const { brand } = reg.progress;
  const { timings } = reg;
  const verified = () => brand.identityStatus === 'VERIFIED' || brand.identityStatus === 'VETTED_VERIFIED';
  const failed = () => brand.status === 'FAILED';
  brand.otpSends = Math.max(brand.otpSends, 1);
  brand.lastOtpSentAt ??= reg.now();
  // The window opens with Twilio's first OTP, sent when the brand is approved. A Sole Proprietor
  // brand is approved minutes after registration, so this is 2.3's "30 days of Brand
  // registration", and a review that took long does not eat the customer's time to answer.
  reg.state.brand.otpWindowStartedAt ??= Date.now();
  const deadline = reg.state.brand.otpWindowStartedAt + timings.otpDeadlineMs;
  const showWait = () => reg.waiting(OTP_WAIT, otpWait(reg.progress, new Date(deadline).toISOString()));
  showWait();
  const over = () =>
    verified() ||
    failed() ||
    brandSuspended(reg) ||
    rejectedBundles(reg).length > 0 ||
    reg.state.bundlesStale === true;
  let pollInterval: number | undefined;
  let nextPoll = Date.now();
  while (!over()) {
    const now = Date.now();
    if (now >= deadline) {
      throw new RegistrationEnded(
        'otp-expired',
        `The customer did not answer the OTP within ${Math.round(timings.otpDeadlineMs / DAY_MS)} days. ` +
          'Confirm the mobile number with them, then start a new registration (a brand may use a mobile number at most 3 times).',
      );
    }
    if (now >= nextPoll) {
      // The first look is for the brand's identity status; the bundles were just answered by
      // their submission, and later polls fetch them in case a rejection's callback was lost.
      if (reg.quietTrustHubCallbacks && pollInterval === undefined) await fetchBrand(reg, brandSid);
      else await fetchBrandAndBundles(reg, brandSid);
      pollInterval = nextPollInterval(timings, pollInterval);
      nextPoll = Date.now() + pollInterval;
      continue;
    }
    const lastTry = Math.max(Date.parse(brand.lastOtpSentAt), reg.state.brand.lastOtpAttemptAt ?? 0);
    const nextResend = lastTry + timings.otpResendIntervalMs;
    if (reg.state.otpResendRequested || now >= nextResend) {
      await resendOtp(reg, brandSid);
      showWait();
      continue;
    }
    await waitUntil(
      reg,
      () => over() || reg.state.otpResendRequested,
      'await OTP answer',
      Math.max(Math.min(deadline, nextResend, nextPoll) - now, 1),
    );
  }
  endIfBrandSuspended(reg);
  return verified();
}

/**
 * 3.2: ask Twilio for a fresh OTP. Twilio refuses one for a brand that is already verified (the
 * customer answered meanwhile) or no longer approved: the brand is fetched and the wait goes on
 * with what it shows.
 */
async function resendOtp(reg: Registration, brandSid: string) {
  const { brand } = reg.progress;
  reg.state.otpResendRequested = false;
  reg.state.brand.lastOtpAttemptAt = Date.now();
  try {
    await otp.resendBrandOtp({ brandSid });
  } catch (err) {
    const refused = permanentTwilioError(err);
    if (!refused) throw err;
    await fetchBrand(reg, brandSid);
    if (brand.identityStatus !== 'VERIFIED' && brand.status === 'APPROVED')
      reg.issue('brand', failureMessage(refused));
    return;
  }
  brand.otpSends += 1;
  brand.lastOtpSentAt = reg.now();
  reg.touch();
}
