import type { Api, ApiContext } from '../http';
import type { Brand, Campaign, MessagingService } from '../state';
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

function serviceJson(ctx: ApiContext, s: MessagingService) {
  const url = `${BASE}/Services/${s.sid}`;
  const campaign = ctx.engine.campaigns.ofService(s.sid);
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
    // 001: "DEPRECATED. Feedback on how to improve brand score" (e.g. ["TAX_ID"]).
    brand_feedback: b.feedback && b.feedback.length > 0 ? b.feedback : null,
    identity_status: b.identityStatus,
    russell_3000: b.standard ? b.standard.russell3000 : null,
    government_entity: b.standard ? b.standard.governmentEntity : null,
    tax_exempt_status: b.standard?.taxExemptStatus ?? null,
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
  const brand = c.brandRegistrationSid ? ctx.engine.brands.get(c.brandRegistrationSid) : undefined;
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
    privacy_policy_url: c.privacyPolicyUrl ?? null,
    terms_and_conditions_url: c.termsAndConditionsUrl ?? null,
    date_created: isoDate(c.dateCreated),
    date_updated: isoDate(c.dateUpdated),
    // 002: the URL names the fixed US A2P Compliance resource, whatever the campaign's own SID.
    url: `${BASE}/Services/${c.messagingServiceSid}/Compliance/Usa2p/${US_A2P_COMPLIANCE_SID}`,
    mock: c.mock,
    errors: c.errors,
  };
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

/** The Standard campaign's policy links (the twilio package's PrivacyPolicyUrl, TermsAndConditionsUrl). */
function url(form: Params, name: string): string | null {
  const v = form.get(name);
  if (v === undefined || v === '') return null;
  if (!/^https?:\/\/[^\s/]+\.[^\s]+$/.test(v)) throw invalidParam(name, 'must be an http(s) URL');
  if (v.length > 2048) throw invalidParam(name, 'must be at most 2048 characters');
  return v;
}

function requiredBool(form: Params, name: string): boolean {
  const v = form.bool(name);
  if (v === undefined) throw missingParam(name);
  return v;
}

export function registerMessaging(api: Api): void {
  const service = (ctx: ApiContext, sid = ctx.path.sid): MessagingService => {
    const s = ctx.engine.services.get(pathSid(sid ?? '', 'MG', ctx.pathname));
    if (!s) throw notFound(ctx.pathname);
    return s;
  };

  // ---- Services (000 4)
  api.route('POST', `${P}/Services`, (ctx) => {
    const friendlyName = ctx.form.required('FriendlyName');
    if (friendlyName.length > 64) throw invalidParam('FriendlyName', 'must be at most 64 characters');
    const s = ctx.engine.services.create({
      friendlyName,
      usecase: ctx.form.get('Usecase'),
      statusCallback: ctx.form.get('StatusCallback') ?? null,
      inboundRequestUrl: ctx.form.get('InboundRequestUrl') ?? null,
    });
    return { status: 201, body: serviceJson(ctx, s) };
  });
  api.route('GET', `${P}/Services`, (ctx) => ({
    status: 200,
    body: v1Page(
      ctx.engine.services.list().map((s) => serviceJson(ctx, s)),
      { url: `${BASE}/Services`, key: 'services', query: ctx.query },
    ),
  }));
  api.route('GET', `${P}/Services/:sid`, (ctx) => ({ status: 200, body: serviceJson(ctx, service(ctx)) }));
  api.route('POST', `${P}/Services/:sid`, (ctx) => {
    const s = service(ctx);
    ctx.engine.services.update(s, {
      friendlyName: ctx.form.get('FriendlyName'),
      usecase: ctx.form.get('Usecase'),
      statusCallback: ctx.form.get('StatusCallback'),
    });
    return { status: 200, body: serviceJson(ctx, s) };
  });
  api.route('DELETE', `${P}/Services/:sid`, (ctx) => {
    ctx.engine.services.remove(service(ctx));
    return { status: 204 };
  });

  // ---- PhoneNumbers in a service (000 6)
  const numberJson = (ctx: ApiContext, serviceSid: string, pn: string, dateCreated: number) => {
    const n = ctx.engine.account.number(pn);
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
    const entry = ctx.engine.services.addNumber(s, ctx.form.sid('PhoneNumberSid', 'PN', true));
    return { status: 201, body: numberJson(ctx, s.sid, entry.phoneNumberSid, entry.dateCreated) };
  });
  api.route('GET', `${P}/Services/:sid/PhoneNumbers`, (ctx) => {
    const s = service(ctx);
    const items = ctx.engine.services
      .numbersOf(s.sid)
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
    const n = ctx.engine.services.number(s.sid, pathSid(ctx.path.pn ?? '', 'PN', ctx.pathname));
    if (!n) throw notFound(ctx.pathname);
    return n;
  };
  api.route('GET', `${P}/Services/:sid/PhoneNumbers/:pn`, (ctx) => {
    const n = serviceNumber(ctx);
    return { status: 200, body: numberJson(ctx, n.serviceSid, n.phoneNumberSid, n.dateCreated) };
  });
  api.route('DELETE', `${P}/Services/:sid/PhoneNumbers/:pn`, (ctx) => {
    ctx.engine.services.removeNumber(serviceNumber(ctx));
    return { status: 204 };
  });

  // ---- BrandRegistrations (001, 000 3)
  const brand = (ctx: ApiContext, sid = ctx.path.sid): Brand => {
    const b = ctx.engine.brands.get(pathSid(sid ?? '', 'BN', ctx.pathname));
    if (!b) throw notFound(ctx.pathname);
    return b;
  };
  api.route('POST', `${P}/a2p/BrandRegistrations`, (ctx) => {
    // 001: CustomerProfileBundleSid and A2PProfileBundleSid are required, ^BU[0-9a-fA-F]{32}$
    const customerProfileBundleSid = ctx.form.sid('CustomerProfileBundleSid', 'BU', true);
    const a2pProfileBundleSid = ctx.form.sid('A2PProfileBundleSid', 'BU', true);
    const brandType = ctx.form.get('BrandType') ?? 'STANDARD';
    // 001: BrandType "One of: "STANDARD", "SOLE_PROPRIETOR"". The ISV guide registers a Low-Volume
    // Standard brand as STANDARD with SkipAutomaticSecVet=true.
    if (brandType === 'LOW_VOLUME_STANDARD')
      throw invalidParam(
        'BrandType',
        'must be STANDARD or SOLE_PROPRIETOR (a Low-Volume Standard brand is STANDARD with SkipAutomaticSecVet=true)',
      );
    if (brandType !== 'STANDARD' && brandType !== 'SOLE_PROPRIETOR')
      throw invalidParam('BrandType', 'must be STANDARD or SOLE_PROPRIETOR');
    const b = ctx.engine.brands.create({
      customerProfileBundleSid,
      a2pProfileBundleSid,
      brandType,
      mock: ctx.form.bool('Mock') ?? false,
      skipAutomaticSecVet: ctx.form.bool('SkipAutomaticSecVet') ?? false,
    });
    return { status: 201, body: brandJson(ctx, b) };
  });
  api.route('GET', `${P}/a2p/BrandRegistrations`, (ctx) => ({
    status: 200,
    body: v1Page(
      ctx.engine.brands.list().map((b) => brandJson(ctx, b)),
      { url: `${BASE}/a2p/BrandRegistrations`, key: 'data', query: ctx.query },
    ),
  }));
  api.route('GET', `${P}/a2p/BrandRegistrations/:sid`, (ctx) => ({
    status: 200,
    body: brandJson(ctx, brand(ctx)),
  }));
  api.route('POST', `${P}/a2p/BrandRegistrations/:sid`, (ctx) => {
    const b = brand(ctx);
    ctx.engine.brands.update(b);
    return { status: 200, body: brandJson(ctx, b) };
  });
  api.route('POST', `${P}/a2p/BrandRegistrations/:sid/SmsOtp`, (ctx) => {
    const b = brand(ctx);
    ctx.engine.brands.resendOtp(b);
    return { status: 201, body: { account_sid: ctx.engine.accountSid, brand_registration_sid: b.sid } };
  });
  // Brand 2FA Verification resource: "retrigger a 2FA email for Authentication+". The answer's
  // fields are not documented; the sandbox answers with the brand.
  api.route('POST', `${P}/a2p/BrandRegistrations/:sid/2fa`, (ctx) => {
    const b = brand(ctx);
    ctx.engine.brands.retrigger2fa(b);
    return { status: 201, body: brandJson(ctx, b) };
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
    const c = ctx.engine.campaigns.find(s.sid, sid, US_A2P_COMPLIANCE_SID);
    if (!c) throw notFound(ctx.pathname);
    return c;
  };
  api.route('POST', `${P}/Services/:sid/Compliance/Usa2p`, (ctx) => {
    const s = service(ctx);
    const f = ctx.form;
    const brandRegistrationSid = f.sid('BrandRegistrationSid', 'BN', true);
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
    const c = ctx.engine.campaigns.create(s.sid, {
      brandRegistrationSid,
      usecase,
      description,
      messageFlow,
      messageSamples: samples,
      hasEmbeddedLinks,
      hasEmbeddedPhone,
      subscriberOptIn: f.bool('SubscriberOptIn'),
      ageGated: f.bool('AgeGated'),
      directLending: f.bool('DirectLending'),
      optInMessage: text(f, 'OptInMessage', 20, 320, false),
      optOutMessage: text(f, 'OptOutMessage', 20, 320, false),
      helpMessage: text(f, 'HelpMessage', 20, 320, false),
      optInKeywords: keywords(f, 'OptInKeywords'),
      optOutKeywords: keywords(f, 'OptOutKeywords'),
      helpKeywords: keywords(f, 'HelpKeywords'),
      privacyPolicyUrl: url(f, 'PrivacyPolicyUrl'),
      termsAndConditionsUrl: url(f, 'TermsAndConditionsUrl'),
    });
    return { status: 201, body: campaignJson(ctx, c) };
  });
  api.route('GET', `${P}/Services/:sid/Compliance/Usa2p`, (ctx) => {
    const s = service(ctx);
    const c = ctx.engine.campaigns.ofService(s.sid);
    const items = c ? [campaignJson(ctx, c)] : [];
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
    const b = brandSid ? ctx.engine.brands.get(brandSid) : undefined;
    if (brandSid && !b) throw new TwilioApiError(400, 21706, `Brand Registration ${brandSid} not found`);
    return {
      status: 200,
      body: {
        us_app_to_person_usecases: ctx.engine.campaigns.usecasesFor(b).map((u) => ({
          code: u.code,
          name: u.name,
          description: u.description,
          post_approval_required: u.postApprovalRequired ?? false,
        })),
      },
    };
  });
  api.route('GET', `${P}/Services/:sid/Compliance/Usa2p/:qe`, (ctx) => ({
    status: 200,
    body: campaignJson(ctx, campaignOf(ctx)),
  }));
  api.route('DELETE', `${P}/Services/:sid/Compliance/Usa2p/:qe`, (ctx) => {
    ctx.engine.campaigns.delete(campaignOf(ctx));
    return { status: 204 };
  });

  // ---- External campaigns (003): POST /v1/Services/PreregisteredUsa2p
  api.route('POST', `${P}/Services/PreregisteredUsa2p`, (ctx) => {
    const campaignId = ctx.form.required('CampaignId');
    // 003: "a seven character alphanumeric string that starts with C"
    if (!/^C[A-Z0-9]{6}$/.test(campaignId))
      throw invalidParam('CampaignId', 'must be a 7-character TCR campaign id starting with C');
    const s = service(ctx, ctx.form.sid('MessagingServiceSid', 'MG', true));
    const c = ctx.engine.external.associate(campaignId, s.sid);
    return {
      status: 201,
      body: {
        sid: c.sid,
        messaging_service_sid: s.sid,
        campaign_id: campaignId,
        account_sid: ctx.engine.accountSid,
        date_created: isoDate(c.dateCreated),
      },
    };
  });
}
