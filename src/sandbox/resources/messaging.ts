import { randomBytes } from 'node:crypto';
import { MAX_BRAND_RESUBMISSIONS } from '../engine';
import type { Api, ApiContext } from '../http';
import { newSid, type Brand, type Campaign, type MessagingService } from '../state';
import {
  HOSTS,
  type Params,
  TwilioApiError,
  invalidParam,
  isoDate,
  missingParam,
  notFound,
  pathSid,
  v1Page,
} from '../wire';

const BASE = `${HOSTS.messaging}/v1`;
const P = '/messaging/v1';

/** 000 5.1 / 002 / 003: a service's campaign lives at this fixed US A2P Compliance resource SID. */
export const US_A2P_COMPLIANCE_SID = 'QE2c6890da8086d771620e9b13fadeba0b';

/** 002: "Examples: [ 2FA, EMERGENCY, MARKETING, SOLE_PROPRIETOR...]" — the Standard use cases. */
const STANDARD_USECASES: { code: string; name: string; description: string }[] = [
  {
    code: '2FA',
    name: 'Two-Factor authentication (2FA)',
    description: 'Two-Factor authentication, one-time use password, password reset',
  },
  {
    code: 'ACCOUNT_NOTIFICATION',
    name: 'Account Notification',
    description: 'All reminders, alerts, and notifications',
  },
  {
    code: 'CUSTOMER_CARE',
    name: 'Customer Care',
    description: 'All customer care messaging, including account management and support',
  },
  {
    code: 'DELIVERY_NOTIFICATION',
    name: 'Delivery Notification',
    description: 'Information about the status of the delivery of a product or service',
  },
  {
    code: 'FRAUD_ALERT',
    name: 'Fraud Alert Messaging',
    description: 'Messaging about potential fraudulent activity',
  },
  {
    code: 'HIGHER_EDUCATION',
    name: 'Higher Education',
    description: 'Messaging created on behalf of colleges, universities and school districts',
  },
  {
    code: 'LOW_VOLUME',
    name: 'Low Volume Mixed',
    description: 'Low throughput, any combination of use-cases',
  },
  {
    code: 'MARKETING',
    name: 'Marketing',
    description: 'Any communication with marketing and/or promotional content',
  },
  {
    code: 'MIXED',
    name: 'Mixed',
    description: 'Mixed messaging reserved for specific consumer service industry',
  },
  {
    code: 'POLLING_VOTING',
    name: 'Polling and voting',
    description: 'Requesting or collecting end user feedback',
  },
  {
    code: 'PUBLIC_SERVICE_ANNOUNCEMENT',
    name: 'Public Service Announcement',
    description: 'Public service announcements',
  },
  {
    code: 'SECURITY_ALERT',
    name: 'Security Alert',
    description: 'A notification that the security of a system has been compromised',
  },
  {
    code: 'EMERGENCY',
    name: 'Emergency',
    description: 'Notification services designed to support public safety',
  },
];
const SOLE_PROPRIETOR_USECASE = {
  code: 'SOLE_PROPRIETOR',
  name: 'Sole Proprietor',
  description: 'Limited to individuals or small businesses without a Tax ID',
};

// 002 / 000 5: Twilio's default opt-out values when the caller does not manage opt-out.
const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const DEFAULT_HELP_KEYWORDS = ['HELP', 'INFO'];
const DEFAULT_OPT_IN_KEYWORDS = ['START'];
const DEFAULT_OPT_OUT_MESSAGE =
  'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.';
const DEFAULT_HELP_MESSAGE = 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.';
const DEFAULT_OPT_IN_MESSAGE = 'You are now opted-in. For help, reply HELP. To opt-out, reply STOP';

function serviceJson(ctx: ApiContext, s: MessagingService) {
  const url = `${BASE}/Services/${s.sid}`;
  const campaign = Object.values(ctx.engine.state.campaigns).find((c) => c.messagingServiceSid === s.sid);
  return {
    account_sid: ctx.engine.accountSid,
    sid: s.sid,
    friendly_name: s.friendlyName,
    date_created: isoDate(s.dateCreated),
    date_updated: isoDate(s.dateUpdated),
    inbound_request_url: s.inboundRequestUrl,
    inbound_method: 'POST',
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: s.statusCallback,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: true,
    area_code_geomatch: true,
    synchronous_validation: true,
    validity_period: 14400,
    url,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
    },
    usecase: s.usecase,
    us_app_to_person_registered: campaign?.status === 'VERIFIED',
    use_inbound_webhook_on_number: false,
  };
}

export function brandJson(ctx: ApiContext, b: Brand) {
  const url = `${BASE}/a2p/BrandRegistrations/${b.sid}`;
  return {
    sid: b.sid,
    account_sid: ctx.engine.accountSid,
    customer_profile_bundle_sid: b.customerProfileBundleSid,
    a2p_profile_bundle_sid: b.a2pProfileBundleSid,
    date_created: isoDate(b.dateCreated),
    date_updated: isoDate(b.dateUpdated),
    brand_type: b.brandType,
    status: b.status,
    tcr_id: b.tcrId,
    failure_reason: b.failureReason,
    url,
    brand_score: b.brandScore,
    brand_feedback: null,
    identity_status: b.identityStatus,
    russell_3000: b.brandType === 'STANDARD' ? false : null,
    government_entity: b.brandType === 'STANDARD' ? false : null,
    tax_exempt_status: null,
    skip_automatic_sec_vet: b.skipAutomaticSecVet,
    errors: b.errors,
    mock: b.mock,
    links: {
      brand_vettings: `${url}/Vettings`,
      brand_registration_otps: `${url}/SmsOtp`,
    },
  };
}

export function campaignJson(ctx: ApiContext, c: Campaign) {
  const brand = c.brandRegistrationSid ? ctx.engine.state.brands[c.brandRegistrationSid] : undefined;
  const soleProprietor = c.usecase === 'SOLE_PROPRIETOR';
  return {
    sid: c.sid,
    account_sid: ctx.engine.accountSid,
    brand_registration_sid: c.brandRegistrationSid,
    messaging_service_sid: c.messagingServiceSid,
    description: c.description,
    message_samples: c.messageSamples,
    us_app_to_person_usecase: c.usecase,
    has_embedded_links: c.hasEmbeddedLinks,
    has_embedded_phone: c.hasEmbeddedPhone,
    subscriber_opt_in: c.subscriberOptIn,
    age_gated: c.ageGated,
    direct_lending: c.directLending,
    campaign_status: c.status,
    campaign_id: c.campaignId,
    is_externally_registered: c.external,
    rate_limits: soleProprietor
      ? { att: { mps: 0.25, msg_class: 'A' }, tmobile: { brand_tier: 'LOW' } }
      : {
          att: { mps: 600, msg_class: 'A' },
          tmobile: { brand_tier: brand?.brandScore && brand.brandScore >= 75 ? 'TOP' : 'LOW' },
        },
    message_flow: c.messageFlow,
    opt_in_message: c.optInMessage,
    opt_out_message: c.optOutMessage,
    help_message: c.helpMessage,
    opt_in_keywords: c.optInKeywords,
    opt_out_keywords: c.optOutKeywords,
    help_keywords: c.helpKeywords,
    date_created: isoDate(c.dateCreated),
    date_updated: isoDate(c.dateUpdated),
    // 002: the URL names the fixed US A2P Compliance resource, whatever the campaign's own SID.
    url: `${BASE}/Services/${c.messagingServiceSid}/Compliance/Usa2p/${US_A2P_COMPLIANCE_SID}`,
    mock: c.mock,
    errors: c.errors,
  };
}

function tcrCampaignId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `C${Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** 002's length rules for one text field. */
function text(form: Params, name: string, min: number, max: number, required: boolean): string | null {
  const v = form.get(name);
  if (v === undefined || v === '') {
    if (required) throw missingParam(name);
    return null;
  }
  if (v.length < min || v.length > max)
    throw new TwilioApiError(
      400,
      21701,
      `${name} must be between ${min} and ${max} characters (got ${v.length})`,
    );
  return v;
}

/** 002: keywords: "Values must be alphanumeric. 255 character maximum." */
function keywords(form: Params, name: string): string[] | null {
  if (!form.has(name)) return null;
  const values = form
    .all(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of values)
    if (!/^[A-Za-z0-9]+$/.test(v))
      throw new TwilioApiError(400, 21701, `${name} values must be alphanumeric (got "${v}")`);
  if (values.join(',').length > 255)
    throw new TwilioApiError(400, 21701, `${name} must be at most 255 characters`);
  return values;
}

function requiredBool(form: Params, name: string): boolean {
  const v = form.bool(name);
  if (v === undefined) throw missingParam(name);
  return v;
}

export function registerMessaging(api: Api): void {
  const service = (ctx: ApiContext, sid = ctx.path.sid) => {
    const s = ctx.engine.state.services[pathSid(sid ?? '', 'MG', ctx.pathname)];
    if (!s) throw notFound(ctx.pathname);
    return s;
  };

  // ---- Services (000 4)
  api.route('POST', `${P}/Services`, (ctx) => {
    const friendlyName = ctx.form.required('FriendlyName');
    if (friendlyName.length > 64) throw invalidParam('FriendlyName', 'must be at most 64 characters');
    const now = ctx.engine.now();
    const s: MessagingService = {
      sid: newSid('MG'),
      friendlyName,
      // 003: without a Usecase "Twilio will assign the default value undeclared"
      usecase: ctx.form.get('Usecase') ?? 'undeclared',
      statusCallback: ctx.form.get('StatusCallback') ?? null,
      inboundRequestUrl: ctx.form.get('InboundRequestUrl') ?? null,
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.state.services[s.sid] = s;
    return { status: 201, body: serviceJson(ctx, s) };
  });
  api.route('GET', `${P}/Services`, (ctx) => ({
    status: 200,
    body: v1Page(
      Object.values(ctx.engine.state.services)
        .sort((a, b) => a.dateCreated - b.dateCreated)
        .map((s) => serviceJson(ctx, s)),
      { url: `${BASE}/Services`, key: 'services', query: ctx.query },
    ),
  }));
  api.route('GET', `${P}/Services/:sid`, (ctx) => ({ status: 200, body: serviceJson(ctx, service(ctx)) }));
  api.route('POST', `${P}/Services/:sid`, (ctx) => {
    const s = service(ctx);
    s.friendlyName = ctx.form.get('FriendlyName') ?? s.friendlyName;
    s.usecase = ctx.form.get('Usecase') ?? s.usecase;
    s.statusCallback = ctx.form.get('StatusCallback') ?? s.statusCallback;
    s.dateUpdated = ctx.engine.now();
    return { status: 200, body: serviceJson(ctx, s) };
  });
  // 000 5: "deleting its associated Messaging Service ... will necessarily mean deleting the Campaign itself"
  api.route('DELETE', `${P}/Services/:sid`, (ctx) => {
    const s = service(ctx);
    const state = ctx.engine.state;
    for (const c of Object.values(state.campaigns))
      if (c.messagingServiceSid === s.sid) ctx.engine.removeCampaign(c);
    for (const n of Object.values(state.serviceNumbers))
      if (n.serviceSid === s.sid) delete state.serviceNumbers[n.phoneNumberSid];
    delete state.services[s.sid];
    return { status: 204 };
  });

  // ---- PhoneNumbers in a service (000 6)
  const numberJson = (ctx: ApiContext, serviceSid: string, pn: string, dateCreated: number) => {
    const n = ctx.engine.state.numbers[pn];
    return {
      sid: pn,
      account_sid: ctx.engine.accountSid,
      service_sid: serviceSid,
      date_created: isoDate(dateCreated),
      date_updated: isoDate(dateCreated),
      phone_number: n?.phoneNumber ?? null,
      country_code: 'US',
      capabilities: ['SMS', 'MMS', 'Voice'],
      url: `${BASE}/Services/${serviceSid}/PhoneNumbers/${pn}`,
    };
  };
  api.route('POST', `${P}/Services/:sid/PhoneNumbers`, (ctx) => {
    const s = service(ctx);
    const pn = ctx.form.sid('PhoneNumberSid', 'PN', true);
    const state = ctx.engine.state;
    if (!state.numbers[pn])
      throw new TwilioApiError(400, 21450, `Phone Number ${pn} not found on this account`);
    const current = state.serviceNumbers[pn];
    if (current?.serviceSid === s.sid)
      throw new TwilioApiError(409, 21710, 'Phone Number is already in the Messaging Service');
    // A number belongs to at most one Messaging Service.
    if (current)
      throw new TwilioApiError(
        409,
        21712,
        `Phone Number is already in Messaging Service ${current.serviceSid}`,
      );
    // 000 6: "For Sole Proprietor Campaigns, only a single 10DLC phone number can be used in the Messaging Service"
    const soleProprietor = Object.values(state.campaigns).some(
      (c) => c.messagingServiceSid === s.sid && c.usecase === 'SOLE_PROPRIETOR',
    );
    const count = Object.values(state.serviceNumbers).filter((n) => n.serviceSid === s.sid).length;
    if (soleProprietor && count >= 1)
      throw new TwilioApiError(
        400,
        21714,
        'A Sole Proprietor campaign can only have one phone number in its Messaging Service',
      );
    const entry = { phoneNumberSid: pn, serviceSid: s.sid, dateCreated: ctx.engine.now() };
    state.serviceNumbers[pn] = entry;
    return { status: 201, body: numberJson(ctx, s.sid, pn, entry.dateCreated) };
  });
  api.route('GET', `${P}/Services/:sid/PhoneNumbers`, (ctx) => {
    const s = service(ctx);
    const items = Object.values(ctx.engine.state.serviceNumbers)
      .filter((n) => n.serviceSid === s.sid)
      .sort((a, b) => a.dateCreated - b.dateCreated)
      .map((n) => numberJson(ctx, s.sid, n.phoneNumberSid, n.dateCreated));
    return {
      status: 200,
      body: v1Page(items, {
        url: `${BASE}/Services/${s.sid}/PhoneNumbers`,
        key: 'phone_numbers',
        query: ctx.query,
      }),
    };
  });
  const serviceNumber = (ctx: ApiContext) => {
    const s = service(ctx);
    const n = ctx.engine.state.serviceNumbers[pathSid(ctx.path.pn ?? '', 'PN', ctx.pathname)];
    if (!n || n.serviceSid !== s.sid) throw notFound(ctx.pathname);
    return n;
  };
  api.route('GET', `${P}/Services/:sid/PhoneNumbers/:pn`, (ctx) => {
    const n = serviceNumber(ctx);
    return { status: 200, body: numberJson(ctx, n.serviceSid, n.phoneNumberSid, n.dateCreated) };
  });
  api.route('DELETE', `${P}/Services/:sid/PhoneNumbers/:pn`, (ctx) => {
    const n = serviceNumber(ctx);
    delete ctx.engine.state.serviceNumbers[n.phoneNumberSid];
    return { status: 204 };
  });

  // ---- BrandRegistrations (001, 000 3)
  const brand = (ctx: ApiContext, sid = ctx.path.sid) => {
    const b = ctx.engine.state.brands[pathSid(sid ?? '', 'BN', ctx.pathname)];
    if (!b) throw notFound(ctx.pathname);
    return b;
  };
  api.route('POST', `${P}/a2p/BrandRegistrations`, (ctx) => {
    // 001: CustomerProfileBundleSid and A2PProfileBundleSid are required, ^BU[0-9a-fA-F]{32}$
    const customerProfileBundleSid = ctx.form.sid('CustomerProfileBundleSid', 'BU', true);
    const a2pProfileBundleSid = ctx.form.sid('A2PProfileBundleSid', 'BU', true);
    const brandType = ctx.form.get('BrandType') ?? 'STANDARD';
    if (brandType !== 'STANDARD' && brandType !== 'SOLE_PROPRIETOR')
      throw invalidParam('BrandType', 'must be STANDARD or SOLE_PROPRIETOR');
    const now = ctx.engine.now();
    const b: Brand = {
      sid: newSid('BN'),
      customerProfileBundleSid,
      a2pProfileBundleSid,
      brandType,
      mock: ctx.form.bool('Mock') ?? false,
      skipAutomaticSecVet: ctx.form.bool('SkipAutomaticSecVet') ?? false,
      status: 'PENDING',
      identityStatus: null,
      tcrId: null,
      failureReason: null,
      errors: [],
      brandScore: null,
      facts: null,
      registered: false,
      otp: null,
      resubmissions: 0,
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.registerBrand(b);
    return { status: 201, body: brandJson(ctx, b) };
  });
  api.route('GET', `${P}/a2p/BrandRegistrations`, (ctx) => ({
    status: 200,
    body: v1Page(
      Object.values(ctx.engine.state.brands)
        .sort((a, b) => a.dateCreated - b.dateCreated)
        .map((b) => brandJson(ctx, b)),
      { url: `${BASE}/a2p/BrandRegistrations`, key: 'data', query: ctx.query },
    ),
  }));
  api.route('GET', `${P}/a2p/BrandRegistrations/:sid`, (ctx) => ({
    status: 200,
    body: brandJson(ctx, brand(ctx)),
  }));
  // 001 update = resubmission, allowed only while FAILED, a limited number of times.
  api.route('POST', `${P}/a2p/BrandRegistrations/:sid`, (ctx) => {
    const b = brand(ctx);
    if (b.status !== 'FAILED')
      throw new TwilioApiError(
        400,
        21709,
        `Brand ${b.sid} is ${b.status}; only a FAILED brand can be updated`,
      );
    if (b.resubmissions >= MAX_BRAND_RESUBMISSIONS)
      throw new TwilioApiError(400, 21709, `Brand ${b.sid} was already resubmitted ${b.resubmissions} times`);
    ctx.engine.resubmitBrand(b);
    return { status: 200, body: brandJson(ctx, b) };
  });
  // 000 3.2: re-send the OTP; "a fresh OTP for verification", valid another 24 hours.
  api.route('POST', `${P}/a2p/BrandRegistrations/:sid/SmsOtp`, (ctx) => {
    const b = brand(ctx);
    if (b.brandType !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(400, 21709, 'OTP verification applies to SOLE_PROPRIETOR brands only');
    if (b.status !== 'APPROVED' || b.identityStatus !== 'UNVERIFIED')
      throw new TwilioApiError(
        400,
        21709,
        `Brand ${b.sid} is not awaiting OTP verification (${b.status}/${String(b.identityStatus)})`,
      );
    ctx.engine.sendOtp(b);
    return { status: 201, body: { account_sid: ctx.engine.accountSid, brand_registration_sid: b.sid } };
  });
  api.route('GET', `${P}/a2p/BrandRegistrations/:sid/Vettings`, (ctx) => {
    const b = brand(ctx);
    return {
      status: 200,
      body: v1Page([], {
        url: `${BASE}/a2p/BrandRegistrations/${b.sid}/Vettings`,
        key: 'data',
        query: ctx.query,
      }),
    };
  });

  // ---- Usa2p campaigns (002, 000 5)
  const campaignOf = (ctx: ApiContext): Campaign => {
    const s = service(ctx, ctx.path.sid);
    const sid = pathSid(ctx.path.qe ?? '', 'QE', ctx.pathname);
    const c = Object.values(ctx.engine.state.campaigns).find(
      (x) => x.messagingServiceSid === s.sid && (sid === US_A2P_COMPLIANCE_SID || x.sid === sid),
    );
    if (!c) throw notFound(ctx.pathname);
    return c;
  };
  api.route('POST', `${P}/Services/:sid/Compliance/Usa2p`, (ctx) => {
    const s = service(ctx);
    const f = ctx.form;
    const brandSid = f.sid('BrandRegistrationSid', 'BN', true);
    const b = ctx.engine.state.brands[brandSid];
    if (!b) throw new TwilioApiError(400, 21706, `Brand Registration ${brandSid} not found`);
    // 002: description 40–4096 characters; message_flow 40–2048.
    const description = text(f, 'Description', 40, 4096, true);
    const messageFlow = text(f, 'MessageFlow', 40, 2048, true);
    // 002: "An array of sample message strings, min two and max five ... each sample: 20 ... 1024 chars"
    const samples = f.all('MessageSamples');
    if (samples.length < 2 || samples.length > 5)
      throw new TwilioApiError(
        400,
        21701,
        `MessageSamples must have between 2 and 5 entries (got ${samples.length})`,
      );
    for (const m of samples)
      if (m.length < 20 || m.length > 1024)
        throw new TwilioApiError(
          400,
          21701,
          `Each of MessageSamples must be between 20 and 1024 characters (got ${m.length})`,
        );
    const usecase = f.required('UsAppToPersonUsecase');
    const hasEmbeddedLinks = requiredBool(f, 'HasEmbeddedLinks');
    const hasEmbeddedPhone = requiredBool(f, 'HasEmbeddedPhone');
    // 002: opt-in / opt-out / help messages: "20 character minimum. 320 character maximum."
    const optInMessage = text(f, 'OptInMessage', 20, 320, false);
    const optOutMessage = text(f, 'OptOutMessage', 20, 320, false);
    const helpMessage = text(f, 'HelpMessage', 20, 320, false);
    const optInKeywords = keywords(f, 'OptInKeywords');
    const optOutKeywords = keywords(f, 'OptOutKeywords');
    const helpKeywords = keywords(f, 'HelpKeywords');

    // 002: "SOLE_PROPRIETOR campaign use cases can only be created by SOLE_PROPRIETOR Brands, and there can
    // only be one SOLE_PROPRIETOR campaign created per SOLE_PROPRIETOR Brand." 000 5: it is the only
    // valid use case for a Sole Proprietor brand.
    if (usecase === 'SOLE_PROPRIETOR' && b.brandType !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(
        400,
        21703,
        'The SOLE_PROPRIETOR use case is only available to SOLE_PROPRIETOR brands',
      );
    if (b.brandType === 'SOLE_PROPRIETOR' && usecase !== 'SOLE_PROPRIETOR')
      throw new TwilioApiError(
        400,
        21703,
        `A SOLE_PROPRIETOR brand can only register the SOLE_PROPRIETOR use case, not ${usecase}`,
      );
    if (usecase !== 'SOLE_PROPRIETOR' && !STANDARD_USECASES.some((u) => u.code === usecase))
      throw invalidParam('UsAppToPersonUsecase', `unknown use case ${usecase}`);
    if (b.status === 'FAILED' || b.status === 'SUSPENDED')
      throw new TwilioApiError(
        400,
        21705,
        `Brand ${b.sid} is ${b.status}; campaigns cannot be registered for it`,
      );
    const state = ctx.engine.state;
    if (usecase === 'SOLE_PROPRIETOR' && ctx.engine.campaignsOfBrand(b.sid).length > 0)
      throw new TwilioApiError(409, 21704, `Sole Proprietor brand ${b.sid} already has its one campaign`);
    if (Object.values(state.campaigns).some((c) => c.messagingServiceSid === s.sid))
      throw new TwilioApiError(409, 21710, `Messaging Service ${s.sid} already has a campaign`);
    if (
      usecase === 'SOLE_PROPRIETOR' &&
      Object.values(state.serviceNumbers).filter((n) => n.serviceSid === s.sid).length > 1
    )
      throw new TwilioApiError(
        400,
        21714,
        'A Sole Proprietor campaign can only have one phone number in its Messaging Service',
      );

    const selfManaged =
      optOutKeywords !== null || optOutMessage !== null || helpKeywords !== null || helpMessage !== null;
    const now = ctx.engine.now();
    const c: Campaign = {
      sid: newSid('QE'),
      messagingServiceSid: s.sid,
      brandRegistrationSid: b.sid,
      campaignId: tcrCampaignId(),
      external: false,
      description,
      messageFlow,
      messageSamples: samples,
      usecase,
      hasEmbeddedLinks,
      hasEmbeddedPhone,
      subscriberOptIn: f.bool('SubscriberOptIn') ?? true,
      ageGated: f.bool('AgeGated') ?? false,
      directLending: f.bool('DirectLending') ?? false,
      optInMessage: optInMessage ?? DEFAULT_OPT_IN_MESSAGE,
      optOutMessage: optOutMessage ?? (selfManaged ? null : DEFAULT_OPT_OUT_MESSAGE),
      helpMessage: helpMessage ?? (selfManaged ? null : DEFAULT_HELP_MESSAGE),
      optInKeywords: optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS,
      optOutKeywords: optOutKeywords ?? (selfManaged ? [] : DEFAULT_OPT_OUT_KEYWORDS),
      helpKeywords: helpKeywords ?? (selfManaged ? [] : DEFAULT_HELP_KEYWORDS),
      // 002: "Mock campaigns will be automatically created if using a mock brand."
      mock: b.mock,
      status: 'PENDING',
      errors: [],
      rateLimited: false,
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.submitCampaign(c, b.mock);
    return { status: 201, body: campaignJson(ctx, c) };
  });
  api.route('GET', `${P}/Services/:sid/Compliance/Usa2p`, (ctx) => {
    const s = service(ctx);
    const items = Object.values(ctx.engine.state.campaigns)
      .filter((c) => c.messagingServiceSid === s.sid)
      .map((c) => campaignJson(ctx, c));
    return {
      status: 200,
      body: v1Page(items, {
        url: `${BASE}/Services/${s.sid}/Compliance/Usa2p`,
        key: 'compliance',
        query: ctx.query,
      }),
    };
  });
  api.route('GET', `${P}/Services/:sid/Compliance/Usa2p/Usecases`, (ctx) => {
    service(ctx);
    const brandSid = ctx.query.get('BrandRegistrationSid');
    const b = brandSid ? ctx.engine.state.brands[brandSid] : undefined;
    if (brandSid && !b) throw new TwilioApiError(400, 21706, `Brand Registration ${brandSid} not found`);
    const list = b?.brandType === 'SOLE_PROPRIETOR' ? [SOLE_PROPRIETOR_USECASE] : STANDARD_USECASES;
    return {
      status: 200,
      body: { us_app_to_person_usecases: list.map((u) => ({ ...u, post_approval_required: false })) },
    };
  });
  api.route('GET', `${P}/Services/:sid/Compliance/Usa2p/:qe`, (ctx) => ({
    status: 200,
    body: campaignJson(ctx, campaignOf(ctx)),
  }));
  api.route('DELETE', `${P}/Services/:sid/Compliance/Usa2p/:qe`, (ctx) => {
    ctx.engine.removeCampaign(campaignOf(ctx));
    return { status: 204 };
  });

  // ---- External campaigns (003): POST /v1/Services/PreregisteredUsa2p
  api.route('POST', `${P}/Services/PreregisteredUsa2p`, (ctx) => {
    const campaignId = ctx.form.required('CampaignId');
    // 003: "a seven character alphanumeric string that starts with C"
    if (!/^C[A-Z0-9]{6}$/.test(campaignId))
      throw invalidParam('CampaignId', 'must be a 7-character TCR campaign id starting with C');
    const s = service(ctx, ctx.form.sid('MessagingServiceSid', 'MG', true));
    const state = ctx.engine.state;
    const share = state.shares[campaignId];
    if (share && share.status !== 'ACCEPTED')
      throw new TwilioApiError(
        400,
        21720,
        `Campaign ${campaignId} has not been accepted by Twilio (share ${share.status})`,
      );
    if (Object.values(state.campaigns).some((c) => c.messagingServiceSid === s.sid))
      throw new TwilioApiError(409, 21710, `Messaging Service ${s.sid} already has a campaign`);
    const other = Object.values(state.campaigns).find((c) => c.campaignId === campaignId);
    if (other)
      throw new TwilioApiError(
        409,
        21721,
        `Campaign ${campaignId} is already associated with ${other.messagingServiceSid}`,
      );
    const now = ctx.engine.now();
    const c: Campaign = {
      sid: newSid('QE'),
      messagingServiceSid: s.sid,
      brandRegistrationSid: null,
      campaignId,
      external: true,
      description: null,
      messageFlow: null,
      messageSamples: [],
      usecase: 'UNDECLARED',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      subscriberOptIn: false,
      ageGated: false,
      directLending: false,
      optInMessage: null,
      optOutMessage: null,
      helpMessage: null,
      optInKeywords: [],
      optOutKeywords: [],
      helpKeywords: [],
      mock: false,
      status: 'PENDING',
      errors: [],
      rateLimited: false,
      dateCreated: now,
      dateUpdated: now,
    };
    ctx.engine.associateExternal(c);
    return {
      status: 201,
      body: {
        sid: c.sid,
        messaging_service_sid: s.sid,
        campaign_id: campaignId,
        account_sid: ctx.engine.accountSid,
        date_created: isoDate(now),
      },
    };
  });
}
