import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { RegistrationCorrection, RegistrationRequest } from '../../domain/registration';
import { addressForTwilio, isStandard, standardAddressForTwilio } from '../../domain/requests';
import type {
  AnyRegistrationRequest,
  StandardCorrection,
  StandardRegistrationRequest,
} from '../../domain/standard-registration';
import type { StepName } from '../../shared';
import { TWILIO_PERMANENT_ERROR } from '../../twilio/errors-shared';
import {
  businessAttributes,
  messagingProfileAttributes,
  representativeAttributes,
} from '../../domain/standard-attributes';
import { twilioCall } from '../activity-options';
import type { AnyRegistration, Registration } from './context';
import { soleProprietorSchemas, standardSchemas } from './schemas';
import { correctionWait } from './texts';
import { waitUntil } from './waiting';

const act = proxyActivities<Activities>(twilioCall);

/**
 * Twilio's permanent (4xx) refusal somewhere in a failure's cause chain: an activity's, or an
 * activity's inside a child workflow's (ChildWorkflowFailure → ActivityFailure → ApplicationFailure).
 */
export function permanentTwilioError(err: unknown): ApplicationFailure | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === TWILIO_PERMANENT_ERROR) return e;
  }
  return undefined;
}

/** Twilio's code of a permanent error, when it gave one. */
export function twilioErrorCode(failure: ApplicationFailure): number | undefined {
  const [details] = (failure.details ?? []) as { code?: number }[];
  return details?.code;
}

export function failureMessage(failure: ApplicationFailure): string {
  const [details] = (failure.details ?? []) as { code?: number; message?: string; moreInfo?: string }[];
  return details?.message
    ? `Twilio ${details.code ?? ''} ${details.message}${details.moreInfo ? ` (${details.moreInfo})` : ''}`.replace(
        /\s+/g,
        ' ',
      )
    : failure.message;
}

/**
 * Runs a step; when Twilio refuses it permanently (a 4xx, also from inside a child workflow),
 * records Twilio's answer, waits for corrected data and runs the step again.
 */
export async function remediable<T>(reg: AnyRegistration, name: StepName, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (err) {
      const refused = permanentTwilioError(err);
      if (!refused) throw err;
      reg.issue(name, failureMessage(refused));
      await awaitCorrection(reg, name, 'Correct the data Twilio refused');
    }
  }
}

/**
 * Asks for corrected data and waits for it (the `submitCorrection` update), applies it to the
 * request and to the Trust Hub objects it touches, and goes back to the phase it interrupted.
 */
export async function awaitCorrection(reg: AnyRegistration, name: StepName, guidance: string): Promise<void> {
  const { progress } = reg;
  const resumeTo = progress.phase === 'needs-correction' ? undefined : progress.phase;
  reg.step(name, 'needs-correction');
  reg.enter('needs-correction', `Waiting for corrected registration data: ${guidance}`);
  const ask = () => {
    const wait = correctionWait(progress, name, guidance);
    progress.guidance = `${wait.next}.`;
    reg.waiting('corrected registration data', wait);
  };
  ask();
  for (;;) {
    await waitUntil(reg, () => reg.state.pendingCorrection !== undefined, 'await corrected data');
    const correction = reg.state.pendingCorrection;
    reg.state.pendingCorrection = undefined;
    try {
      await applyAnyCorrection(reg, correction as RegistrationCorrection | StandardCorrection);
      break;
    } catch (err) {
      // Twilio refused the corrected data itself (e.g. an address it cannot validate): say so
      // and keep waiting for a better correction.
      const refused = permanentTwilioError(err);
      if (!refused) throw err;
      reg.issue(name, failureMessage(refused));
      ask();
    }
  }
  progress.guidance = undefined;
  reg.step(name, 'in-progress');
  const phase = resumeTo ?? phaseOf(name);
  reg.enter(phase, `Correction received; resuming ${phase}`);
}

/** Applies a correction to the request and to the Trust Hub objects it touches, for either kind. */
async function applyAnyCorrection(
  reg: AnyRegistration,
  correction: RegistrationCorrection | StandardCorrection,
) {
  const before = reg.request;
  if (isStandard(before)) {
    const standard = reg as Registration<StandardRegistrationRequest>;
    standard.state.request = standardSchemas().applyStandardCorrection(before, correction);
    await applyStandardCorrectionToTwilio(standard, correction);
    return;
  }
  const sp = reg as Registration;
  sp.state.request = soleProprietorSchemas().applyCorrection(before, correction as RegistrationCorrection);
  await applyCorrectionToTwilio(sp, correction as RegistrationCorrection, before);
}

/** The phase a step runs in, to resume when a new run finds itself waiting for a correction. */
function phaseOf(name: StepName) {
  return (
    {
      customerProfile: 'customer-profile',
      trustBundle: 'trust-bundle',
      brand: 'brand',
      messagingService: 'messaging-service',
      campaign: 'campaign',
      phoneNumber: 'phone-number',
    } as const
  )[name];
}

/** Validates a correction against the current request; throws with one line per bad field. */
export function validateCorrection(request: AnyRegistrationRequest, correction: unknown): void {
  // Validated merged with the current request: a correction can break a rule that spans fields
  // (a Canadian postal code on a US address), which the correction alone cannot show.
  if (isStandard(request)) {
    const parsed = standardSchemas().parseStandardCorrection(correction);
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    const merged = standardSchemas().mergeStandardCorrection(request, parsed.value);
    if (!merged.ok) throw new Error(merged.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    return;
  }
  const parsed = soleProprietorSchemas().parseRegistrationCorrection(correction);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  const merged = soleProprietorSchemas().mergeCorrection(request, parsed.value);
  if (!merged.ok) throw new Error(merged.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
}

/** Updates the Trust Hub objects whose data changed; the campaign picks its data up on resubmission. */
async function applyCorrectionToTwilio(
  reg: Registration,
  correction: RegistrationCorrection,
  before: RegistrationRequest,
) {
  const { sids, request, progress } = { ...reg.state, progress: reg.progress };
  const sp = correction.soleProprietor ?? {};
  const info = request.soleProprietor;
  if (sids.starterEndUser && (sp.firstName || sp.lastName || sp.email || sp.phoneNumber)) {
    await act.updateEndUser({ sid: sids.starterEndUser, type: 'starter_customer_profile_information', info });
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
  if (!sids.address || !correction.address) return;
  const country = request.address.isoCountry;
  // Twilio's Address update takes no IsoCountry: a new country is a new Address and document.
  if (country !== before.address.isoCountry && patched(ADDRESS_COUNTRY_PATCH)) {
    const customerProfileSid = progress.steps.customerProfile.sid as string;
    const { workflowId } = reg;
    const address = await act.ensureAddress({
      workflowId,
      address: addressForTwilio(request),
      country,
      mayExist: reg.mayExist(`address-${country}`),
    });
    const document = await act.ensureAddressDocument({
      workflowId,
      addressSid: address.sid,
      country,
      mayExist: reg.mayExist(`address-document-${country}`),
    });
    await act.replaceAddressDocument({ customerProfileSid, documentSid: document.sid });
    sids.address = address.sid;
    return;
  }
  await act.updateAddress({ sid: sids.address, address: addressForTwilio(request) });
}

/** Registrations that took a country correction before this patch updated the old Address. */
const ADDRESS_COUNTRY_PATCH = 'address-country-is-a-new-address';

/**
 * Updates a Standard registration's Trust Hub objects whose data changed: the business and
 * representatives' end-users, the messaging profile's end-user, the address. Campaigns pick
 * their data up on resubmission.
 */
async function applyStandardCorrectionToTwilio(
  reg: Registration<StandardRegistrationRequest>,
  correction: StandardCorrection,
) {
  const { sids } = reg.state;
  const { request } = reg;
  const accountSid = reg.accountSid;
  if (sids.businessEndUser && correction.business)
    await act.updateStandardEndUser({
      sid: sids.businessEndUser,
      attributes: businessAttributes(request.business),
      accountSid,
    });
  if (sids.representativeEndUsers && correction.authorizedRepresentatives)
    for (const [i, sid] of sids.representativeEndUsers.entries()) {
      const representative = request.authorizedRepresentatives[i];
      if (representative)
        await act.updateStandardEndUser({
          sid,
          attributes: representativeAttributes(representative),
          accountSid,
        });
    }
  if (sids.messagingProfileEndUser && correction.messagingProfile)
    await act.updateStandardEndUser({
      sid: sids.messagingProfileEndUser,
      attributes: messagingProfileAttributes(request.messagingProfile),
      accountSid,
    });
  if (sids.address && correction.address)
    await act.updateAddress({ sid: sids.address, address: standardAddressForTwilio(request), accountSid });
}
