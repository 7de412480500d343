import {
  CAMPAIGN_RULES,
  type CampaignFinding,
  type CampaignInfo,
  type CampaignReviewContext,
  reviewCampaign,
  reviewCorrectionCampaign,
  SAMPLE_REGISTRATION_REQUEST,
  soleProprietorContext,
} from '../../../../src/domain';

/** One describe per rule, named after it: each rule fires on a bad campaign and not on the fixed one. */

const BASE: CampaignInfo = SAMPLE_REGISTRATION_REQUEST.campaign;
const JANE = soleProprietorContext(SAMPLE_REGISTRATION_REQUEST.soleProprietor);

function findings(changes: Partial<CampaignInfo>, context: CampaignReviewContext = JANE): CampaignFinding[] {
  return reviewCampaign({ ...BASE, ...changes }, context).findings;
}
const fired = (rule: string, changes: Partial<CampaignInfo>, context?: CampaignReviewContext) =>
  findings(changes, context).filter((f) => f.rule === rule);
const fires = (rule: string, changes: Partial<CampaignInfo>, context?: CampaignReviewContext) =>
  fired(rule, changes, context).length > 0;

const STANDARD = (usecase: string): CampaignReviewContext => ({
  businessNames: ['Jane Doe Pottery'],
  brandType: 'STANDARD',
  usecase,
});

test('the sample campaign passes every rule without a finding', () => {
  expect(findings({})).toEqual([]);
});

test('every rule has a unique id, a Twilio code in the 30xxx range and a source', () => {
  const ids = CAMPAIGN_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of CAMPAIGN_RULES) {
    expect(rule.code).toBeGreaterThanOrEqual(30800);
    expect(rule.code).toBeLessThan(31000);
    expect(rule.source.length).toBeGreaterThan(20);
  }
  // Blocking rules come first, so findings list what refuses a request before what only warns.
  const levels = CAMPAIGN_RULES.map((r) => r.level);
  expect(levels.indexOf('warning')).toBeGreaterThan(levels.lastIndexOf('blocking'));
});

describe('sample-opt-out-language', () => {
  const rule = 'sample-opt-out-language';
  const noOptOut = [
    'Jane Doe Pottery: your order [order id] is ready for pickup.',
    'Jane Doe Pottery: your class starts at [time] tomorrow.',
  ];

  test('fires, blocking with 30893 and a fix, when no sample says how to opt out', () => {
    const [finding] = fired(rule, { messageSamples: noOptOut });
    expect(finding).toMatchObject({ level: 'blocking', code: 30893, field: 'messageSamples' });
    expect(finding.fix).toMatch(/opt-out/);
    expect(finding.example).toContain('Reply STOP');
  });

  test.each([
    'Reply STOP to opt out.',
    'Text stop to unsubscribe.',
    'Opt-out: reply END.',
    'To unsubscribe reply QUIT',
    'Msg&data rates may apply. STOPALL to end.',
  ])('accepts the opt-out language %j in one sample', (optOut) => {
    expect(fires(rule, { messageSamples: [`${noOptOut[0]} ${optOut}`, noOptOut[1]] })).toBe(false);
  });

  test('"stop by the studio" in lower case is not an opt-out instruction', () => {
    expect(fires(rule, { messageSamples: [`${noOptOut[0]} Stop by anytime!`, noOptOut[1]] })).toBe(true);
  });

  test("accepts the campaign's own opt-out keyword", () => {
    const own = ['Jane Doe Pottery: order [order id] ready. ARRET pour vous désabonner.', noOptOut[1]];
    expect(fires(rule, { messageSamples: own })).toBe(true);
    expect(
      fires(rule, {
        messageSamples: own,
        optOutKeywords: ['ARRET'],
        optOutMessage: 'Jane Doe Pottery: you are unsubscribed and will receive no further messages.',
        helpKeywords: ['HELP'],
        helpMessage: 'Jane Doe Pottery: help at janedoepottery.example.com. Reply ARRET to opt out.',
      }),
    ).toBe(false);
  });
});

describe('sample-business-name', () => {
  const rule = 'sample-business-name';
  const anonymous = [
    'Your order [order id] is ready for pickup. Reply STOP to opt out.',
    'Reminder: your class starts at [time] tomorrow.',
  ];

  test('fires, blocking with 30893, when no sample names the business', () => {
    const [finding] = fired(rule, { messageSamples: anonymous });
    expect(finding).toMatchObject({ level: 'blocking', code: 30893, field: 'messageSamples' });
    expect(finding.problem).toContain('"Jane Doe Pottery"');
  });

  test('accepts the brand name in any case and punctuation, the owner name, or a website spelling it', () => {
    for (const first of [
      'JANE DOE POTTERY - your order [order id] is ready. Reply STOP to opt out.',
      'Hi, this is Jane Doe: your order [order id] is ready. Reply STOP to opt out.',
      'Your order is ready: https://janedoepottery.com/orders/[order id]. Reply STOP to opt out.',
    ]) {
      expect(
        fires(rule, { messageSamples: [first, anonymous[1]], hasEmbeddedLinks: /https/.test(first) }),
      ).toBe(false);
    }
  });

  test('accepts a brand name without its legal form', () => {
    const context = { ...JANE, businessNames: ['Acme Sandwich Company LLC'] };
    const samples = ['Acme Sandwich Company: your order is ready. Reply STOP to opt out.', anonymous[1]];
    expect(fires(rule, { messageSamples: samples }, context)).toBe(false);
  });

  test('is skipped, not guessed, when the business name is unknown', () => {
    const review = reviewCampaign({ ...BASE, messageSamples: anonymous }, { ...JANE, businessNames: [] });
    expect(review.findings.map((f) => f.rule)).not.toContain(rule);
    expect(review.skipped).toContainEqual({ rule, reason: 'needs the business name' });
  });
});

describe('embedded-links-match-samples', () => {
  const rule = 'embedded-links-match-samples';
  const withLink = [
    'Jane Doe Pottery: track your order at https://janedoepottery.example.com/t/[id]. Reply STOP to opt out.',
    BASE.messageSamples[1],
  ];

  test('fires, blocking, when a sample has a link but hasEmbeddedLinks is false', () => {
    const [finding] = fired(rule, { messageSamples: withLink, hasEmbeddedLinks: false });
    expect(finding).toMatchObject({ level: 'blocking', code: 30893, field: 'hasEmbeddedLinks' });
    expect(finding.problem).toContain('sample 1');
  });

  test('fires when hasEmbeddedLinks is true but no sample has a link', () => {
    expect(fires(rule, { hasEmbeddedLinks: true })).toBe(true);
  });

  test('passes when the flag matches the samples, bare domains and [link] placeholders included', () => {
    expect(fires(rule, { messageSamples: withLink, hasEmbeddedLinks: true })).toBe(false);
    const bare = [
      'Jane Doe Pottery: menu at janedoepottery.com. Reply STOP to opt out.',
      BASE.messageSamples[1],
    ];
    expect(fires(rule, { messageSamples: bare, hasEmbeddedLinks: false })).toBe(true);
    const templated = [
      'Jane Doe Pottery: track it at [tracking link]. Reply STOP to opt out.',
      BASE.messageSamples[1],
    ];
    expect(fires(rule, { messageSamples: templated, hasEmbeddedLinks: true })).toBe(false);
  });

  test('an email address is not a link', () => {
    const email = [
      'Jane Doe Pottery: questions? jane@janedoepottery.com. Reply STOP to opt out.',
      BASE.messageSamples[1],
    ];
    expect(fires(rule, { messageSamples: email, hasEmbeddedLinks: false })).toBe(false);
  });
});

describe('embedded-phone-match-samples', () => {
  const rule = 'embedded-phone-match-samples';
  const withPhone = [
    'Jane Doe Pottery: questions? Call (415) 555-0123. Reply STOP to opt out.',
    BASE.messageSamples[1],
  ];

  test('fires, blocking with 30889, when a sample has a number but hasEmbeddedPhone is false', () => {
    expect(fired(rule, { messageSamples: withPhone, hasEmbeddedPhone: false })).toEqual([
      expect.objectContaining({ level: 'blocking', code: 30889, field: 'hasEmbeddedPhone' }),
    ]);
  });

  test('fires when hasEmbeddedPhone is true but no sample has a number', () => {
    expect(fires(rule, { hasEmbeddedPhone: true })).toBe(true);
  });

  test.each(['+14155550123', '415-555-0123', '415.555.0123', '1 (415) 555 0123', '[phone number]'])(
    'recognises %s as a phone number',
    (number) => {
      const samples = [`Jane Doe Pottery: call ${number}. Reply STOP to opt out.`, BASE.messageSamples[1]];
      expect(fires(rule, { messageSamples: samples, hasEmbeddedPhone: true })).toBe(false);
      expect(fires(rule, { messageSamples: samples, hasEmbeddedPhone: false })).toBe(true);
    },
  );

  test('an order id or a six-digit code is not a phone number', () => {
    const samples = [
      'Jane Doe Pottery: order 123456 is ready. Reply STOP to opt out.',
      BASE.messageSamples[1],
    ];
    expect(fires(rule, { messageSamples: samples, hasEmbeddedPhone: false })).toBe(false);
  });
});

describe('sample-public-url-shortener', () => {
  const rule = 'sample-public-url-shortener';

  test.each(['https://bit.ly/3xYz', 'tinyurl.com/abc123', 'http://t.co/x'])(
    'fires, blocking with 30892, on the public shortener %s',
    (link) => {
      const samples = [BASE.messageSamples[0], `Jane Doe Pottery: class photos at ${link}`];
      expect(fired(rule, { messageSamples: samples, hasEmbeddedLinks: true })).toEqual([
        expect.objectContaining({ level: 'blocking', code: 30892, field: 'messageSamples.1' }),
      ]);
    },
  );

  test("passes a link on the business's own domain", () => {
    const samples = [
      BASE.messageSamples[0],
      'Jane Doe Pottery: class photos at https://janedoepottery.com/p',
    ];
    expect(fires(rule, { messageSamples: samples, hasEmbeddedLinks: true })).toBe(false);
  });
});

describe('message-flow-consent', () => {
  const rule = 'message-flow-consent';

  test.each([
    'We send text messages to our customers about their orders and classes.',
    'Customers give us their phone number at checkout and receive SMS updates.',
  ])('fires, blocking with 30896, on %j', (messageFlow) => {
    expect(fired(rule, { messageFlow })).toEqual([
      expect.objectContaining({ level: 'blocking', code: 30896, field: 'messageFlow' }),
    ]);
  });

  test.each([
    'Customers opt in to SMS by ticking a box at checkout.',
    'Customers text JOIN to the studio number to get class reminders by SMS.',
    'Students check an unchecked box on the signup sheet agreeing to receive text messages.',
    'Customers give verbal consent to receive SMS when booking by phone; the script is read to them.',
  ])('passes %j', (messageFlow) => {
    expect(fires(rule, { messageFlow })).toBe(false);
  });
});

describe('message-flow-sms', () => {
  const rule = 'message-flow-sms';

  test('fires, blocking, when the flow never says the consent is for text messages', () => {
    expect(
      fired(rule, {
        messageFlow: 'Customers opt in by ticking a box at checkout to hear about their orders.',
      }),
    ).toEqual([expect.objectContaining({ level: 'blocking', code: 30896, field: 'messageFlow' })]);
  });

  test.each(['SMS', 'text messages', 'texts', 'MMS'])('passes a flow that says %s', (words) => {
    expect(fires(rule, { messageFlow: `Customers opt in to ${words} by ticking a box at checkout.` })).toBe(
      false,
    );
  });
});

describe('prohibited categories', () => {
  const inDescription = (rule: string, description: string) =>
    fired(rule, { description: `${description} from Jane Doe Pottery to customers who opted in.` });

  test.each([
    ['prohibited-credit-repair', 30950, 'We repair your credit score in 30 days'],
    ['prohibited-credit-repair', 30950, 'Credit repair program updates'],
    ['prohibited-debt-relief', 30897, 'Debt consolidation offers'],
    ['prohibited-high-risk-financial', 30897, 'Payday loan approvals'],
    ['prohibited-high-risk-financial', 30897, 'Cryptocurrency price alerts'],
    ['prohibited-lead-generation', 30897, 'Lead generation for mortgage brokers'],
    ['prohibited-get-rich-quick', 30885, 'Work from home opportunity with guaranteed income'],
    ['prohibited-cannabis', 30883, 'CBD gummies and cannabis deals'],
    ['prohibited-tobacco-vape', 30883, 'New vape flavors and e-cig deals'],
  ])('%s fires, blocking with %i, on %j', (rule, code, text) => {
    expect(inDescription(rule, text)).toEqual([
      expect.objectContaining({ level: 'blocking', code, field: 'description' }),
    ]);
  });

  test('names the sample a category is found in', () => {
    const samples = [BASE.messageSamples[0], 'Jane Doe Pottery: fix your credit fast with our partner!'];
    expect(fired('prohibited-credit-repair', { messageSamples: samples })).toEqual([
      expect.objectContaining({ field: 'messageSamples.1' }),
    ]);
  });

  test.each([
    ['prohibited-credit-repair', 'Credit card payment reminders'],
    ['prohibited-debt-relief', 'Reminders of invoices due for our own services'],
    ['prohibited-high-risk-financial', 'Loan payment due-date reminders for our members'],
    ['prohibited-cannabis', 'Garden weed control visit reminders'],
    ['prohibited-tobacco-vape', 'Evaporation cooler maintenance reminders'],
    ['prohibited-tobacco-vape', 'Quit-tobacco coaching session reminders'],
    ['prohibited-get-rich-quick', 'Table bookings at the Pyramid Cafe'],
  ])('%s does not fire on the allowed %j', (rule, text) => {
    expect(inDescription(rule, text)).toEqual([]);
  });
});

describe('usecase-eligible', () => {
  const rule = 'usecase-eligible';

  test('fires, blocking with 30900, when a Sole Proprietor brand asks for another use case', () => {
    expect(fired(rule, {}, { ...JANE, usecase: 'MARKETING' })).toEqual([
      expect.objectContaining({ level: 'blocking', code: 30900, field: 'usecase' }),
    ]);
  });

  test('fires when a Standard brand asks for SOLE_PROPRIETOR', () => {
    expect(fires(rule, {}, STANDARD('SOLE_PROPRIETOR'))).toBe(true);
  });

  test('fires for a public company without Authentication+, and passes once it is done', () => {
    const publicCompany = { ...STANDARD('CUSTOMER_CARE'), companyType: 'public' as const };
    expect(fires(rule, {}, { ...publicCompany, authenticationPlusVerified: false })).toBe(true);
    expect(fires(rule, {}, { ...publicCompany, authenticationPlusVerified: true })).toBe(false);
  });

  test('passes SOLE_PROPRIETOR for a Sole Proprietor brand and CUSTOMER_CARE for a Standard one', () => {
    expect(fires(rule, {}, JANE)).toBe(false);
    expect(fires(rule, {}, STANDARD('CUSTOMER_CARE'))).toBe(false);
  });
});

describe('description-names-business', () => {
  const rule = 'description-names-business';

  test('warns with 30886 when the description does not name the business', () => {
    expect(
      fired(rule, { description: 'Order updates and class reminders to customers who opted in.' }),
    ).toEqual([expect.objectContaining({ level: 'warning', code: 30886, field: 'description' })]);
  });

  test('passes when it does', () => {
    expect(fires(rule, {})).toBe(false);
  });
});

describe('description-specific', () => {
  const rule = 'description-specific';

  test('warns when the description does not say who receives the messages', () => {
    const [finding] = fired(rule, {
      description: 'Jane Doe Pottery sends order updates and class reminders.',
    });
    expect(finding).toMatchObject({ level: 'warning', code: 30886 });
    expect(finding.problem).toContain('who receives');
  });

  test('warns when it is too vague to say why', () => {
    const [finding] = fired(rule, { description: 'Jane Doe Pottery sends messages to its customers.' });
    expect(finding.problem).toContain('too vague');
  });

  test("passes 000's example description", () => {
    const description =
      'This Campaign will send weekly marketing messages about sales and offers from Acme Sandwich Company to end customers who have opted in';
    expect(fires(rule, { description })).toBe(false);
  });
});

describe('samples-match-description', () => {
  const rule = 'samples-match-description';

  test('warns with 30893 for each sample that shares nothing with the description', () => {
    const samples = [
      BASE.messageSamples[0],
      'Jane Doe Pottery: big raffle this weekend, win a trip to Paris!',
    ];
    expect(fired(rule, { messageSamples: samples })).toEqual([
      expect.objectContaining({ level: 'warning', code: 30893, field: 'messageSamples.1' }),
    ]);
  });

  test('passes samples the description announces', () => {
    expect(fires(rule, {})).toBe(false);
  });
});

describe('samples-match-usecase', () => {
  const rule = 'samples-match-usecase';
  const promo = [
    BASE.messageSamples[0],
    'Jane Doe Pottery: 20% off all mugs this weekend! Reply STOP to opt out.',
  ];

  test('warns when a non-marketing use case carries a promotion', () => {
    expect(fired(rule, { messageSamples: promo }, STANDARD('ACCOUNT_NOTIFICATION'))).toEqual([
      expect.objectContaining({ level: 'warning', code: 30893, field: 'messageSamples.1' }),
    ]);
    expect(fires(rule, { messageSamples: promo }, STANDARD('MARKETING'))).toBe(false);
  });

  test('warns when a 2FA sample carries no code', () => {
    const samples = [
      'Jane Doe Pottery: your code is [code]. Reply STOP to opt out.',
      'Jane Doe Pottery: welcome back!',
    ];
    expect(fired(rule, { messageSamples: samples }, STANDARD('2FA'))).toEqual([
      expect.objectContaining({ field: 'messageSamples.1' }),
    ]);
  });

  test('does not judge a Sole Proprietor campaign, whose one use case covers all its messages', () => {
    expect(fires(rule, { messageSamples: promo })).toBe(false);
  });
});

describe('sample-placeholders-bracketed', () => {
  const rule = 'sample-placeholders-bracketed';

  test.each(['{first_name}', '{{name}}', '<customer name>', '%NAME%', '$firstName', 'FIRST_NAME', 'XXXXXX'])(
    'warns with 30893 on the unbracketed placeholder %s',
    (placeholder) => {
      const samples = [
        `Jane Doe Pottery: hi ${placeholder}, your order is ready. Reply STOP to opt out.`,
        BASE.messageSamples[1],
      ];
      expect(fired(rule, { messageSamples: samples })).toEqual([
        expect.objectContaining({ level: 'warning', code: 30893, field: 'messageSamples.0' }),
      ]);
    },
  );

  test('passes [bracketed] fields and prices', () => {
    const samples = [
      'Jane Doe Pottery: hi [first name], a $5 class credit is yours. Reply STOP to opt out.',
      BASE.messageSamples[1],
    ];
    expect(fires(rule, { messageSamples: samples })).toBe(false);
  });
});

describe('sample-secure-links', () => {
  const rule = 'sample-secure-links';

  test('warns with 30892 on an http:// link and suggests the https one', () => {
    const samples = [BASE.messageSamples[0], 'Jane Doe Pottery: photos at http://janedoepottery.com/p'];
    const [finding] = fired(rule, { messageSamples: samples, hasEmbeddedLinks: true });
    expect(finding).toMatchObject({ level: 'warning', code: 30892, field: 'messageSamples.1' });
    expect(finding.example).toBe('"https://janedoepottery.com/p"');
  });

  test('passes https links', () => {
    const samples = [BASE.messageSamples[0], 'Jane Doe Pottery: photos at https://janedoepottery.com/p'];
    expect(fires(rule, { messageSamples: samples, hasEmbeddedLinks: true })).toBe(false);
  });
});

describe('message-flow-opt-in-behind-login', () => {
  const rule = 'message-flow-opt-in-behind-login';
  const login = 'Members log in to the studio portal and turn on SMS reminders under Settings.';

  test('warns with 30909 when the opt-in is behind a login and no screenshot is given', () => {
    expect(fired(rule, { messageFlow: login })).toEqual([
      expect.objectContaining({ level: 'warning', code: 30909, field: 'messageFlow' }),
    ]);
  });

  test('passes once a hosted screenshot is linked', () => {
    expect(fires(rule, { messageFlow: `${login} Screenshot: https://janedoepottery.com/optin.png` })).toBe(
      false,
    );
  });
});

describe('website-opt-in-privacy-policy', () => {
  const rule = 'website-opt-in-privacy-policy';

  test('warns with 30896 when a website opt-in gives no privacy policy', () => {
    const messageFlow =
      'Customers opt in to SMS on our website janedoepottery.com; terms at janedoepottery.com/terms.';
    expect(fired(rule, { messageFlow })).toEqual([
      expect.objectContaining({ level: 'warning', code: 30896, field: 'messageFlow' }),
    ]);
  });

  test('does not ask for one when the opt-in is not on a website', () => {
    expect(
      fires(rule, { messageFlow: 'Customers opt in to SMS on a paper form at the studio counter.' }),
    ).toBe(false);
  });
});

describe('website-opt-in-terms', () => {
  const rule = 'website-opt-in-terms';

  test('warns when a website opt-in gives no terms of service', () => {
    const messageFlow =
      'Customers opt in to SMS on our web form; privacy policy at janedoepottery.com/privacy.';
    expect(fired(rule, { messageFlow })).toEqual([
      expect.objectContaining({ level: 'warning', code: 30896 }),
    ]);
  });

  test('passes 000\'s example flow ("Term and Conditions at ...")', () => {
    const messageFlow =
      'End users opt-in by visiting www.acmesandwich.com and adding their phone number. They then check a box agreeing to receive text messages from Acme Sandwiches. Term and Conditions at www.acmesandwich.com/tc. Privacy Policy at www.acmesandwich.com/privacy';
    expect(fires(rule, { messageFlow })).toBe(false);
  });
});

describe('keyword-opt-in-keywords', () => {
  const rule = 'keyword-opt-in-keywords';
  const messageFlow = 'Customers opt in by texting JOIN to the studio number for SMS class reminders.';

  test('warns with 30896, at optInKeywords, when the flow names a keyword the campaign does not list', () => {
    const [finding] = fired(rule, { messageFlow });
    expect(finding).toMatchObject({ level: 'warning', code: 30896, field: 'optInKeywords' });
    expect(finding.example).toContain('"optInKeywords": ["JOIN"]');
  });

  test('passes when the keyword is listed', () => {
    const optIn = {
      optInKeywords: ['JOIN'],
      optInMessage: 'Jane Doe Pottery: subscribed. Reply HELP for help, STOP to opt out.',
    };
    expect(fires(rule, { messageFlow, ...optIn })).toBe(false);
  });
});

describe('opt-in-message-content', () => {
  const rule = 'opt-in-message-content';

  test('warns, naming what is missing, when the opt-in reply lacks brand, help or opt-out', () => {
    const [finding] = fired(rule, {
      optInKeywords: ['JOIN'],
      optInMessage: 'You are now subscribed to updates!',
    });
    expect(finding).toMatchObject({ level: 'warning', code: 30896, field: 'optInMessage' });
    expect(finding.problem).toBe('leaves out the brand name, how to get help (HELP), how to opt out (STOP)');
  });

  test("passes 002's example opt-in message for its brand", () => {
    const optInMessage =
      'Acme Corporation: You are now opted-in. For help, reply HELP. To opt-out, reply STOP';
    expect(
      fires(
        rule,
        { optInKeywords: ['START'], optInMessage },
        { ...JANE, businessNames: ['Acme Corporation'] },
      ),
    ).toBe(false);
  });
});

describe('opt-out-message-content', () => {
  const rule = 'opt-out-message-content';
  const selfManaged = {
    optOutKeywords: ['STOP'],
    helpKeywords: ['HELP'],
    helpMessage: 'Jane Doe Pottery: help at janedoepottery.com. Reply STOP to opt out.',
  };

  test('warns with 30887 when the opt-out reply confirms nothing and names no brand', () => {
    const [finding] = fired(rule, {
      ...selfManaged,
      optOutMessage: 'Your request has been processed, thanks.',
    });
    expect(finding).toMatchObject({ level: 'warning', code: 30887, field: 'optOutMessage' });
    expect(finding.problem).toBe(
      'leaves out confirmation that no further messages will be sent and the brand name',
    );
  });

  test('passes an opt-out reply that confirms and names the brand', () => {
    const optOutMessage = 'Jane Doe Pottery: you are unsubscribed and will receive no further messages.';
    expect(fires(rule, { ...selfManaged, optOutMessage })).toBe(false);
  });
});

describe('partial campaigns (a correction)', () => {
  test('judges only the rules whose fields the part gives', () => {
    const review = reviewCampaign({ messageFlow: 'We send our customers updates.' }, JANE, { partial: true });
    expect(review.blocking.map((f) => f.rule)).toEqual(['message-flow-consent', 'message-flow-sms']);
    expect(review.skipped).toContainEqual({
      rule: 'sample-opt-out-language',
      reason: 'needs messageSamples',
    });
  });

  test('leaves a rule to the merged campaign when a field the part lacks could clear it', () => {
    const samples = ['Jane Doe Pottery: order [order id] ready. ARRET pour annuler.', BASE.messageSamples[1]];
    const review = reviewCampaign({ messageSamples: samples }, JANE, { partial: true });
    expect(review.blocking).toEqual([]);
    expect(review.skipped).toContainEqual({
      rule: 'sample-opt-out-language',
      reason: 'needs optOutKeywords',
    });
  });

  test('judges prohibited content in whichever text field is given', () => {
    const review = reviewCampaign({ description: 'Payday loan offers for our customers' }, JANE, {
      partial: true,
    });
    expect(review.blocking.map((f) => f.rule)).toEqual(['prohibited-high-risk-financial']);
  });

  test('a correction names the business only when it gives the brand name and both owner names', () => {
    const samples = [
      'Ann Roe Ceramics: your order is ready. Reply STOP to opt out.',
      'Your class is at [time].',
    ];
    const renamedBrandOnly = reviewCorrectionCampaign({
      soleProprietor: { brandName: 'Ann Roe Ceramics' },
      campaign: {
        messageSamples: ['Your order is ready. Reply STOP to opt out.', 'Your class is at [time].'],
      },
    });
    expect(renamedBrandOnly.skipped).toContainEqual({
      rule: 'sample-business-name',
      reason: 'needs the business name',
    });
    const renamed = { brandName: 'Ann Roe Ceramics', firstName: 'Ann', lastName: 'Roe' };
    expect(
      reviewCorrectionCampaign({ soleProprietor: renamed, campaign: { messageSamples: samples } }).blocking,
    ).toEqual([]);
    const other = { ...renamed, brandName: 'Bea Poe Glass', firstName: 'Bea', lastName: 'Poe' };
    expect(
      reviewCorrectionCampaign({ soleProprietor: other, campaign: { messageSamples: samples } }).blocking.map(
        (f) => f.rule,
      ),
    ).toEqual(['sample-business-name']);
  });
});
