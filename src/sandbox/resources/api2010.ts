import type { Api, ApiContext } from '../http';
import type { Address, IncomingNumber, Subaccount } from '../state';
import { TwilioApiError, invalidParam, missingParam, notFound, pathSid, rfc2822, v2010Page } from '../wire';

/** 2010 Accounts resource: an account as Twilio renders it (the main one has no Subaccount record). */
function accountJson(
  ctx: ApiContext,
  a: {
    sid: string;
    authToken: string;
    friendlyName: string;
    status: string;
    dateCreated: number;
    dateUpdated: number;
  },
) {
  const base = `/2010-04-01/Accounts/${a.sid}`;
  return {
    auth_token: a.authToken,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    friendly_name: a.friendlyName,
    // "The OwnerAccountSid of a parent account is it's own sid."
    owner_account_sid: ctx.engine.mainAccountSid,
    sid: a.sid,
    status: a.status,
    subresource_uris: {
      addresses: `${base}/Addresses.json`,
      incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
    },
    type: 'Full',
    uri: `${base}.json`,
  };
}

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
  // ---- Accounts (the 2010 Accounts resource): the main account's subaccounts.
  const visible = (ctx: ApiContext): Subaccount[] =>
    ctx.caller === ctx.engine.mainAccountSid
      ? ctx.engine.subaccounts()
      : ctx.engine.subaccounts().filter((a) => a.sid === ctx.caller);
  const mainView = (ctx: ApiContext) => ({
    sid: ctx.engine.mainAccountSid,
    authToken: '',
    friendlyName: 'Sandbox main account',
    status: 'active',
    dateCreated: 0,
    dateUpdated: 0,
  });
  api.route('POST', '/api/2010-04-01/Accounts.json', (ctx) => {
    // "Create a new Account instance resource as a subaccount of the one used to make the request";
    // a subaccount cannot have subaccounts of its own.
    if (ctx.caller !== ctx.engine.mainAccountSid)
      throw new TwilioApiError(403, 20008, 'A subaccount cannot create subaccounts');
    const friendlyName =
      ctx.form.get('FriendlyName') ??
      `SubAccount Created at ${new Date(ctx.engine.now()).toISOString().slice(0, 16)}`;
    // "A human readable description of this account, up to 64 characters long."
    if (friendlyName.length > 64) throw invalidParam('FriendlyName', 'at most 64 characters');
    return { status: 201, body: accountJson(ctx, ctx.engine.createSubaccount(friendlyName)) };
  });
  api.route('GET', '/api/2010-04-01/Accounts.json', (ctx) => {
    const filters = { FriendlyName: ctx.query.get('FriendlyName'), Status: ctx.query.get('Status') };
    const all = [...(ctx.caller === ctx.engine.mainAccountSid ? [mainView(ctx)] : []), ...visible(ctx)];
    const items = all
      .filter((a) => filters.FriendlyName === undefined || a.friendlyName === filters.FriendlyName)
      .filter((a) => filters.Status === undefined || a.status === filters.Status)
      .map((a) => accountJson(ctx, a));
    return {
      status: 200,
      body: v2010Page(items, {
        path: '/2010-04-01/Accounts.json',
        key: 'accounts',
        query: ctx.query,
        filters,
      }),
    };
  });
  const subaccountOf = (ctx: ApiContext): Subaccount => {
    const sid = pathSid(ctx.path.account ?? '', 'AC', ctx.pathname);
    const a = visible(ctx).find((x) => x.sid === sid);
    if (!a) throw notFound(ctx.pathname);
    return a;
  };
  api.route('GET', '/api/2010-04-01/Accounts/:account.json', (ctx) => {
    if (ctx.path.account === ctx.engine.mainAccountSid && ctx.caller === ctx.engine.mainAccountSid)
      return { status: 200, body: accountJson(ctx, mainView(ctx)) };
    return { status: 200, body: accountJson(ctx, subaccountOf(ctx)) };
  });
  api.route('POST', '/api/2010-04-01/Accounts/:account.json', (ctx) => {
    const a = subaccountOf(ctx);
    const status = ctx.form.get('Status');
    if (status !== undefined && status !== 'active' && status !== 'suspended' && status !== 'closed')
      throw invalidParam('Status', 'must be active, suspended or closed');
    // A closed account stays closed.
    if (a.status === 'closed' && status !== undefined && status !== 'closed')
      throw new TwilioApiError(400, 20001, `Account ${a.sid} is closed`);
    const friendlyName = ctx.form.get('FriendlyName');
    if (friendlyName !== undefined && friendlyName.length > 64)
      throw invalidParam('FriendlyName', 'at most 64 characters');
    a.friendlyName = friendlyName ?? a.friendlyName;
    a.status = status ?? a.status;
    a.dateUpdated = ctx.engine.now();
    return { status: 200, body: accountJson(ctx, a) };
  });

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
  // IncomingPhoneNumbers update with AccountSid: moves the number to another account of the same
  // main account ("Transfer a phone number between subaccounts"), with the main account's
  // credentials. A number still in a Messaging Service stays where it is.
  api.route('POST', `${P}/IncomingPhoneNumbers/:sid.json`, (ctx) => {
    account(ctx);
    const n = ctx.engine.account.number(pathSid(ctx.path.sid ?? '', 'PN', ctx.pathname));
    if (!n) throw notFound(ctx.pathname);
    const target = ctx.form.get('AccountSid');
    const friendlyName = ctx.form.get('FriendlyName');
    if (friendlyName !== undefined) n.friendlyName = friendlyName;
    if (target !== undefined && target !== ctx.engine.accountSid) {
      if (ctx.caller !== ctx.engine.mainAccountSid)
        throw new TwilioApiError(
          403,
          20008,
          'Only the main account can transfer numbers between its accounts',
        );
      if (target !== ctx.engine.mainAccountSid && !ctx.engine.subaccount(target))
        throw invalidParam('AccountSid', `${target} is not an account of this main account`);
      if (ctx.engine.services.holderOf(n.sid))
        throw new TwilioApiError(
          409,
          21712,
          `Phone Number ${n.sid} is in a Messaging Service; remove it first`,
        );
      ctx.engine.account.remove(n);
      ctx.engine.inAccount(target, () => ctx.engine.account.adopt(n));
      return { status: 200, body: ctx.engine.inAccount(target, () => numberJson(ctx, n)) };
    }
    return { status: 200, body: numberJson(ctx, n) };
  });
  api.route('GET', `${P}/IncomingPhoneNumbers/:sid.json`, (ctx) => {
    account(ctx);
    const n = ctx.engine.account.number(pathSid(ctx.path.sid ?? '', 'PN', ctx.pathname));
    if (!n) throw notFound(ctx.pathname);
    return { status: 200, body: numberJson(ctx, n) };
  });
}
