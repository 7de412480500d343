import type { Api, ApiContext } from '../http';
import type { Address, IncomingNumber } from '../state';
import { invalidParam, missingParam, notFound, pathSid, rfc2822, v2010Page } from '../wire';

const P = '/api/2010-04-01/Accounts/:account';

function account(ctx: ApiContext): string {
  const sid = ctx.path.account ?? '';
  if (sid !== ctx.engine.accountSid) throw notFound(ctx.pathname);
  return sid;
}

function addressJson(ctx: ApiContext, a: Address) {
  return {
    account_sid: ctx.engine.accountSid,
    city: a.city,
    customer_name: a.customerName,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    emergency_enabled: a.emergencyEnabled,
    friendly_name: a.friendlyName,
    iso_country: a.isoCountry,
    postal_code: a.postalCode,
    region: a.region,
    sid: a.sid,
    street: a.street,
    street_secondary: a.streetSecondary,
    validated: false,
    verified: false,
    uri: `/2010-04-01/Accounts/${ctx.engine.accountSid}/Addresses/${a.sid}.json`,
  };
}

function numberJson(ctx: ApiContext, n: IncomingNumber) {
  const ac = ctx.engine.accountSid;
  return {
    account_sid: ac,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    bundle_sid: null,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateCreated),
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    emergency_status: 'Inactive',
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: 'twilio',
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: null,
    sms_method: 'POST',
    sms_url: null,
    status: 'in-use',
    status_callback: null,
    status_callback_method: 'POST',
    subresource_uris: {
      assigned_add_ons: `/2010-04-01/Accounts/${ac}/IncomingPhoneNumbers/${n.sid}/AssignedAddOns.json`,
    },
    trunk_sid: null,
    type: 'local',
    uri: `/2010-04-01/Accounts/${ac}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_receive_mode: 'voice',
    voice_url: null,
  };
}

export function registerApi2010(api: Api): void {
  // ---- Addresses (000 1.4, 004): CustomerName, Street, City, Region, PostalCode, IsoCountry required.
  api.route('POST', `${P}/Addresses.json`, (ctx) => {
    account(ctx);
    const f = ctx.form;
    const friendlyName = f.get('FriendlyName') ?? null;
    // 004: FriendlyName "can be up to 64 characters long"
    if (friendlyName !== null && friendlyName.length > 64)
      throw invalidParam('FriendlyName', 'at most 64 characters');
    const a = ctx.engine.account.createAddress({
      customerName: f.required('CustomerName'),
      street: f.required('Street'),
      city: f.required('City'),
      region: f.required('Region'),
      postalCode: f.required('PostalCode'),
      isoCountry: f.required('IsoCountry'),
      streetSecondary: f.get('StreetSecondary') ?? null,
      friendlyName,
      emergencyEnabled: f.bool('EmergencyEnabled') ?? false,
    });
    return { status: 201, body: addressJson(ctx, a) };
  });
  api.route('GET', `${P}/Addresses.json`, (ctx) => {
    const ac = account(ctx);
    const filters = {
      CustomerName: ctx.query.get('CustomerName'),
      FriendlyName: ctx.query.get('FriendlyName'),
      IsoCountry: ctx.query.get('IsoCountry'),
    };
    const items = ctx.engine.account
      .addresses({
        customerName: filters.CustomerName,
        friendlyName: filters.FriendlyName,
        isoCountry: filters.IsoCountry,
      })
      .map((a) => addressJson(ctx, a));
    return {
      status: 200,
      body: v2010Page(items, {
        path: `/2010-04-01/Accounts/${ac}/Addresses.json`,
        key: 'addresses',
        query: ctx.query,
        filters,
      }),
    };
  });
  const address = (ctx: ApiContext) => {
    account(ctx);
    const a = ctx.engine.account.address(pathSid(ctx.path.sid ?? '', 'AD', ctx.pathname));
    if (!a) throw notFound(ctx.pathname);
    return a;
  };
  api.route('GET', `${P}/Addresses/:sid.json`, (ctx) => ({
    status: 200,
    body: addressJson(ctx, address(ctx)),
  }));
  api.route('POST', `${P}/Addresses/:sid.json`, (ctx) => {
    const a = address(ctx);
    const f = ctx.form;
    ctx.engine.account.updateAddress(a, {
      customerName: f.get('CustomerName'),
      friendlyName: f.get('FriendlyName'),
      street: f.get('Street'),
      streetSecondary: f.get('StreetSecondary'),
      city: f.get('City'),
      region: f.get('Region'),
      postalCode: f.get('PostalCode'),
      emergencyEnabled: f.bool('EmergencyEnabled'),
    });
    return { status: 200, body: addressJson(ctx, a) };
  });
  api.route('DELETE', `${P}/Addresses/:sid.json`, (ctx) => {
    ctx.engine.account.deleteAddress(address(ctx));
    return { status: 204 };
  });

  // ---- IncomingPhoneNumbers: the numbers the account owns (five seeded, more bought).
  // Buying one: `PhoneNumber` (a specific number) or `AreaCode` (any number there); one is required.
  api.route('POST', `${P}/IncomingPhoneNumbers.json`, (ctx) => {
    account(ctx);
    const f = ctx.form;
    const phoneNumber = f.get('PhoneNumber');
    const areaCode = f.get('AreaCode');
    if (phoneNumber === undefined && areaCode === undefined) throw missingParam('PhoneNumber or AreaCode');
    if (phoneNumber !== undefined && !/^\+1[2-9]\d{2}[2-9]\d{6}$/.test(phoneNumber))
      throw invalidParam('PhoneNumber', 'must be a US or Canadian number in E.164 (+1NXXNXXXXXX)');
    if (areaCode !== undefined && !/^[2-9]\d{2}$/.test(areaCode))
      throw invalidParam('AreaCode', 'must be a three-digit North American area code');
    const n = ctx.engine.account.buyNumber({ phoneNumber, areaCode, friendlyName: f.get('FriendlyName') });
    return { status: 201, body: numberJson(ctx, n) };
  });
  api.route('GET', `${P}/IncomingPhoneNumbers.json`, (ctx) => {
    const ac = account(ctx);
    const filters = {
      PhoneNumber: ctx.query.get('PhoneNumber'),
      FriendlyName: ctx.query.get('FriendlyName'),
    };
    const items = ctx.engine.account
      .numbers({ phoneNumber: filters.PhoneNumber, friendlyName: filters.FriendlyName })
      .map((n) => numberJson(ctx, n));
    return {
      status: 200,
      body: v2010Page(items, {
        path: `/2010-04-01/Accounts/${ac}/IncomingPhoneNumbers.json`,
        key: 'incoming_phone_numbers',
        query: ctx.query,
        filters,
      }),
    };
  });
  api.route('GET', `${P}/IncomingPhoneNumbers/:sid.json`, (ctx) => {
    account(ctx);
    const n = ctx.engine.account.number(pathSid(ctx.path.sid ?? '', 'PN', ctx.pathname));
    if (!n) throw notFound(ctx.pathname);
    return { status: 200, body: numberJson(ctx, n) };
  });
}
