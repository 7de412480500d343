import {
  addressForTwilio,
  applyCorrection,
  type CampaignInfo,
  type FieldIssue,
  formatIssues,
  identifierLikeBrandName,
  InvalidRegistrationError,
  mergeCorrection,
  parseRegistrationCorrection,
  parseRegistrationRequest,
  type RegistrationRequest,
  SAMPLE_REGISTRATION_REQUEST,
} from '../../../src/domain';

const SAMPLE = SAMPLE_REGISTRATION_REQUEST;

/** A deep copy of the sample with some sub-object fields replaced (undefined removes a field). */
function requestWith(
  changes: {
    soleProprietor?: Record<string, unknown>;
    address?: Record<string, unknown>;
    campaign?: Record<string, unknown>;
  } & Record<string, unknown> = {},
): Record<string, unknown> {
  const { soleProprietor, address, campaign, ...top } = changes;
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return drop({
    ...structuredClone(SAMPLE),
    soleProprietor: drop({ ...SAMPLE.soleProprietor, ...soleProprietor }),
    address: drop({ ...SAMPLE.address, ...address }),
    campaign: drop({ ...SAMPLE.campaign, ...campaign }),
    ...top,
  });
}

function issuesOf(input: unknown): FieldIssue[] {
  const parsed = parseRegistrationRequest(input);
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.value)}`);
  return parsed.issues;
}

function accepted(input: unknown): RegistrationRequest {
  const parsed = parseRegistrationRequest(input);
  if (!parsed.ok) throw new Error(`expected acceptance, got:\n${formatIssues(parsed.issues)}`);
  return parsed.value;
}

const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);
const messageAt = (issues: FieldIssue[], path: string) => {
  const found = issues.filter((i) => i.path === path);
  expect(found).toHaveLength(1);
  return found[0].message;
};

const chars = (n: number) => 'x'.repeat(n);
/** A message flow of exactly `n` characters that says how SMS consent is given (so the pre-vetting passes). */
const flow = (n: number) => 'Customers opt in to SMS at checkout. '.padEnd(n, 'x');
/** A sample of exactly 20 characters that names the sole proprietor and says how to opt out. */
const COMPLIANT_SAMPLE = 'Jane Doe: Reply STOP';

/** The four self-managed opt-out/help fields, valid. */
const SELF_MANAGED_OPT_OUT: Partial<CampaignInfo> = {
  optOutMessage: 'Jane Doe Pottery: you are unsubscribed and will get no more messages.',
  optOutKeywords: ['STOP', 'END'],
  helpMessage: 'Jane Doe Pottery: help at janedoepottery.example.com/help. Reply STOP to opt out.',
  helpKeywords: ['HELP', 'SUPPORT'],
};

describe('the sample request', () => {
  it('passes and comes back unchanged', () => {
    expect(accepted(SAMPLE)).toEqual(SAMPLE);
  });

  it('passes with self-managed opt-out and keyword opt-in', () => {
    const value = accepted(
      requestWith({
        campaign: {
          ...SELF_MANAGED_OPT_OUT,
          optInMessage: 'Jane Doe Pottery: you are opted in. Reply HELP for help, STOP to opt out.',
          optInKeywords: ['START'],
        },
      }),
    );
    expect(value.campaign.optOutKeywords).toEqual(['STOP', 'END']);
  });
});

describe('normalisation', () => {
  it('trims every string', () => {
    const value = accepted(
      requestWith({
        soleProprietor: { firstName: '  Jane ', email: ' jane.doe@example.com\n' },
        address: { city: ' Boston ' },
        campaign: { optInKeywords: [' START '], optInMessage: `  ${chars(20)}  ` },
      }),
    );
    expect(value.soleProprietor.firstName).toBe('Jane');
    expect(value.soleProprietor.email).toBe('jane.doe@example.com');
    expect(value.address.city).toBe('Boston');
    expect(value.campaign.optInKeywords).toEqual(['START']);
    expect(value.campaign.optInMessage).toBe(chars(20));
  });

  it('upper-cases the country and a Canadian postal code', () => {
    const value = accepted(
      requestWith({ address: { isoCountry: 'ca', postalCode: 'k1a 0b1', region: 'ON' } }),
    );
    expect(value.address).toMatchObject({ isoCountry: 'CA', postalCode: 'K1A 0B1' });
  });

  it('measures length after trimming', () => {
    const issues = issuesOf(requestWith({ campaign: { description: `   ${chars(39)}   ` } }));
    expect(messageAt(issues, 'campaign.description')).toBe('must be at least 40 characters (it has 39)');
  });
});

describe('every field is reported, with its path', () => {
  it('reports all bad fields of one request, not just the first', () => {
    const issues = issuesOf(
      requestWith({
        customerId: 'jane@example.com',
        soleProprietor: { email: 'jane', mobilePhoneNumber: '4155550134' },
        address: { postalCode: 'ABCDE' },
        campaign: { messageFlow: 'too short', messageSamples: ['only one sample, but long enough'] },
        phoneNumberSid: 'PN123',
      }),
    );
    expect(paths(issues).sort()).toEqual(
      [
        'address.postalCode',
        'campaign.messageFlow',
        'campaign.messageSamples',
        'customerId',
        'phoneNumberSid',
        'soleProprietor.email',
        'soleProprietor.mobilePhoneNumber',
      ].sort(),
    );
  });

  it('names each missing field "is required"', () => {
    const issues = issuesOf({});
    expect(issues).toEqual(
      ['customerId', 'soleProprietor', 'address', 'campaign', 'phoneNumberSid'].map((path) => ({
        path,
        message: 'is required',
      })),
    );
  });

  it('names missing nested fields', () => {
    const issues = issuesOf(
      requestWith({ soleProprietor: { lastName: undefined }, campaign: { hasEmbeddedLinks: undefined } }),
    );
    expect(messageAt(issues, 'soleProprietor.lastName')).toBe('is required');
    expect(messageAt(issues, 'campaign.hasEmbeddedLinks')).toBe('is required (true or false)');
  });

  it('says when a value has the wrong type', () => {
    const issues = issuesOf(
      requestWith({ soleProprietor: { firstName: 42 }, campaign: { hasEmbeddedPhone: 'no' }, mock: 'yes' }),
    );
    expect(messageAt(issues, 'soleProprietor.firstName')).toBe('must be text');
    expect(messageAt(issues, 'campaign.hasEmbeddedPhone')).toBe('must be true or false');
    expect(messageAt(issues, 'mock')).toBe('must be true or false');
  });

  it('rejects a non-object as a whole', () => {
    expect(issuesOf('customer.json')).toEqual([{ path: '(request)', message: 'must be a JSON object' }]);
    expect(issuesOf(null)).toEqual([{ path: '(request)', message: 'must be a JSON object' }]);
  });

  it('formats one line per field', () => {
    const issues = issuesOf(requestWith({ soleProprietor: { email: 'nope' }, address: { city: ' ' } }));
    expect(formatIssues(issues).split('\n')).toEqual([
      'soleProprietor.email: must be a well-formed email address with a valid domain, like jane@example.com',
      'address.city: must not be blank',
    ]);
  });
});

describe('unknown keys', () => {
  it.each([
    [{ customerID: 'x' }, 'customerID', 'did you mean "customerId"?'],
    [
      { soleProprietor: { ...SAMPLE.soleProprietor, emial: 'x' } },
      'soleProprietor.emial',
      'did you mean "email"?',
    ],
    [{ address: { ...SAMPLE.address, zip: '02215' } }, 'address.zip', 'known fields: customerName, street'],
    [
      { campaign: { ...SAMPLE.campaign, messageSample: ['x'] } },
      'campaign.messageSample',
      'did you mean "messageSamples"?',
    ],
  ])('rejects %j at its own path', (extra, path, hint) => {
    const issues = issuesOf({ ...structuredClone(SAMPLE), ...extra });
    expect(messageAt(issues, path)).toContain('is not a known field');
    expect(messageAt(issues, path)).toContain(hint);
  });
});

describe('customerId (goes into the workflow id)', () => {
  it.each(['cust-0042', 'A', 'acme.customer_7', chars(64)])('accepts %s', (customerId) => {
    expect(accepted(requestWith({ customerId })).customerId).toBe(customerId);
  });

  it.each([
    ['jane@example.com', 'must be 1–64 letters'],
    ['-leading-dash', 'must be 1–64 letters'],
    ['has space', 'must be 1–64 letters'],
    [chars(65), 'must be 1–64 letters'],
    ['', 'must be 1–64 letters'],
    ['+14155550123', 'must be 1–64 letters'],
    ['4155550123', 'not a phone number'],
    ['415-555-0123', 'not a phone number'],
    ['1.415.555.0123', 'not a phone number'],
  ])('rejects %j', (customerId, message) => {
    expect(messageAt(issuesOf(requestWith({ customerId })), 'customerId')).toContain(message);
  });
});

describe('soleProprietor (000: customer information, 1.3, 2.3)', () => {
  const sp = (soleProprietor: Record<string, unknown>) => requestWith({ soleProprietor });

  it.each(['jane.doe+sms@example.co.uk', 'j@mail.example-domain.com', 'JANE@EXAMPLE.ORG'])(
    'accepts the email %s',
    (email) => {
      expect(accepted(sp({ email })).soleProprietor.email).toBe(email);
    },
  );

  it.each([
    'jane',
    'jane@',
    '@example.com',
    'jane@localhost',
    'jane@example',
    'jane@exa_mple.com',
    'jane@-example.com',
    'jane@example-.com',
    'jane@example..com',
    'jane doe@example.com',
    'jane@example.c0m',
    `jane@${'a'.repeat(64)}.com`,
  ])('rejects the email %j', (email) => {
    expect(messageAt(issuesOf(sp({ email })), 'soleProprietor.email')).toMatch(/well-formed email/);
  });

  it.each(['+14155550123', '+442071838750', '+5511987654321'])(
    'accepts the contact number %s',
    (phoneNumber) => {
      expect(accepted(sp({ phoneNumber })).soleProprietor.phoneNumber).toBe(phoneNumber);
    },
  );

  it.each(['4155550123', '+0123456789', '+1 415 555 0123', '+1234567890123456', 'tel:+14155550123'])(
    'rejects the contact number %j',
    (phoneNumber) => {
      expect(messageAt(issuesOf(sp({ phoneNumber })), 'soleProprietor.phoneNumber')).toMatch(/E\.164/);
    },
  );

  it.each(['+14155550134', '+16045550134'])('accepts the US/CA mobile number %s', (mobilePhoneNumber) => {
    expect(accepted(sp({ mobilePhoneNumber })).soleProprietor.mobilePhoneNumber).toBe(mobilePhoneNumber);
  });

  it.each([
    '+447700900123', // UK
    '+11155550134', // area code starting with 1
    '+14151550134', // exchange starting with 1
    '+1415555013', // too short
    '+141555501345', // too long
    '14155550134', // no plus
  ])('rejects the mobile number %j', (mobilePhoneNumber) => {
    expect(messageAt(issuesOf(sp({ mobilePhoneNumber })), 'soleProprietor.mobilePhoneNumber')).toBe(
      'must be a US or Canadian mobile number in E.164 form, like +14155550123',
    );
  });

  it.each(['Jane Doe', 'Jane Doe Pottery', 'Studio 54', 'Route66 Diner', "Zoë's Café", '7Eleven Corner'])(
    'accepts the brand name %j',
    (brandName) => {
      expect(accepted(sp({ brandName })).soleProprietor.brandName).toBe(brandName);
    },
  );

  it.each([
    ['jane.doe@example.com', 'not an email address'],
    ['1234567', 'not a number or code'],
    ['BN0123456789abcdef0123456789abcdef', 'not an account id'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'not an account id'],
    ['cust_889', 'not an account id'],
    ['acct12345', 'not an account id'],
    ['   ', 'must not be blank'],
  ])('rejects the brand name %j (000: not a unique identifier)', (brandName, message) => {
    expect(messageAt(issuesOf(sp({ brandName })), 'soleProprietor.brandName')).toContain(message);
  });

  it('exposes the brand-name check on its own', () => {
    expect(identifierLikeBrandName('Jane Doe')).toBeUndefined();
    expect(identifierLikeBrandName('user_42')).toMatch(/identifier/);
  });

  it('accepts every documented vertical and rejects others', () => {
    expect(accepted(sp({ vertical: 'HUMAN_RESOURCES' })).soleProprietor.vertical).toBe('HUMAN_RESOURCES');
    expect(accepted(sp({ vertical: undefined })).soleProprietor.vertical).toBeUndefined();
    for (const vertical of ['retail', 'ARTS', '']) {
      expect(messageAt(issuesOf(sp({ vertical })), 'soleProprietor.vertical')).toMatch(
        /^must be one of AGRICULTURE, .*TRANSPORTATION$/,
      );
    }
  });

  it('bounds names', () => {
    expect(accepted(sp({ firstName: chars(100) })).soleProprietor.firstName).toHaveLength(100);
    expect(messageAt(issuesOf(sp({ firstName: chars(101) })), 'soleProprietor.firstName')).toBe(
      'must be at most 100 characters',
    );
  });
});

describe('address (000 1.4)', () => {
  const addr = (address: Record<string, unknown>) => requestWith({ address });

  it.each(['02215', '02215-4147', '94016'])('accepts the US ZIP code %s', (postalCode) => {
    expect(accepted(addr({ postalCode })).address.postalCode).toBe(postalCode);
  });

  it.each(['2215', '022155', '02215-41', 'K1A 0B1', 'ABCDE'])('rejects the US ZIP code %j', (postalCode) => {
    expect(messageAt(issuesOf(addr({ postalCode })), 'address.postalCode')).toBe(
      'must be a US ZIP code like 94016 or 02215-4147 (isoCountry is US)',
    );
  });

  it.each(['K1A 0B1', 'V6B4Y8', 'h2x 1y4'])('accepts the Canadian postal code %s', (postalCode) => {
    const value = accepted(addr({ postalCode, isoCountry: 'CA', region: 'BC' }));
    expect(value.address.postalCode).toBe(postalCode.toUpperCase());
  });

  it.each([
    'D1A 0B1', // D never starts a postal code
    'W1A 0B1', // nor W
    'K1O 0B1', // O never appears
    'K1A 0B',
    'K1A-0B1',
    '94016',
  ])('rejects the Canadian postal code %j', (postalCode) => {
    expect(messageAt(issuesOf(addr({ postalCode, isoCountry: 'CA' })), 'address.postalCode')).toBe(
      'must be a Canadian postal code like K1A 0B1 (isoCountry is CA)',
    );
  });

  it.each(['MX', 'GB', 'USA', 'United States'])('rejects the country %j', (isoCountry) => {
    expect(messageAt(issuesOf(addr({ isoCountry })), 'address.isoCountry')).toMatch(/^must be US or CA/);
  });

  it('takes customerName and streetSecondary as optional, but not blank', () => {
    expect(
      accepted(addr({ customerName: undefined, streetSecondary: undefined })).address,
    ).not.toHaveProperty('customerName');
    expect(accepted(addr({ streetSecondary: 'Apt B' })).address.streetSecondary).toBe('Apt B');
    expect(messageAt(issuesOf(addr({ streetSecondary: '  ' })), 'address.streetSecondary')).toBe(
      'must not be blank (leave the field out instead)',
    );
  });

  it('requires street, city, region', () => {
    const issues = issuesOf(addr({ street: undefined, city: '', region: ' ' }));
    expect(messageAt(issues, 'address.street')).toBe('is required');
    expect(messageAt(issues, 'address.city')).toBe('must not be blank');
    expect(messageAt(issues, 'address.region')).toBe('must not be blank');
  });
});

describe('printable text (000: TCR takes utf8mb4, Unicode 15.0 scripts)', () => {
  it.each([
    ['soleProprietor', 'firstName', 'Ja\u0000ne', 'U+0000'],
    ['soleProprietor', 'lastName', 'Doe\u0007', 'U+0007'],
    ['soleProprietor', 'brandName', 'Jane\u0085Pottery', 'U+0085'],
    ['address', 'street', '1 Jersey\u0000 St', 'U+0000'],
    ['address', 'street', '1 Jersey St\n2nd floor', 'U+000A'],
    ['address', 'streetSecondary', 'Apt\u2028B', 'U+2028'],
    ['address', 'city', 'Bos\u001bton', 'U+001B'],
    ['address', 'customerName', 'Jane\uE000Doe', 'U+E000'],
    ['address', 'city', 'Boston\uFFFF', 'U+FFFF'],
    ['address', 'city', 'Boston\uD800', 'U+D800'],
  ])('refuses a control, unassigned or private-use character in %s.%s', (part, field, value, code) => {
    const issues = issuesOf(requestWith({ [part]: { [field]: value } }));
    expect(messageAt(issues, `${part}.${field}`)).toBe(
      `must not contain control, unassigned or private-use characters (it has ${code})`,
    );
  });

  it.each([
    ['José', 'Nuñez-García'],
    ['Nguyễn', 'Thị Minh Khai'],
    ['李', '小龙'],
    ['محمد', 'عبد الله'],
    ['Ахмед', 'Оʼконнор'],
    ['Siobhán', "O'Brien"],
    ['Jean-Luc', 'St. Pierre'],
    ['Núria', 'Cal·lís'],
    ['राज', 'कुमार'],
    ['فرزانه', 'می‌خواهم'],
  ])('accepts the real name %s %s in any script', (firstName, lastName) => {
    const value = accepted(requestWith({ soleProprietor: { firstName, lastName } }));
    expect(value.soleProprietor).toMatchObject({ firstName, lastName });
  });
});

describe('4-byte utf8mb4 characters', () => {
  it('accepts an emoji and a supplementary-plane CJK character where no name rule forbids them', () => {
    const value = accepted(
      requestWith({ soleProprietor: { brandName: 'Jane’s Pottery 🏺' }, address: { city: '𠮷野' } }),
    );
    expect(value.soleProprietor.brandName).toBe('Jane’s Pottery 🏺');
    expect(value.address.city).toBe('𠮷野');
  });
});

describe('names must be names (000: first and last name of the sole proprietor)', () => {
  it.each([
    ['+1', 'must be a name: it has no letters'],
    ['12345', 'must be a name: it has no letters'],
    ['--', 'must be a name: it has no letters'],
    ['a@b', 'must be a name: letters (any script), spaces, apostrophes, hyphens and periods, not "@"'],
    ['Jane+1', 'must be a name: letters (any script), spaces, apostrophes, hyphens and periods, not "+"'],
    ['Jane2', 'must be a name: letters (any script), spaces, apostrophes, hyphens and periods, not "2"'],
    [
      '<b>Jane</b>',
      'must be a name: letters (any script), spaces, apostrophes, hyphens and periods, not "<"',
    ],
  ])('refuses the first or last name %j', (name, message) => {
    const issues = issuesOf(requestWith({ soleProprietor: { firstName: name, lastName: name } }));
    expect(messageAt(issues, 'soleProprietor.firstName')).toBe(message);
    expect(messageAt(issues, 'soleProprietor.lastName')).toBe(message);
  });

  it('refuses a city without letters, and names the field in a correction too', () => {
    expect(messageAt(issuesOf(requestWith({ address: { city: '12345' } })), 'address.city')).toBe(
      'must be a city name: it has no letters',
    );
    const parsed = parseRegistrationCorrection({ soleProprietor: { firstName: '+1' } });
    expect(parsed.ok ? [] : parsed.issues).toEqual([
      { path: 'soleProprietor.firstName', message: 'must be a name: it has no letters' },
    ]);
  });
});

describe('region codes (000 1.4: "Invalid Region" rejects the profile)', () => {
  const addr = (address: Record<string, unknown>) => requestWith({ address });

  it.each(['MA', 'ca', 'DC', 'PR', 'VI', 'GU'])('accepts the US state or territory code %s', (region) => {
    expect(accepted(addr({ region })).address.region).toBe(region.toUpperCase());
  });

  it.each(["'; DROP TABLE", 'Massachusetts', 'MAA', 'ON', 'XX', 'AA'])(
    'refuses the US region %j',
    (region) => {
      expect(messageAt(issuesOf(addr({ region })), 'address.region')).toBe(
        'must be a US state or territory code like MA or PR (isoCountry is US)',
      );
    },
  );

  it.each(['ON', 'qc', 'NU', 'YT'])('accepts the Canadian province or territory code %s', (region) => {
    const value = accepted(addr({ region, isoCountry: 'CA', postalCode: 'K1A 0B1' }));
    expect(value.address.region).toBe(region.toUpperCase());
  });

  it.each(['MA', 'British Columbia', 'PQ'])('refuses the Canadian region %j', (region) => {
    expect(
      messageAt(issuesOf(addr({ region, isoCountry: 'CA', postalCode: 'K1A 0B1' })), 'address.region'),
    ).toBe('must be a Canadian province or territory code like ON or BC (isoCountry is CA)');
  });

  it('checks a corrected region alone against both countries, and the merged request against its own', () => {
    const alone = parseRegistrationCorrection({ address: { region: 'Narnia' } });
    expect(alone.ok ? [] : alone.issues).toEqual([
      {
        path: 'address.region',
        message: 'must be a US state or territory code (MA) or a Canadian province or territory code (ON)',
      },
    ]);
    const merged = mergeCorrection(SAMPLE, { address: { region: 'ON' } });
    expect(merged.ok ? [] : merged.issues).toEqual([
      {
        path: 'address.region',
        message: 'must be a US state or territory code like MA or PR (isoCountry is US)',
      },
    ]);
  });
});

describe('business phone (000: "a well-formatted number")', () => {
  const phone = (phoneNumber: string) => requestWith({ soleProprietor: { phoneNumber } });

  it.each([
    '+14155550123',
    '+442071838750',
    '+33142685300',
    '+8613800138000',
    '+35312345678',
    '+97142345678',
  ])('accepts %s, whose country calling code is in service', (phoneNumber) => {
    expect(accepted(phone(phoneNumber)).soleProprietor.phoneNumber).toBe(phoneNumber);
  });

  it.each(['+999999999999999', '+8091234567', '+2801234567', '+3841234567'])(
    'refuses %s: no country has that calling code',
    (phoneNumber) => {
      expect(messageAt(issuesOf(phone(phoneNumber)), 'soleProprietor.phoneNumber')).toMatch(
        /^must start with a country calling code in use, like \+1 or \+44 \(\+\d{3}… is none\)$/,
      );
    },
  );

  it.each(['+1415555012', '+141555501234', '+10155550123', '+14150550123'])(
    'refuses the +1 number %s that is not a North American number',
    (phoneNumber) => {
      expect(messageAt(issuesOf(phone(phoneNumber)), 'soleProprietor.phoneNumber')).toBe(
        'must be a North American number: +1 and 10 digits, like +14155550123',
      );
    },
  );

  it('keeps the E.164 message for what is not E.164 at all', () => {
    expect(messageAt(issuesOf(phone('4155550123')), 'soleProprietor.phoneNumber')).toBe(
      'must be an E.164 number: "+", country code and number, like +14155550123',
    );
  });
});

describe('campaign lengths (002)', () => {
  const campaign = (c: Record<string, unknown>) => requestWith({ campaign: c });

  it.each([
    ['description', 40, 4096, chars],
    ['messageFlow', 40, 2048, flow],
  ])('%s is %i–%i characters', (field, min, max, valid) => {
    expect(accepted(campaign({ [field]: valid(min) })).campaign).toHaveProperty(field, valid(min));
    expect(accepted(campaign({ [field]: valid(max) })).campaign).toHaveProperty(field, valid(max));
    expect(messageAt(issuesOf(campaign({ [field]: chars(min - 1) })), `campaign.${field}`)).toBe(
      `must be at least ${min} characters (it has ${min - 1})`,
    );
    expect(messageAt(issuesOf(campaign({ [field]: chars(max + 1) })), `campaign.${field}`)).toBe(
      `must be at most ${max} characters (it has ${max + 1})`,
    );
  });

  it('counts characters, not UTF-16 units', () => {
    const emoji = `${'🙂'.repeat(20)}opt in by SMS ${chars(6)}`; // 40 characters, 60 UTF-16 units
    expect(accepted(campaign({ messageFlow: emoji })).campaign.messageFlow).toBe(emoji);
    expect(messageAt(issuesOf(campaign({ messageFlow: '🙂'.repeat(39) })), 'campaign.messageFlow')).toBe(
      'must be at least 40 characters (it has 39)',
    );
  });

  it('takes 2–5 samples', () => {
    const sample = COMPLIANT_SAMPLE;
    expect(
      accepted(campaign({ messageSamples: Array(2).fill(sample) })).campaign.messageSamples,
    ).toHaveLength(2);
    expect(
      accepted(campaign({ messageSamples: Array(5).fill(sample) })).campaign.messageSamples,
    ).toHaveLength(5);
    expect(messageAt(issuesOf(campaign({ messageSamples: [sample] })), 'campaign.messageSamples')).toBe(
      'must have at least 2 sample messages',
    );
    expect(
      messageAt(issuesOf(campaign({ messageSamples: Array(6).fill(sample) })), 'campaign.messageSamples'),
    ).toBe('must have at most 5 sample messages');
    expect(messageAt(issuesOf(campaign({ messageSamples: 'one' })), 'campaign.messageSamples')).toBe(
      'must be a list of sample messages',
    );
  });

  it('takes samples of 20–1024 characters each, reporting each bad one', () => {
    expect(
      accepted(campaign({ messageSamples: [COMPLIANT_SAMPLE, chars(1024)] })).campaign.messageSamples,
    ).toEqual([COMPLIANT_SAMPLE, chars(1024)]);
    const issues = issuesOf(campaign({ messageSamples: [chars(19), chars(30), chars(1025)] }));
    expect(issues).toEqual([
      { path: 'campaign.messageSamples.0', message: 'must be at least 20 characters (it has 19)' },
      { path: 'campaign.messageSamples.2', message: 'must be at most 1024 characters (it has 1025)' },
    ]);
  });

  it.each(['optInMessage', 'optOutMessage', 'helpMessage'])('%s is 20–320 characters', (field) => {
    const group: Record<string, unknown> =
      field === 'optInMessage' ? { optInKeywords: ['START'] } : { ...SELF_MANAGED_OPT_OUT };
    expect(accepted(campaign({ ...group, [field]: chars(20) })).campaign).toHaveProperty(field, chars(20));
    expect(accepted(campaign({ ...group, [field]: chars(320) })).campaign).toHaveProperty(field, chars(320));
    expect(messageAt(issuesOf(campaign({ ...group, [field]: chars(19) })), `campaign.${field}`)).toBe(
      'must be at least 20 characters (it has 19)',
    );
    expect(messageAt(issuesOf(campaign({ ...group, [field]: chars(321) })), `campaign.${field}`)).toBe(
      'must be at most 320 characters (it has 321)',
    );
  });

  it('takes alphanumeric keywords of at most 255 characters in all', () => {
    const withKeywords = (optInKeywords: unknown) =>
      campaign({ optInMessage: chars(40), optInKeywords: optInKeywords });
    // 51 keywords of 4 characters + 50 commas = 254; one more character makes 255; two make 256.
    const keywords = Array.from({ length: 51 }, () => 'JOIN');
    expect(accepted(withKeywords([...keywords.slice(0, 50), 'JOINX'])).campaign.optInKeywords).toHaveLength(
      51,
    );
    expect(
      messageAt(issuesOf(withKeywords([...keywords.slice(0, 50), 'JOINXY'])), 'campaign.optInKeywords'),
    ).toBe('must be at most 255 characters in all, joined with commas (they are 256)');
    expect(accepted(withKeywords([chars(255)])).campaign.optInKeywords).toEqual([chars(255)]);
    expect(messageAt(issuesOf(withKeywords([chars(256)])), 'campaign.optInKeywords')).toContain(
      'at most 255',
    );

    const issues = issuesOf(withKeywords(['START', 'OPT-IN', 'yes please', '']));
    expect(paths(issues)).toEqual([
      'campaign.optInKeywords.1',
      'campaign.optInKeywords.2',
      'campaign.optInKeywords.3',
    ]);
    expect(issues[0].message).toBe('must be letters and digits only (no spaces or punctuation)');
    expect(messageAt(issuesOf(withKeywords([])), 'campaign.optInKeywords')).toBe(
      'must list at least one keyword (or leave the field out)',
    );
  });
});

describe('campaign opt-in / opt-out rules (000 5, 002)', () => {
  const campaign = (c: Record<string, unknown>) => requestWith({ campaign: c });

  it('uses Twilio default opt-out when all four opt-out/help fields are left out', () => {
    const value = accepted(SAMPLE);
    for (const field of ['optOutMessage', 'optOutKeywords', 'helpMessage', 'helpKeywords'])
      expect(value.campaign).not.toHaveProperty(field);
  });

  it('requires all four opt-out/help fields once any is given', () => {
    const issues = issuesOf(campaign({ optOutKeywords: ['STOP'] }));
    expect(paths(issues)).toEqual([
      'campaign.optOutMessage',
      'campaign.helpMessage',
      'campaign.helpKeywords',
    ]);
    expect(issues[0].message).toMatch(
      /^is required when you manage opt-out yourself \(optOutKeywords given\)/,
    );
  });

  it.each(['optOutMessage', 'optOutKeywords', 'helpMessage', 'helpKeywords'] as const)(
    'names %s when it alone is missing',
    (missing) => {
      const issues = issuesOf(campaign({ ...SELF_MANAGED_OPT_OUT, [missing]: undefined }));
      expect(paths(issues)).toEqual([`campaign.${missing}`]);
    },
  );

  it('requires the opt-in message and keywords together', () => {
    expect(messageAt(issuesOf(campaign({ optInKeywords: ['START'] })), 'campaign.optInMessage')).toBe(
      'is required together with optInKeywords (the opt-in keywords and their auto-reply go together)',
    );
    expect(messageAt(issuesOf(campaign({ optInMessage: chars(40) })), 'campaign.optInKeywords')).toMatch(
      /^is required together with optInMessage/,
    );
  });

  it('checks the groups even when other campaign fields are bad', () => {
    const issues = issuesOf(campaign({ description: 'short', optOutKeywords: ['STOP'] }));
    expect(paths(issues)).toEqual([
      'campaign.description',
      'campaign.optOutMessage',
      'campaign.helpMessage',
      'campaign.helpKeywords',
    ]);
  });
});

describe('SIDs and flags', () => {
  it('checks the phone number and Messaging Service SIDs', () => {
    const issues = issuesOf(
      requestWith({
        phoneNumberSid: 'MG0123456789abcdef0123456789abcdef',
        messagingServiceSid: 'MG0123456789abcdef0123456789abcde',
      }),
    );
    expect(messageAt(issues, 'phoneNumberSid')).toBe(
      'must be a phone number SID: "PN" followed by 32 hex digits',
    );
    expect(messageAt(issues, 'messagingServiceSid')).toBe(
      'must be a Messaging Service SID: "MG" followed by 32 hex digits',
    );
  });

  it('accepts an existing Messaging Service and the mock flag', () => {
    const value = accepted(
      requestWith({ messagingServiceSid: 'MG0123456789abcdef0123456789abcdef', mock: true }),
    );
    expect(value).toMatchObject({ messagingServiceSid: 'MG0123456789abcdef0123456789abcdef', mock: true });
  });
});

describe('corrections', () => {
  const correctionIssues = (input: unknown) => {
    const parsed = parseRegistrationCorrection(input);
    if (parsed.ok) throw new Error('expected a rejection');
    return parsed.issues;
  };

  it('accepts any subset of fields', () => {
    const parsed = parseRegistrationCorrection({
      soleProprietor: { email: ' jane@pottery.example.com ' },
      campaign: { description: chars(40) },
    });
    expect(parsed).toEqual({
      ok: true,
      value: { soleProprietor: { email: 'jane@pottery.example.com' }, campaign: { description: chars(40) } },
    });
  });

  it('needs at least one field', () => {
    for (const empty of [{}, { soleProprietor: {} }, { address: {}, campaign: {} }]) {
      expect(correctionIssues(empty)).toEqual([
        {
          path: '(correction)',
          message:
            'must change messagingServiceSid or at least one field of soleProprietor, address or campaign',
        },
      ]);
    }
  });

  it('checks every given field by the request rules and reports all of them', () => {
    const issues = correctionIssues({
      soleProprietor: { mobilePhoneNumber: '+447700900123', brandName: 'jane@example.com' },
      address: { isoCountry: 'MX' },
      campaign: { messageSamples: ['short'] },
    });
    expect(paths(issues)).toEqual([
      'soleProprietor.mobilePhoneNumber',
      'soleProprietor.brandName',
      'address.isoCountry',
      'campaign.messageSamples.0',
      'campaign.messageSamples',
    ]);
  });

  it('rejects unknown keys at any level', () => {
    const issues = correctionIssues({ campagin: {}, address: { zipCode: '02215' } });
    expect(issues).toEqual([
      {
        path: 'address.zipCode',
        message:
          'is not a known field (known fields: customerName, street, streetSecondary, city, region, postalCode, isoCountry)',
      },
      { path: 'campagin', message: 'is not a known field; did you mean "campaign"?' },
      {
        path: '(correction)',
        message:
          'must change messagingServiceSid or at least one field of soleProprietor, address or campaign',
      },
    ]);
  });

  it('checks a postal code against the country given with it, or against both countries', () => {
    expect(parseRegistrationCorrection({ address: { postalCode: 'K1A 0B1', isoCountry: 'CA' } }).ok).toBe(
      true,
    );
    expect(parseRegistrationCorrection({ address: { postalCode: 'K1A 0B1' } }).ok).toBe(true);
    expect(correctionIssues({ address: { postalCode: '02215', isoCountry: 'CA' } })).toEqual([
      {
        path: 'address.postalCode',
        message: 'must be a Canadian postal code like K1A 0B1 (isoCountry is CA)',
      },
    ]);
    expect(correctionIssues({ address: { postalCode: '123' } })).toEqual([
      {
        path: 'address.postalCode',
        message: 'must be a US ZIP code (94016) or a Canadian postal code (K1A 0B1)',
      },
    ]);
  });
});

describe('applyCorrection / mergeCorrection', () => {
  it('deep-merges the given fields and keeps the rest', () => {
    const corrected = applyCorrection(SAMPLE, {
      soleProprietor: { email: 'jane@pottery.example.com' },
      address: { street: '2 Jersey St', streetSecondary: 'Unit 4' },
    });
    expect(corrected).toEqual({
      ...SAMPLE,
      soleProprietor: { ...SAMPLE.soleProprietor, email: 'jane@pottery.example.com' },
      address: { ...SAMPLE.address, street: '2 Jersey St', streetSecondary: 'Unit 4' },
    });
  });

  it('moves an address to Canada when country, region and postal code change together', () => {
    const corrected = applyCorrection(SAMPLE, {
      address: {
        street: '111 Wellington St',
        city: 'Ottawa',
        region: 'ON',
        postalCode: 'K1A 0A9',
        isoCountry: 'CA',
      },
    });
    expect(corrected.address).toMatchObject({
      isoCountry: 'CA',
      postalCode: 'K1A 0A9',
      customerName: 'Jane Doe',
    });
  });

  it('does not change the request it was given', () => {
    const before = structuredClone(SAMPLE);
    applyCorrection(SAMPLE, { campaign: { ...SELF_MANAGED_OPT_OUT } });
    expect(SAMPLE).toEqual(before);
  });

  it('ignores fields given as undefined', () => {
    const corrected = applyCorrection(SAMPLE, {
      soleProprietor: { firstName: 'Janet', lastName: undefined },
    });
    expect(corrected.soleProprietor).toMatchObject({ firstName: 'Janet', lastName: 'Doe' });
  });

  it('revalidates rules that span fields on the merged request', () => {
    const merged = mergeCorrection(SAMPLE, { address: { postalCode: 'K1A 0B1' } });
    expect(merged).toEqual({
      ok: false,
      issues: [
        {
          path: 'address.postalCode',
          message: 'must be a US ZIP code like 94016 or 02215-4147 (isoCountry is US)',
        },
      ],
    });
    const halfOptOut = mergeCorrection(SAMPLE, { campaign: { optOutKeywords: ['STOP'] } });
    expect(halfOptOut.ok).toBe(false);
  });

  it('throws InvalidRegistrationError naming each bad field', () => {
    let thrown: unknown;
    try {
      applyCorrection(SAMPLE, { campaign: { helpKeywords: ['HELP'] } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidRegistrationError);
    const error = thrown as InvalidRegistrationError;
    expect(paths(error.issues)).toEqual([
      'campaign.optOutMessage',
      'campaign.optOutKeywords',
      'campaign.helpMessage',
    ]);
    expect(error.message).toMatch(/^The corrected request is invalid:\ncampaign\.optOutMessage: is required/);
  });

  it('applies a full self-managed opt-out correction', () => {
    const corrected = applyCorrection(SAMPLE, { campaign: { ...SELF_MANAGED_OPT_OUT } });
    expect(corrected.campaign).toMatchObject(SELF_MANAGED_OPT_OUT);
    expect(corrected.campaign.description).toBe(SAMPLE.campaign.description);
  });
});

describe('campaign pre-vetting in validation (campaign-review/)', () => {
  const noOptOut = [
    'Jane Doe Pottery: your order [order id] is ready for pickup.',
    'Jane Doe Pottery: your class starts at [time] tomorrow.',
  ];

  it('refuses a request whose campaign would be rejected, naming the field and the Twilio code', () => {
    const issues = issuesOf(requestWith({ campaign: { messageSamples: noOptOut } }));
    expect(paths(issues)).toEqual(['campaign.messageSamples']);
    expect(issues[0].message).toMatch(
      /^no sample message says how to opt out \(Twilio would reject it with 30893\)/,
    );
    expect(issues[0].message).toContain(
      'Example: "Jane Doe Pottery: your order [order id] is ready for pickup. Reply STOP',
    );
  });

  it('reports bad fields and blocking findings together', () => {
    const issues = issuesOf(
      requestWith({ soleProprietor: { email: 'nope' }, campaign: { messageSamples: noOptOut } }),
    );
    expect(paths(issues)).toEqual(['soleProprietor.email', 'campaign.messageSamples']);
  });

  it('does not review a campaign whose own fields are invalid', () => {
    const issues = issuesOf(requestWith({ campaign: { messageSamples: ['too short'] } }));
    expect(paths(issues)).toEqual(['campaign.messageSamples.0', 'campaign.messageSamples']);
    expect(issues[1].message).toBe('must have at least 2 sample messages');
  });

  it('accepts a campaign with warnings only (they are the caller to show and accept)', () => {
    const messageFlow = 'Customers opt in to SMS on our website janedoepottery.example.com/signup.';
    expect(accepted(requestWith({ campaign: { messageFlow } })).campaign.messageFlow).toBe(messageFlow);
  });

  it('names the business by the brand name or the owner name', () => {
    const samples = [
      'Hi, Jane Doe here: your order is ready. Reply STOP to opt out.',
      'Your class is at [time].',
    ];
    expect(accepted(requestWith({ campaign: { messageSamples: samples } })).campaign.messageSamples).toEqual(
      samples,
    );
    expect(
      paths(
        issuesOf(
          requestWith({ soleProprietor: { firstName: 'Janet' }, campaign: { messageSamples: samples } }),
        ),
      ),
    ).toEqual(['campaign.messageSamples']);
  });

  it('refuses a correction whose merged campaign would be blocked, even one that changes no campaign field', () => {
    const renamed = { soleProprietor: { firstName: 'Ann', lastName: 'Roe', brandName: 'Ann Roe Ceramics' } };
    const merged = mergeCorrection(SAMPLE, renamed);
    expect(merged.ok).toBe(false);
    expect(merged.ok ? [] : paths(merged.issues)).toEqual(['campaign.messageSamples']);
    expect(mergeCorrection(SAMPLE, { campaign: { messageSamples: noOptOut } }).ok).toBe(false);
  });

  it('applies an accepted correction by the field rules alone, so a replay applies it as it was accepted', () => {
    const renamed = { soleProprietor: { firstName: 'Ann', lastName: 'Roe', brandName: 'Ann Roe Ceramics' } };
    expect(applyCorrection(SAMPLE, renamed).soleProprietor.brandName).toBe('Ann Roe Ceramics');
  });
});

describe('addressForTwilio', () => {
  test("an address without customerName carries the sole proprietor's name (004: CustomerName is required)", () => {
    const request = structuredClone(SAMPLE_REGISTRATION_REQUEST);
    delete request.address.customerName;
    expect(addressForTwilio(request).customerName).toBe(
      `${request.soleProprietor.firstName} ${request.soleProprietor.lastName}`,
    );
    expect(
      addressForTwilio({ ...request, address: { ...request.address, customerName: 'Doe Studio' } })
        .customerName,
    ).toBe('Doe Studio');
  });
});
