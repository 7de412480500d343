import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { reviewStandardCampaign, standardAddressForTwilio } from '../../domain/requests';
import type { StandardRegistrationRequest } from '../../domain/standard-registration';
import {
  A2P_MESSAGING_SERVICE_SID,
  A2P_MESSAGING_SERVICE_SIDS,
  campaignChildWorkflowId,
  campaignDeletionWorkflowId,
  type StandardCampaignProgress,
} from '../../shared';
import { twilioCall } from '../activity-options';
import {
  awaitApproval,
  brandSuspended,
  endIfBrandSuspended,
  fetchBrand,
  register,
  settleBrand,
} from './brand';
import { type CampaignSlot, registerCampaign } from './campaign';
import { type Registration, RegistrationEnded } from './context';
import { applyEarlyEvents } from './events';
import { awaitCorrection, remediable } from './remediation';
import { doneSid, ensureBundle, evaluateAndSubmit, STANDARD_POLICY_OF } from './trust-hub';
import { waitUntil } from './waiting';

const act = proxyActivities<Activities>(twilioCall);

const DAY_MS = 86_400_000;

/** A Standard or Low-Volume Standard registration. */
export type StandardRegistration = Registration<StandardRegistrationRequest>;

/**
 * Twilio recommends one subaccount per ISV customer: the customer's profile, brand, services and
 * numbers live there, with an Event Streams sink and subscription of its own for the A2P events.
 * The subaccount is found by its friendly name (the workflow id) or created; the numbers the
 * request names are moved from the main account into it.
 */
export async function subaccount(reg: StandardRegistration): Promise<void> {
  const standard = reg.progress.standard;
  if (!reg.request.subaccount || !standard || standard.eventStream) return;
  reg.enter('subaccount', "Creating the customer's subaccount and its Event Streams subscription");
  if (!standard.subaccountSid) {
    const { accountSid } = await act.ensureSubaccount({ friendlyName: reg.workflowId });
    standard.subaccountSid = accountSid;
    reg.touch();
  }
  const toAccountSid = standard.subaccountSid;
  for (const number of reg.request.campaigns.flatMap((c) => c.phoneNumberSids))
    await act.ensureNumberInAccount({
      toAccountSid,
      phoneNumberSid: number,
      mayExist: reg.mayExist(`move-${number}`),
    });
  standard.eventStream = await act.ensureEventStream({
    workflowId: reg.workflowId,
    accountSid: toAccountSid,
  });
  reg.touch();
}

/**
 * Twilio's ISV guide for Standard brands, step 1: the Secondary Customer Profile. Its end-users
 * are the business information and the authorized representatives (one or two), with the
 * address's `customer_profile_address` document and the ISV's primary profile assigned; then it is
 * evaluated, submitted and settled like the starter profile.
 */
export async function secondaryProfile(reg: StandardRegistration): Promise<string> {
  const done = doneSid(reg, 'customerProfile');
  if (done) return done;
  reg.enter('customer-profile', 'Creating the secondary customer profile');
  const policySid = STANDARD_POLICY_OF['customer-profile'];
  const sid = await ensureBundle(reg, 'customer-profile', policySid);
  const accountSid = reg.accountSid;
  await remediable(reg, 'customerProfile', async () => {
    const { request, workflowId } = reg;
    const business = await act.ensureBusinessEndUser({
      workflowId,
      business: request.business,
      mayExist: reg.mayExist('business-end-user'),
      accountSid,
    });
    const representatives: string[] = [];
    for (const [i, representative] of request.authorizedRepresentatives.entries()) {
      const index = (i + 1) as 1 | 2;
      const found = await act.ensureRepresentativeEndUser({
        workflowId,
        index,
        representative,
        mayExist: reg.mayExist(`representative-${index}`),
        accountSid,
      });
      representatives.push(found.sid);
    }
    const address = await act.ensureAddress({
      workflowId,
      address: standardAddressForTwilio(request),
      mayExist: reg.mayExist('address'),
      accountSid,
    });
    const document = await act.ensureAddressDocument({
      workflowId,
      addressSid: address.sid,
      mayExist: reg.mayExist('address-document'),
      accountSid,
    });
    Object.assign(reg.state.sids, {
      businessEndUser: business.sid,
      representativeEndUsers: representatives,
      address: address.sid,
    });
    await act.ensureAssignments({
      kind: 'customer-profile',
      bundleSid: sid,
      objectSids: [business.sid, ...representatives, document.sid],
      includePrimaryProfile: true,
      mayExist: reg.mayExist('customer-profile-assignments'),
      accountSid,
    });
  });
  await evaluateAndSubmit(reg, 'customer-profile', sid, policySid);
  return sid;
}

/**
 * Step 2: the A2P Messaging Profile trust product, holding the `us_a2p_messaging_profile_information`
 * end-user (company type, stock listing, brand contact email) and the secondary profile.
 */
export async function messagingProfile(reg: StandardRegistration, profileSid: string): Promise<string> {
  const done = doneSid(reg, 'trustBundle');
  if (done) return done;
  reg.enter('trust-bundle', 'Creating the A2P messaging profile');
  const policySid = STANDARD_POLICY_OF['trust-product'];
  const sid = await ensureBundle(reg, 'trust-product', policySid);
  const accountSid = reg.accountSid;
  await remediable(reg, 'trustBundle', async () => {
    const endUser = await act.ensureMessagingProfileEndUser({
      workflowId: reg.workflowId,
      profile: reg.request.messagingProfile,
      mayExist: reg.mayExist('messaging-profile-end-user'),
      accountSid,
    });
    reg.state.sids.messagingProfileEndUser = endUser.sid;
    await act.ensureAssignments({
      kind: 'trust-product',
      bundleSid: sid,
      objectSids: [endUser.sid, profileSid],
      mayExist: reg.mayExist('trust-product-assignments'),
      accountSid,
    });
  });
  await evaluateAndSubmit(reg, 'trust-product', sid, policySid);
  return sid;
}

/**
 * Step 3: the STANDARD brand (Low-Volume Standard: with skipAutomaticSecVet). It waits for the
 * brand's review (a FAILED brand is corrected and resubmitted, as for a Sole Proprietor), records
 * TCR's score and feedback, and for a public company waits for the brand contact to answer TCR's
 * Authentication+ email, which verifies the brand's identity.
 */
export async function standardBrand(
  reg: StandardRegistration,
  profileSid: string,
  trustProductSid: string,
): Promise<string> {
  const step = reg.progress.steps.brand;
  if (step.status === 'done' && step.sid) return step.sid;
  reg.enter(
    'brand',
    `Registering the ${reg.request.brandType === 'STANDARD' ? 'Standard' : 'Low-Volume Standard'} brand`,
  );
  const sid = step.sid ?? (await register(reg, profileSid, trustProductSid));
  await settleBrand(reg, 'settle after submitting the brand');
  do await awaitApproval(reg, sid);
  while (!(await authenticate(reg, sid)));
  // The score and feedback (secondary vetting's, once done) come with the brand resource.
  await fetchBrand(reg, sid);
  reg.step('brand', 'done');
  return sid;
}

const verifiedIdentity = (identity?: string) => identity === 'VERIFIED' || identity === 'VETTED_VERIFIED';

/**
 * A public for-profit company's brand is verified by TCR's Authentication+: an email to the
 * messaging profile's brand_contact_email that the contact must answer (events `email-2fa-*`).
 * The wait is shown like the OTP's, and ends as brand-authentication-expired after the
 * verification deadline. True once verified (or when no email is needed); false when the brand
 * FAILED meanwhile.
 */
async function authenticate(reg: StandardRegistration, brandSid: string): Promise<boolean> {
  const { brand, standard } = reg.progress;
  if (reg.request.messagingProfile.companyType !== 'public' || !standard) return true;
  const email = reg.request.messagingProfile.brandContactEmail;
  // The email was answered: TCR bills the Authentication+ step once it completes.
  const verified = () => {
    const auth = (standard.authentication ??= { email, since: reg.now() });
    if (!auth.verifiedAt) {
      auth.verifiedAt = reg.now();
      reg.fee('authentication-plus', brandSid);
    }
    return true;
  };
  if (verifiedIdentity(brand.identityStatus)) return verified();
  reg.enter(
    'brand-verification',
    "Waiting for the brand contact to answer TCR's Authentication+ email (sent to the messaging profile's brand contact email)",
  );
  standard.authentication ??= { email, since: reg.now() };
  const deadline = Date.parse(standard.authentication.since) + reg.timings.otpDeadlineMs;
  reg.waiting('the brand contact to answer the Authentication+ email', {
    why: "TCR emailed the brand contact to confirm the public company's brand (Authentication+)",
    next: 'Ask the brand contact to open the email and follow its link; nothing else is needed here',
  });
  const over = () =>
    verifiedIdentity(brand.identityStatus) || brand.status === 'FAILED' || brandSuspended(reg);
  let interval = reg.timings.pollIntervalMs;
  while (!over()) {
    if (Date.now() >= deadline)
      throw new RegistrationEnded(
        'brand-authentication-expired',
        `The brand contact did not answer TCR's Authentication+ email within ${Math.round(reg.timings.otpDeadlineMs / DAY_MS)} days. ` +
          'Confirm the brand contact email with the customer, correct it, then start a new registration.',
      );
    await fetchBrand(reg, brandSid);
    if (over()) break;
    await waitUntil(
      reg,
      over,
      'await Authentication+ answer',
      Math.max(Math.min(interval, deadline - Date.now()), 1),
    );
    interval = Math.min(interval * 2, reg.timings.pollMaxIntervalMs ?? interval);
  }
  endIfBrandSuspended(reg);
  return verifiedIdentity(brand.identityStatus) ? verified() : false;
}

/**
 * Steps 4–5 for every campaign at once (reviews take days, and each campaign's is its own): its
 * Messaging Service (created, or the one named), the brand's allowed use cases checked before a
 * fee is paid, the submission loop shared with the Sole Proprietor path (pre-vetting, child
 * workflow per submission, fix-delete-5 s-recreate), then its numbers.
 */
export async function standardCampaigns(reg: StandardRegistration, brandSid: string): Promise<void> {
  const standard = reg.progress.standard;
  if (!standard || reg.progress.steps.phoneNumber.status === 'done') return;
  reg.enter('campaign', `Registering ${standard.campaigns.length} campaign(s)`);
  // Each campaign is a branch of its own: the run continues as new only when all wait at once.
  const running = standard.campaigns.filter((c) => !c.done);
  reg.branches = running.length;
  await Promise.all(
    running.map(async (c) => {
      try {
        await oneCampaign(reg, c, brandSid);
      } finally {
        reg.branches -= 1;
      }
    }),
  );
  reg.branches = 1;
  reg.step('campaign', 'done');
  reg.step('phoneNumber', 'done');
}

async function oneCampaign(reg: StandardRegistration, c: StandardCampaignProgress, brandSid: string) {
  if (c.done) return;
  const accountSid = reg.accountSid;
  const requested = () => reg.request.campaigns[c.index];
  if (!c.messagingServiceSid) {
    const service = await remediable(reg, 'messagingService', () =>
      act.ensureMessagingService({
        workflowId: reg.workflowId,
        existingSid: requested().messagingServiceSid,
        brandSid,
        nameSuffix: c.index === 0 ? undefined : `/campaign-${c.index + 1}`,
        mayExist: reg.mayExist(`messaging-service-${c.index}`),
        accountSid,
      }),
    );
    c.messagingServiceSid = service.sid;
    c.createdMessagingService = service.created;
    if (c.index === 0) {
      reg.step('messagingService', 'done', { sid: service.sid });
      reg.attribute(A2P_MESSAGING_SERVICE_SID, service.sid);
    }
    // Campaign and number events find the registration by any of its services.
    const services = reg.progress.standard?.campaigns.map((k) => k.messagingServiceSid) ?? [];
    reg.attributeList(
      A2P_MESSAGING_SERVICE_SIDS,
      services.filter((s): s is string => s !== undefined),
    );
    applyEarlyEvents(reg);
  }
  const messagingServiceSid = c.messagingServiceSid;
  if (c.status !== 'VERIFIED') {
    await checkUsecase(reg, c, messagingServiceSid, brandSid);
    await registerCampaign(reg, standardSlot(reg, c, messagingServiceSid, brandSid), (status) => {
      reg.step('campaign', status === 'VERIFIED' ? undefined : 'failed', {
        sid: c.sid,
        twilioStatus: status,
      });
    });
  }
  for (const number of requested().phoneNumberSids) {
    c.numbers[number] ??= { added: false };
    if (c.numbers[number].added) continue;
    await remediable(reg, 'phoneNumber', () =>
      act.ensurePhoneNumberInService({
        messagingServiceSid,
        phoneNumberSid: number,
        mayExist: reg.mayExist(`phone-number-${c.index}-${number}`),
        accountSid,
      }),
    );
    // Twilio then registers the number with the carriers (number-registration events).
    c.numbers[number] = {
      ...c.numbers[number],
      added: true,
      registration: c.numbers[number].registration ?? 'pending',
    };
    reg.touch();
  }
  await awaitNumberRegistrations(reg, c);
  c.done = true;
}

/**
 * Once a number joins a verified campaign's service, Twilio registers it with the carriers and
 * says how that went in Event Streams `number-registration.*` events (no REST resource shows it).
 * The campaign waits for every number's outcome, at most {@link NUMBER_REGISTRATION_WAIT_MS}: an
 * outcome still unknown then (its event lost) is left as pending, and a failed one is an issue.
 */
async function awaitNumberRegistrations(reg: StandardRegistration, c: StandardCampaignProgress) {
  const settled = () =>
    Object.values(c.numbers).every((n) => n.registration === 'successful' || n.registration === 'failed');
  if (settled()) return;
  c.numbersSince ??= reg.now();
  reg.waiting('the carriers to register the numbers', {
    why: `Twilio registers campaign ${c.index + 1}'s numbers with the carriers and reports each in Event Streams`,
    next: 'nothing to do: each number is registered within minutes to hours',
  });
  const deadline = Date.parse(c.numbersSince) + NUMBER_REGISTRATION_WAIT_MS;
  await waitUntil(reg, settled, 'await number registration', Math.max(deadline - Date.now(), 1));
}

/** How long a campaign waits for its numbers' carrier registration outcomes. */
const NUMBER_REGISTRATION_WAIT_MS = DAY_MS;

/**
 * The brand's allowed use cases (the Usecases resource, by brand): a campaign whose use case the
 * brand may not register is sent back for correction with the allowed list, before any fee. A
 * use case that needs Twilio's post-approval is reported as such.
 */
async function checkUsecase(
  reg: StandardRegistration,
  c: StandardCampaignProgress,
  messagingServiceSid: string,
  brandSid: string,
) {
  const accountSid = reg.accountSid;
  for (;;) {
    const usecase = reg.request.campaigns[c.index].usecase;
    c.usecase = usecase;
    const allowed = await act.listUsecases({ messagingServiceSid, brandSid, accountSid });
    const found = allowed.find((u) => u.code === usecase);
    if (found) {
      c.postApprovalRequired = found.postApprovalRequired || undefined;
      return;
    }
    reg.issue(
      'campaign',
      `campaigns.${c.index}.usecase: the brand may not register ${usecase}; it may use ${allowed.map((u) => u.code).join(', ') || 'none'}`,
      [`campaigns.${c.index}.usecase`],
    );
    await awaitCorrection(
      reg,
      'campaign',
      `Choose one of the brand's allowed use cases for campaign ${c.index + 1}`,
    );
  }
}

function standardSlot(
  reg: StandardRegistration,
  c: StandardCampaignProgress,
  messagingServiceSid: string,
  brandSid: string,
): CampaignSlot {
  const { customerId } = reg.request;
  // The first campaign's children keep the Sole Proprietor ids; the others are told apart by
  // number after a "/", which no customer id has, so no two registrations' ids can meet.
  const child = (attempt: number) => (c.index === 0 ? `${attempt}` : `campaign${c.index + 1}/${attempt}`);
  return {
    c,
    messagingServiceSid,
    brandSid,
    accountSid: reg.accountSid,
    eventsKey: `campaign-${c.index}`,
    attempt: () => c.attempt,
    nextAttempt: () => (c.attempt += 1),
    payload: () => {
      const {
        messagingServiceSid: _service,
        phoneNumberSids: _numbers,
        ...campaign
      } = reg.request.campaigns[c.index];
      return campaign;
    },
    review: () => reviewStandardCampaign(reg.request, c.index),
    showStep: (status, twilioStatus) => reg.step('campaign', status, { twilioStatus }),
    showStatus: () => reg.touch(),
    showWarnings: (warnings) => {
      c.warnings = warnings.length ? warnings : undefined;
    },
    showSubmitted: () => reg.touch(),
    childId: (attempt) => campaignChildWorkflowId(customerId, child(attempt)),
    deletionId: (attempt) => campaignDeletionWorkflowId(customerId, child(attempt)),
    key: (attempt) => `campaign-${c.index}-${attempt}`,
  };
}
