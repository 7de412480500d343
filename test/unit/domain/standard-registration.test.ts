import {
  type FieldIssue,
  parseAnyRegistrationRequest,
  parseStandardRegistrationRequest,
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
  isStandard,
  standardAddressForTwilio,
} from '../../../src/domain';

const SAMPLE = SAMPLE_STANDARD_REQUEST;

/**
 * A deep copy of the sample with fields set by dotted path (`business.websiteUrl`,
 * `campaigns.0.usecase`); undefined removes a field.
 */
function requestWith(fields: Record<string, unknown>): unknown {
  const copy = structuredClone(SAMPLE) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(fields)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let at = copy;
    for (const k of keys) at = at[k] as Record<string, unknown>;
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return copy;
}

function issuesOf(input: unknown): FieldIssue[] {
  const parsed = parseStandardRegistrationRequest(input);
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.value)}`);
  return parsed.issues;
}

const paths = (input: unknown) => issuesOf(input).map((i) => i.path);

describe('Standard registration request', () => {
  it('accepts the sample, and the Low-Volume Standard, non-profit, government and public variants', () => {
    expect(parseStandardRegistrationRequest(SAMPLE).ok).toBe(true);
    const variants = [
      requestWith({ brandType: 'LOW_VOLUME_STANDARD' }),
      requestWith({
        'business.type': 'Non-profit Corporation',
        'business.industry': 'NOT_FOR_PROFIT',
        'messagingProfile.companyType': 'non_profit',
      }),
      requestWith({ 'business.industry': 'GOVERNMENT', 'messagingProfile.companyType': 'government' }),
      requestWith({
        'business.type': 'Corporation',
        messagingProfile: {
          companyType: 'public',
          stockExchange: 'NASDAQ',
          stockTicker: 'acme',
          brandContactEmail: 'ir@acme.example.com',
        },
      }),
    ];
    for (const v of variants) {
      const parsed = parseStandardRegistrationRequest(v);
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    }
    const publicOne = parseStandardRegistrationRequest(variants[3]);
    expect(publicOne.ok && publicOne.value.messagingProfile.stockTicker).toBe('ACME');
  });

  it('accepts a business outside the US and Canada', () => {
    const uk = requestWith({
      'business.registrationIdentifier': 'CN',
      'business.registrationNumber': '01234567',
      'business.regionsOfOperation': ['EUROPE'],
      address: {
        street: '1 High St',
        city: 'London',
        region: 'Greater London',
        postalCode: 'EC1A 1BB',
        isoCountry: 'gb',
      },
    });
    const parsed = parseStandardRegistrationRequest(uk);
    expect(parsed.ok ? parsed.value.address.isoCountry : parsed.issues).toBe('GB');
  });

  it('names each bad field, all at once', () => {
    const bad = requestWith({
      brandType: 'SILVER',
      'business.registrationNumber': '123',
      'business.regionsOfOperation': [],
      'business.websiteUrl': 'acme',
      'authorizedRepresentatives.0.jobPosition': 'Boss',
      'authorizedRepresentatives.0.email': 'ada',
      'address.postalCode': 'ABC',
      'campaigns.0.usecase': 'SOLE_PROPRIETOR',
      'campaigns.0.phoneNumberSids': [],
    });
    expect(paths(bad).sort()).toEqual(
      [
        'brandType',
        'business.registrationNumber',
        'business.regionsOfOperation',
        'business.websiteUrl',
        'authorizedRepresentatives.0.jobPosition',
        'authorizedRepresentatives.0.email',
        'address.postalCode',
        'campaigns.0.usecase',
        'campaigns.0.phoneNumberSids',
      ].sort(),
    );
  });

  it('asks a public company for its exchange and ticker, and refuses them for others', () => {
    const publicWithout = requestWith({ 'messagingProfile.companyType': 'public' });
    expect(paths(publicWithout)).toEqual(['messagingProfile.stockExchange', 'messagingProfile.stockTicker']);
    const privateWith = requestWith({ 'messagingProfile.stockTicker': 'ACME' });
    expect(paths(privateWith)).toEqual(['messagingProfile.stockTicker']);
    const lowVolumePublic = requestWith({
      brandType: 'LOW_VOLUME_STANDARD',
      messagingProfile: {
        companyType: 'public',
        stockExchange: 'NYSE',
        stockTicker: 'ACME',
        brandContactEmail: 'ir@acme.example.com',
      },
    });
    expect(paths(lowVolumePublic)).toEqual(['brandType']);
  });

  it('allows one to five campaigns, each on its own service, a number in one campaign only', () => {
    const campaign = SAMPLE.campaigns[0];
    const six = requestWith({
      campaigns: Array.from({ length: 6 }, (_, i) => ({
        ...campaign,
        phoneNumberSids: [`PN${String(i + 10).padStart(32, '0')}`],
      })),
    });
    expect(paths(six)).toEqual(['campaigns']);
    expect(paths(requestWith({ campaigns: [] }))).toEqual(['campaigns']);
    const service = 'MG' + '1'.repeat(32);
    const shared = requestWith({
      campaigns: [
        { ...campaign, messagingServiceSid: service },
        { ...campaign, usecase: 'MARKETING', messagingServiceSid: service },
      ],
    });
    expect(paths(shared)).toEqual(['campaigns.1.messagingServiceSid', 'campaigns.1.phoneNumberSids.0']);
  });

  it('pre-vets each campaign against the business name before any fee', () => {
    const anonymous = requestWith({
      'campaigns.0.messageSamples': [
        'Your visit is booked for tomorrow at noon. Reply STOP to opt out.',
        'Your plumber is on the way now, see you soon. Reply HELP for help.',
      ],
    });
    expect(paths(anonymous)).toContain('campaigns.0.messageSamples');
  });

  it('tells the two kinds apart by brandType', () => {
    const standard = parseAnyRegistrationRequest(SAMPLE);
    expect(standard.ok && isStandard(standard.value)).toBe(true);
    const soleProprietor = parseAnyRegistrationRequest(SAMPLE_REGISTRATION_REQUEST);
    expect(soleProprietor.ok && isStandard(soleProprietor.value)).toBe(false);
    const explicit = parseAnyRegistrationRequest({
      ...SAMPLE_REGISTRATION_REQUEST,
      brandType: 'SOLE_PROPRIETOR',
    });
    expect(explicit.ok && isStandard(explicit.value)).toBe(false);
  });

  it("gives the address the business's legal name when it names no one", () => {
    expect(standardAddressForTwilio(SAMPLE).customerName).toBe('Acme Plumbing LLC');
  });
});
