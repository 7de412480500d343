import { SOLE_PROPRIETOR_BRAND_TYPE, SOLE_PROPRIETOR_USECASE } from '../rules';
import {
  contentWords,
  fold,
  hasPhoneNumber,
  hasPhrase,
  hostOf,
  linksIn,
  matchesFolded,
  namesBusiness,
} from './text';
import type {
  CampaignField,
  CampaignFinding,
  CampaignReviewContext,
  FindingLevel,
  ReviewedCampaign,
} from './types';

/**
 * The pre-vetting rules: each anticipates one of the reasons Twilio documents for rejecting a
 * campaign, and names the error code such a rejection carries. The sources are quoted beside each
 * rule; docs/campaign-review.md tables them. Sources:
 *  - 000: the Sole Proprietor guide's campaign step (section 5) and its parameter descriptions.
 *  - 002: the UsAppToPerson resource.
 *  - Twilio's error dictionary, https://www.twilio.com/docs/api/errors/<code>.
 *  - "A2P 10DLC Campaign Approval Requirements" / "Best Practices" (help.twilio.com 11847054539547)
 *    and "Forbidden message categories for SMS and MMS in the US and Canada" (help.twilio.com
 *    360045004974).
 *
 * Blocking rules fire only where the documents leave no doubt and the text shows it plainly, so a
 * compliant campaign is never refused; everything that needs judgement is a warning.
 *
 * Imported by workflow code: pure functions, no Node built-ins, no clock.
 */

/** What a rule reports: the finding without the fields the rule itself supplies. */
export type RuleHit = Pick<CampaignFinding, 'field' | 'problem' | 'fix' | 'example'>;

type ContextPart = 'businessNames' | 'usecase' | 'brandType';

export interface CampaignRule {
  id: string;
  level: FindingLevel;
  /** The Twilio error code a rejection for this reason carries. */
  code: number;
  /** Where the rule comes from (docs/campaign-review.md shows it). */
  source: string;
  /** One line: what the rule checks. */
  summary: string;
  /** Fields the rule judges. */
  reads: readonly CampaignField[];
  /**
   * `all`: the fields are judged together, so a partial campaign (a correction) must give every one.
   * `any`: each given field is judged on its own.
   */
  needs: 'all' | 'any';
  /**
   * Fields that can only clear a campaign the rule would otherwise flag (the campaign's own
   * opt-out keywords). A partial campaign without them is not judged, rather than judged wrongly.
   */
  clearedBy?: readonly CampaignField[];
  /** What the rule must know about the brand; without it the rule is skipped. */
  context?: readonly ContextPart[];
  check(campaign: ReviewedCampaign, context: CampaignReviewContext): RuleHit[];
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const samplesOf = (c: ReviewedCampaign) => c.messageSamples ?? [];
const namesOf = (ctx: CampaignReviewContext) => ctx.businessNames ?? [];
/** The business name to put in an example: the brand's own, or a stand-in. */
const nameFor = (ctx: CampaignReviewContext) => namesOf(ctx)[0] ?? 'Acme Bakery';
const quote = (text: string) => `"${text}"`;
const sampleField = (i: number) => `messageSamples.${i}`;

/**
 * Whether a sample names the sender: 000 5 "be sure to identify your Brand by name and/or
 * website". A link whose host spells the name without spaces (janedoepottery.com) counts.
 */
function identifiesSender(sample: string, names: readonly string[]): boolean {
  if (namesBusiness(sample, names)) return true;
  const compact = names.map((n) => fold(n).replace(/ /g, '')).filter((n) => n.length >= 4);
  return linksIn(sample).some((link) => compact.some((n) => hostOf(link).replace(/[.-]/g, '').includes(n)));
}

/**
 * 000 5's example response of Twilio's default opt-out lists "STOP", "STOPALL", "UNSUBSCRIBE",
 * "CANCEL", "END", "QUIT"; written in capitals in a sample they read as the opt-out instruction.
 */
const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];

/** Opt-out language: "opt out", "unsubscribe", "reply STOP", or an opt-out keyword in capitals. */
function hasOptOutLanguage(sample: string, ownKeywords: readonly string[]): boolean {
  if (matchesFolded(sample, [/ opt ?out /, / unsubscrib/])) return true;
  if (/\b(?:reply|replying|text|texting|txt|send)\s+["'“‘]?(?:stop|stopall|end|quit|cancel)\b/i.test(sample))
    return true;
  const keywords = [
    ...OPT_OUT_KEYWORDS,
    ...ownKeywords.map((k) => k.toUpperCase().replace(/[^A-Z0-9]/g, '')),
  ];
  return keywords.filter(Boolean).some((k) => new RegExp(`(?<![A-Za-z0-9])${k}(?![A-Za-z0-9])`).test(sample));
}

// ---------------------------------------------------------------------------------------------
// Blocking: the documents say such a campaign is rejected.
// ---------------------------------------------------------------------------------------------

const sampleOptOutLanguage: CampaignRule = {
  id: 'sample-opt-out-language',
  level: 'blocking',
  code: 30893,
  source:
    'Twilio 30893: "At least one of the sample messages should include your business name and opt-out message."',
  summary: 'at least one sample message says how to opt out',
  reads: ['messageSamples'],
  needs: 'all',
  clearedBy: ['optOutKeywords'],
  check(c, ctx) {
    const samples = samplesOf(c);
    if (samples.length === 0 || samples.some((s) => hasOptOutLanguage(s, c.optOutKeywords ?? []))) return [];
    return [
      {
        field: 'messageSamples',
        problem: 'no sample message says how to opt out',
        fix: 'end at least one sample with opt-out language',
        example: quote(`${nameFor(ctx)}: your order [order id] is ready for pickup. Reply STOP to opt out.`),
      },
    ];
  },
};

const sampleBusinessName: CampaignRule = {
  id: 'sample-business-name',
  level: 'blocking',
  code: 30893,
  source:
    'Twilio 30893: "At least one of the sample messages should include your business name"; 000 5 message_samples: "be sure to identify your Brand by name and/or website"',
  summary:
    "at least one sample message names the business (the brand name, a sole proprietor's own name, or a website spelling it)",
  reads: ['messageSamples'],
  needs: 'all',
  context: ['businessNames'],
  check(c, ctx) {
    const samples = samplesOf(c);
    const names = namesOf(ctx);
    if (samples.length === 0 || samples.some((s) => identifiesSender(s, names))) return [];
    return [
      {
        field: 'messageSamples',
        problem: `no sample message names the business (${names.map(quote).join(' or ')})`,
        fix: 'start at least one sample with the business name, as the recipient will see it',
        example: quote(
          `${nameFor(ctx)}: your appointment is confirmed for [date] at [time]. Reply STOP to opt out.`,
        ),
      },
    ];
  },
};

const embeddedLinks: CampaignRule = {
  id: 'embedded-links-match-samples',
  level: 'blocking',
  code: 30893,
  source:
    '002 has_embedded_links: "Indicate that this SMS campaign will send messages that contain links"; Twilio 30893: samples must be "accurate ... and reflective of the actual messages"',
  summary: 'hasEmbeddedLinks is true exactly when a sample contains a link',
  reads: ['messageSamples', 'hasEmbeddedLinks'],
  needs: 'all',
  check(c, ctx) {
    const samples = samplesOf(c);
    const withLink = samples.findIndex((s) => linksIn(s).length > 0);
    if (c.hasEmbeddedLinks === false && withLink >= 0) {
      return [
        {
          field: 'hasEmbeddedLinks',
          problem: `is false, but sample ${withLink + 1} contains a link (${linksIn(samples[withLink])[0]})`,
          fix: 'set hasEmbeddedLinks to true, or take the link out of the samples if the messages will not carry one',
          example: '"hasEmbeddedLinks": true',
        },
      ];
    }
    if (c.hasEmbeddedLinks === true && samples.length > 0 && withLink < 0) {
      return [
        {
          field: 'hasEmbeddedLinks',
          problem: 'is true, but no sample message contains a link',
          fix: 'show the link in a sample (your own domain, https), or set hasEmbeddedLinks to false',
          example: quote(
            `${nameFor(ctx)}: your order has shipped, track it at https://example.com/track/[order id]`,
          ),
        },
      ];
    }
    return [];
  },
};

const embeddedPhone: CampaignRule = {
  id: 'embedded-phone-match-samples',
  level: 'blocking',
  code: 30889,
  source:
    'Twilio 30889: "embedded phone number use is selected, but is not reflective in the sample message ... Update the Sample Messages with Embedded Phone Number or update Embedded Phone Number selection"',
  summary: 'hasEmbeddedPhone is true exactly when a sample contains a phone number',
  reads: ['messageSamples', 'hasEmbeddedPhone'],
  needs: 'all',
  check(c, ctx) {
    const samples = samplesOf(c);
    const withPhone = samples.findIndex(hasPhoneNumber);
    if (c.hasEmbeddedPhone === false && withPhone >= 0) {
      return [
        {
          field: 'hasEmbeddedPhone',
          problem: `is false, but sample ${withPhone + 1} contains a phone number`,
          fix: 'set hasEmbeddedPhone to true, or take the number out of the samples if the messages will not carry one',
          example: '"hasEmbeddedPhone": true',
        },
      ];
    }
    if (c.hasEmbeddedPhone === true && samples.length > 0 && withPhone < 0) {
      return [
        {
          field: 'hasEmbeddedPhone',
          problem: 'is true, but no sample message contains a phone number',
          fix: 'show the number in a sample, or set hasEmbeddedPhone to false',
          example: quote(
            `${nameFor(ctx)}: questions about your order? Call us at (415) 555-0123. Reply STOP to opt out.`,
          ),
        },
      ];
    }
    return [];
  },
};

/** Public shorteners (Twilio 30892 names bit.ly and TinyURL; the rest are the same kind of service). */
const PUBLIC_SHORTENERS = [
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  'ow.ly',
  't.co',
  'is.gd',
  'buff.ly',
  'cutt.ly',
  'rb.gy',
  'shorturl.at',
  'tiny.cc',
  't.ly',
  'rebrand.ly',
];

const samplePublicShortener: CampaignRule = {
  id: 'sample-public-url-shortener',
  level: 'blocking',
  code: 30892,
  source:
    'Twilio 30892: "The campaign cannot be approved because public URL shorteners are not accepted"; "Public shorteners such as bit.ly or TinyURL can cause the campaign to be rejected"',
  summary: 'no sample links through a shared public URL shortener',
  reads: ['messageSamples'],
  needs: 'all',
  check(c) {
    return samplesOf(c).flatMap((sample, i): RuleHit[] => {
      const link = linksIn(sample).find((l) => PUBLIC_SHORTENERS.includes(hostOf(l)));
      return link
        ? [
            {
              field: sampleField(i),
              problem: `links through the public URL shortener ${hostOf(link)} (${link})`,
              fix: 'use the full link on your own domain, or a branded short domain you own',
              example: quote('https://example.com/order/[order id]'),
            },
          ]
        : [];
    });
  },
};

/** "text START to ...", "reply JOIN to ...": a keyword opt-in, with the keyword. */
const KEYWORD_OPT_IN =
  /\b(?:[Tt]ext|[Tt]exts|[Tt]exting|[Tt]xt|[Ss]end|[Ss]ending|[Rr]eply|[Rr]eplying)\s+(?:the\s+(?:word|keyword)\s+)?["'“‘]?([A-Z0-9]{2,20})["'”’]?\s+to\b/g;

/** The keywords a message flow tells people to text (in capitals, as such instructions write them). */
const keywordsToText = (flow: string) => [...flow.matchAll(KEYWORD_OPT_IN)].map((m) => m[1]);

/** Words that say how consent is given. */
const CONSENT = [
  / opt(?:s|ed|ing)? ?in /,
  / consent/,
  / agree/,
  / subscrib/,
  / sign(?:s|ed|ing)? ?up /,
  / enrol/,
  / check(?:s|ed|ing)? (?:a |an |the )?(?:\w+ ){0,3}box/,
  / checkbox/,
  / tick(?:s|ed|ing)? /,
  / permission/,
  / request/,
  / keyword/,
  / repl(?:y|ies|ied|ying) yes /,
  / join/,
  / double opt/,
  / (?:turn|turns|turned|turning|switch|switches|switched|switching) on /,
  / enabl/,
  / activat/,
];

const messageFlowConsent: CampaignRule = {
  id: 'message-flow-consent',
  level: 'blocking',
  code: 30896,
  source:
    'Twilio 30896: "Your message_flow does not clearly explain who is opting in, where opt-in happens, or how consent is collected"; 002 message_flow: "Details around how a consumer opts-in to their campaign, therefore giving consent"',
  summary: 'the message flow says how the recipient opts in (consent, opt in, a checkbox, a keyword, ...)',
  reads: ['messageFlow'],
  needs: 'all',
  check(c, ctx) {
    if (c.messageFlow === undefined) return [];
    if (matchesFolded(c.messageFlow, CONSENT) || keywordsToText(c.messageFlow).length > 0) return [];
    return [
      {
        field: 'messageFlow',
        problem: 'never says how the recipient gives consent (no opt-in, consent, checkbox or keyword)',
        fix: 'describe every way a recipient opts in, where it happens, and what they agree to',
        example: quote(
          `Customers opt in by checking an unchecked box "I agree to receive order texts from ${nameFor(ctx)}" on the checkout page at https://example.com/checkout. Terms: https://example.com/terms. Privacy: https://example.com/privacy.`,
        ),
      },
    ];
  },
};

/** Words that say the consent is for text messages. */
const TEXT_MESSAGES = [
  / (?:sms|mms|txt|texts?|text(?:ed|ing)|textmessag\w*) /,
  / mobile messag/,
  / cell ?phone messag/,
];

const messageFlowSms: CampaignRule = {
  id: 'message-flow-sms',
  level: 'blocking',
  code: 30896,
  source:
    'Approval Requirements, Message Flow: its purpose "is to ensure the end user consents to receive text messages"; 000 5: "the process by which end users opt-in to receiving your Campaign\'s SMS messages"',
  summary: 'the message flow says the consent is for SMS / text messages',
  reads: ['messageFlow'],
  needs: 'all',
  check(c, ctx) {
    if (c.messageFlow === undefined || matchesFolded(c.messageFlow, TEXT_MESSAGES)) return [];
    return [
      {
        field: 'messageFlow',
        problem: 'never says the consent is for SMS or text messages',
        fix: 'say in so many words that the recipient agrees to receive text (SMS) messages',
        example: quote(`... check a box agreeing to receive text messages from ${nameFor(ctx)} ...`),
      },
    ];
  },
};

/** The fields a prohibited category is looked for in. */
const CONTENT_FIELDS = [
  'description',
  'messageFlow',
  'messageSamples',
  'optInMessage',
  'optOutMessage',
  'helpMessage',
] as const satisfies readonly CampaignField[];

/** Each text field of the campaign with its path (a sample's path has its index). */
function textFields(c: ReviewedCampaign): { field: string; text: string }[] {
  return CONTENT_FIELDS.flatMap((name) => {
    const value = c[name];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value.map((text, i) => ({ field: `${name}.${i}`, text }));
    return [{ field: name, text: value }];
  });
}

function prohibited(options: {
  id: string;
  code: number;
  source: string;
  category: string;
  patterns: RegExp[];
  fix?: string;
}): CampaignRule {
  return {
    id: options.id,
    level: 'blocking',
    code: options.code,
    source: options.source,
    summary: `no ${options.category} content (a forbidden category)`,
    reads: CONTENT_FIELDS,
    needs: 'any',
    check(c) {
      const found = textFields(c).find(({ text }) => matchesFolded(text, options.patterns));
      if (!found) return [];
      return [
        {
          field: found.field,
          problem: `reads as ${options.category}, a category carriers do not allow on A2P 10DLC`,
          fix:
            options.fix ??
            'this traffic cannot be registered; if the business is not in this category, reword the field so it says what the business actually sends',
          example: quote('Acme Bakery: your order [order id] is ready for pickup. Reply STOP to opt out.'),
        },
      ];
    },
  };
}

const FORBIDDEN_CATEGORIES =
  'Forbidden message categories for SMS and MMS in the US and Canada (help.twilio.com 360045004974)';
/**
 * Twilio's own error pages found for the content categories are 30950 (credit repair) and 30885
 * (fraud or deceptive marketing). For the other categories the code is 30897 "Prohibited Content
 * Categories" and 30883 "SHAFT Content Violations", as an ISV's published table of Twilio
 * rejection codes lists them (help.salesmessage.com 12148803); Twilio's own pages for those two
 * codes were not found.
 */
const ISV_CODE_TABLE = 'code as listed in help.salesmessage.com 12148803 (10DLC Rejection Codes)';

const creditRepair = prohibited({
  id: 'prohibited-credit-repair',
  code: 30950,
  source:
    'Twilio 30950: "Carrier policies prohibit A2P messaging campaigns that promote or solicit credit repair services"; ' +
    FORBIDDEN_CATEGORIES,
  category: 'credit repair',
  patterns: [
    / credit (?:repair|restoration|fix|fixing|clean ?up|sweep)/,
    / (?:repair|fix|restore|boost|raise|improve|rebuild) (?:your |my |their )?credit(?: score| report)?s? /,
    / remove negative (?:items|marks|accounts)/,
  ],
});

const debtRelief = prohibited({
  id: 'prohibited-debt-relief',
  code: 30897,
  source: `${FORBIDDEN_CATEGORIES}: "Debt collection or forgiveness: third-party debt collection, debt consolidation, debt reduction, credit repair programs"; ${ISV_CODE_TABLE}`,
  category: 'debt relief or third-party debt collection',
  patterns: [
    / debt (?:consolidation|relief|reduction|settlement|forgiveness|resolution)/,
    / (?:consolidate|reduce|settle|eliminate|erase) (?:your |their )?debts? /,
    / collection agency /,
    / third party debt collect/,
  ],
  fix: "this traffic cannot be registered; a business may message its own customers about their own bills (the forbidden-categories page's hospital example), so say so if that is what it sends",
});

const highRiskFinancial = prohibited({
  id: 'prohibited-high-risk-financial',
  code: 30897,
  source: `${FORBIDDEN_CATEGORIES}: "High-risk financial services: payday loans, short term high-interest loans, third-party auto loans, third-party mortgage loans, student loans, cryptocurrency"; ${ISV_CODE_TABLE}`,
  category: 'high-risk financial services (payday or high-interest loans, student loans, cryptocurrency)',
  patterns: [
    / payday (?:loan|advance|lend)/,
    / short term (?:high interest )?loans? /,
    / high interest loans? /,
    / title loans? /,
    / student loans? /,
    / crypto(?:currenc\w*)? /,
    / bitcoin /,
  ],
});

const leadGeneration = prohibited({
  id: 'prohibited-lead-generation',
  code: 30897,
  source: `${FORBIDDEN_CATEGORIES}: "Third-party lead generation services: companies that buy, sell, or share consumer information"; ${ISV_CODE_TABLE}`,
  category: 'third-party lead generation',
  patterns: [
    / lead gen(?:eration)? /,
    / (?:sell|sold|share|shared|rent) (?:your |their |consumer |customer )?(?:phone numbers?|numbers?|information|data|leads?) (?:with|to) (?:our )?(?:partners|third parties|affiliates|lenders)/,
  ],
});

const getRichQuick = prohibited({
  id: 'prohibited-get-rich-quick',
  code: 30885,
  source: `Twilio 30885: "rejected because it is considered High Risk ... Fraud or Deceptive Marketing"; ${FORBIDDEN_CATEGORIES}: "Get rich quick schemes: work-from-home programs, risk investment opportunities, pyramid schemes"`,
  category: 'a get-rich-quick scheme (work from home, pyramid, guaranteed returns)',
  patterns: [
    / get rich /,
    / work from home (?:opportunit|program|job|income)/,
    / make (?:money|cash|\d+) (?:fast|from home|online|a day|a week)/,
    / pyramid scheme/,
    / passive income /,
    / guaranteed (?:returns?|income|profits?|earnings) /,
  ],
});

const cannabis = prohibited({
  id: 'prohibited-cannabis',
  code: 30883,
  source: `${FORBIDDEN_CATEGORIES}: "Illegal substances: cannabis (United States), CBD (United States)"; ${ISV_CODE_TABLE} (SHAFT, "also includes Marijuana/CBD")`,
  category: 'cannabis or CBD',
  patterns: [/ cannabis /, / marijuana /, / cbd /, / thc /, / (?:cannabis|marijuana|weed) dispensar/],
});

const tobaccoVape = prohibited({
  id: 'prohibited-tobacco-vape',
  code: 30883,
  source: `Twilio 30878 (the same category in toll-free verification): "tobacco, vape, and e-cigarette traffic is not allowed on messaging regardless of age gating"; ${ISV_CODE_TABLE} (SHAFT)`,
  category: 'tobacco, vape or e-cigarettes',
  patterns: [
    / vap(?:e|es|ing) /,
    / e ?cig(?:arette)?s? /,
    / tobacco (?:product|shop|store|deal|sale|brand)/,
    / smoke shop/,
    / cigar(?:s|ettes?)? /,
    / hookah /,
  ],
});

/** The use case must be one the brand may register (000 5 and 002 for Sole Proprietor brands). */
const usecaseEligible: CampaignRule = {
  id: 'usecase-eligible',
  level: 'blocking',
  code: 30900,
  source:
    'Twilio 30900: "The brand is not qualified to run campaign of provide use case" and "The for profit, public brand has not completed Auth+"; 000 5: "SOLE_PROPRIETOR (there is only one valid use case for a Sole Proprietor Brand)"; 002: "SOLE_PROPRIETOR campaign use cases can only be created by SOLE_PROPRIETOR Brands"',
  summary:
    'the use case is one the brand may use (SOLE_PROPRIETOR for and only for Sole Proprietor brands; Authentication+ done for public companies)',
  reads: [],
  needs: 'all',
  context: ['usecase', 'brandType'],
  check(_c, ctx) {
    const usecase = ctx.usecase ?? '';
    const soleProprietor = ctx.brandType === SOLE_PROPRIETOR_BRAND_TYPE;
    if (soleProprietor && usecase !== SOLE_PROPRIETOR_USECASE) {
      return [
        {
          field: 'usecase',
          problem: `is ${usecase}, but a Sole Proprietor brand has exactly one valid use case, SOLE_PROPRIETOR`,
          fix: 'register the campaign with the SOLE_PROPRIETOR use case',
          example: '"usecase": "SOLE_PROPRIETOR"',
        },
      ];
    }
    if (!soleProprietor && usecase === SOLE_PROPRIETOR_USECASE) {
      return [
        {
          field: 'usecase',
          problem: `is SOLE_PROPRIETOR, which only a Sole Proprietor brand may use (this brand is ${ctx.brandType ?? 'not one'})`,
          fix: 'choose the use case the messages serve among those the Usecases endpoint returns for the brand',
          example: '"usecase": "CUSTOMER_CARE"',
        },
      ];
    }
    if (!soleProprietor && ctx.companyType === 'public' && ctx.authenticationPlusVerified === false) {
      return [
        {
          field: 'usecase',
          problem: 'the brand is a public for-profit company that has not completed Authentication+',
          fix: 'have the brand contact complete the Authentication+ email verification first, then register the campaign',
          example: 'brand identity VERIFIED after the brand_contact_email 2FA',
        },
      ];
    }
    return [];
  },
};

// ---------------------------------------------------------------------------------------------
// Warnings: likely rejected, and a person should decide.
// ---------------------------------------------------------------------------------------------

const descriptionNamesBusiness: CampaignRule = {
  id: 'description-names-business',
  level: 'warning',
  code: 30886,
  source:
    'Twilio 30886 (Invalid Campaign Description): "Use the actual registered business or brand name in the description"; 000 5 description: "who the sender is, who the recipient is, and why"',
  summary: 'the description names the business that sends the messages',
  reads: ['description'],
  needs: 'all',
  context: ['businessNames'],
  check(c, ctx) {
    if (c.description === undefined || namesBusiness(c.description, namesOf(ctx))) return [];
    return [
      {
        field: 'description',
        problem: `does not name the business that sends the messages (${namesOf(ctx).map(quote).join(' or ')})`,
        fix: 'say who sends, to whom, and why, using the business name',
        example: quote(
          `${nameFor(ctx)} sends order updates and pickup reminders to customers who opted in at checkout.`,
        ),
      },
    ];
  },
};

/** Words that name who receives the messages. */
const RECIPIENTS =
  / (?:customer|client|patient|member|student|parent|guardian|subscriber|user|guest|resident|donor|volunteer|employee|staff|buyer|shopper|patron|attendee|follower|owner|tenant|visitor|recipient|consumer|caller|people|person|family|families|fan|player|traveler|traveller|homeowner|applicant|candidate|lead|prospect|contact|end user)s? /;
const MIN_DESCRIPTION_WORDS = 5;

const descriptionSpecific: CampaignRule = {
  id: 'description-specific',
  level: 'warning',
  code: 30886,
  source:
    'Twilio 30886: "The campaign description is too vague or incomplete", "does not explain who the sender is, who the recipients are, and why they are receiving messages"',
  summary: `the description says who receives the messages and why, in at least ${MIN_DESCRIPTION_WORDS} meaningful words`,
  reads: ['description'],
  needs: 'all',
  check(c, ctx) {
    if (c.description === undefined) return [];
    const words = contentWords(c.description, namesOf(ctx)).size;
    const recipients = RECIPIENTS.test(fold(c.description));
    if (words >= MIN_DESCRIPTION_WORDS && recipients) return [];
    return [
      {
        field: 'description',
        problem: !recipients
          ? 'does not say who receives the messages'
          : `is too vague to say why the messages are sent (${words} meaningful words)`,
        fix: 'describe who sends, who receives (customers, patients, members, ...) and what the messages are for',
        example: quote(
          `${nameFor(ctx)} sends order confirmations, pickup reminders and delivery updates to customers who opted in at checkout.`,
        ),
      },
    ];
  },
};

const samplesMatchDescription: CampaignRule = {
  id: 'samples-match-description',
  level: 'warning',
  code: 30893,
  source:
    'Twilio 30893: "Sample messages are missing, unclear, or their content does not match the campaign\'s use-case"; 000 5: "it must be clear and obvious why a particular set of sample messages serves the purposes of a particular Campaign"',
  summary: 'each sample shares what it is about with the description',
  reads: ['messageSamples', 'description'],
  needs: 'all',
  check(c, ctx) {
    if (c.description === undefined) return [];
    const about = contentWords(c.description, namesOf(ctx));
    return samplesOf(c).flatMap((sample, i): RuleHit[] => {
      const words = contentWords(sample, namesOf(ctx));
      if (words.size === 0 || [...words].some((w) => about.has(w))) return [];
      return [
        {
          field: sampleField(i),
          problem:
            'has nothing in common with the description, so a reviewer cannot tell why the campaign sends it',
          fix: 'make the sample one of the messages the description announces, or describe this kind of message too',
          example:
            'description "... order updates ..." with the sample "[brand]: your order [order id] has shipped."',
        },
      ];
    });
  },
};

const PROMOTIONAL = [
  / \d+ ?(?:%|percent) off /,
  / (?:sale|discount|promo|promotion|coupon|deal|deals|offer) /,
  / limited time /,
  / buy one /,
  / free gift /,
];
const PROMOTIONAL_RAW = /\d+\s?%\s?off/i;
/** Use cases whose messages are not promotions (the onboarding guide's standard use cases). */
const NON_PROMOTIONAL_USECASES = [
  '2FA',
  'ACCOUNT_NOTIFICATION',
  'CUSTOMER_CARE',
  'DELIVERY_NOTIFICATION',
  'FRAUD_ALERT',
  'SECURITY_ALERT',
  'HIGHER_EDUCATION',
  'POLLING_VOTING',
  'PUBLIC_SERVICE_ANNOUNCEMENT',
];
const ONE_TIME_CODE = /\[[^\]]*code[^\]]*\]|\b\d{4,8}\b|\b(?:code|passcode|otp|pin)\b/i;

const samplesMatchUsecase: CampaignRule = {
  id: 'samples-match-usecase',
  level: 'warning',
  code: 30893,
  source:
    "Approval Best Practices: \"If you register a marketing campaign, but sample messages say 'Here's your one-time passcode: 123456', your campaign will be rejected\"; Twilio 30893",
  summary: 'samples fit the use case: no promotions in a non-marketing use case, a code in every 2FA sample',
  reads: ['messageSamples'],
  needs: 'all',
  context: ['usecase'],
  check(c, ctx) {
    const usecase = ctx.usecase ?? '';
    return samplesOf(c).flatMap((sample, i): RuleHit[] => {
      if (
        NON_PROMOTIONAL_USECASES.includes(usecase) &&
        (matchesFolded(sample, PROMOTIONAL) || PROMOTIONAL_RAW.test(sample))
      ) {
        return [
          {
            field: sampleField(i),
            problem: `reads as a promotion, which the ${usecase} use case does not cover`,
            fix: 'take the offer out, or register promotions under MARKETING (or MIXED / LOW_VOLUME)',
            example: quote('Acme Bakery: your order [order id] is ready for pickup. Reply STOP to opt out.'),
          },
        ];
      }
      if (usecase === '2FA' && !ONE_TIME_CODE.test(sample)) {
        return [
          {
            field: sampleField(i),
            problem: 'is in a 2FA campaign but carries no code',
            fix: 'show the one-time code, bracketed if it is filled in',
            example: quote('Acme Bakery: your login code is [code]. It expires in 10 minutes.'),
          },
        ];
      }
      return [];
    });
  },
};

/** Template syntax other than brackets: {name}, {{name}}, <name>, %name%, $name, FIRST_NAME, XXXX. */
const UNBRACKETED = [
  /\{\{?\s*[A-Za-z_][\w .-]*\}\}?/,
  /<\s*[A-Za-z_][\w .-]*>/,
  /%[A-Za-z_]\w*%/,
  /\$\{?[A-Za-z_]\w*\}?/,
  /\b[A-Z]+(?:_[A-Z]+)+\b/,
  /\b[Xx]{4,}\b/,
];

const samplePlaceholdersBracketed: CampaignRule = {
  id: 'sample-placeholders-bracketed',
  level: 'warning',
  code: 30893,
  source:
    'Twilio 30893: "Indicate templated fields within sample messages using brackets"; 000 5: "indicate with brackets [] any content that will be conditionalized"',
  summary: 'templated fields in samples are written in [brackets], not {braces}, <angles>, $VARS or XXXX',
  reads: ['messageSamples'],
  needs: 'all',
  check(c) {
    return samplesOf(c).flatMap((sample, i): RuleHit[] => {
      const placeholder = UNBRACKETED.map((p) => p.exec(sample)?.[0]).find(Boolean);
      return placeholder
        ? [
            {
              field: sampleField(i),
              problem: `writes the templated field ${placeholder} without brackets`,
              fix: 'write every templated field in square brackets',
              example: quote('Hi [first name], your table for [party size] is booked for [time].'),
            },
          ]
        : [];
    });
  },
};

const sampleSecureLinks: CampaignRule = {
  id: 'sample-secure-links',
  level: 'warning',
  code: 30892,
  source:
    'Twilio 30892: "The website URL included in the sample messages was either from a public URL shortener or is unsecured"',
  summary: 'links in samples use https',
  reads: ['messageSamples'],
  needs: 'all',
  check(c) {
    return samplesOf(c).flatMap((sample, i): RuleHit[] => {
      const link = linksIn(sample).find((l) => /^http:\/\//i.test(l));
      return link
        ? [
            {
              field: sampleField(i),
              problem: `links to an unsecured http:// address (${link})`,
              fix: 'link to the https:// address',
              example: quote(link.replace(/^http:/i, 'https:')),
            },
          ]
        : [];
    });
  },
};

const LOGIN = [
  / (?:log|logs|logged|logging) ?in /,
  / sign(?:s|ed|ing)? ?in /,
  / (?:member|customer|client|patient|student|user|account) (?:portal|area|dashboard|login) /,
  / (?:in the|in our|our|the) (?:mobile )?app /,
  / in app /,
  / behind (?:a )?login /,
];
const SCREENSHOT = [/ screenshot/, / screen shot/, / image/, / (?:png|jpg|jpeg|gif|pdf) /, / hosted /];

const messageFlowLogin: CampaignRule = {
  id: 'message-flow-opt-in-behind-login',
  level: 'warning',
  code: 30909,
  source:
    'Twilio 30909: "Your opt-in evidence cannot be verified because the website is private, behind a login ... or missing publicly accessible screenshots"; Approval Requirements: "Explain if the Call to Action is behind a login ... Provide a screenshot"',
  summary: 'an opt-in behind a login or inside an app comes with a link to a hosted screenshot',
  reads: ['messageFlow'],
  needs: 'all',
  check(c) {
    if (c.messageFlow === undefined) return [];
    if (!matchesFolded(c.messageFlow, LOGIN) || matchesFolded(c.messageFlow, SCREENSHOT)) return [];
    return [
      {
        field: 'messageFlow',
        problem: 'the opt-in happens behind a login or inside an app, where a reviewer cannot see it',
        fix: 'host a screenshot of the opt-in screen at a public URL and give that URL in the message flow',
        example: quote(
          'Members opt in to texts under Settings > Notifications in our app (screenshot: https://example.com/sms-opt-in.png).',
        ),
      },
    ];
  },
};

const WEBSITE = [
  / (?:website|web site|webpage|web page|web form|online form|landing page|our site|signup form|sign up form|online checkout)s? /,
];
const websiteOptIn = (flow: string) => linksIn(flow).length > 0 || matchesFolded(flow, WEBSITE);

const websiteOptInPrivacy: CampaignRule = {
  id: 'website-opt-in-privacy-policy',
  level: 'warning',
  code: 30896,
  source:
    '000 5 message_flow: "If a website is used for opting in ... The website needs to have a privacy policy and terms of service ... You need to provide a link to the policy"; Twilio 30896: "Your website opt-in flow is missing ... a privacy policy link"',
  summary: 'a website opt-in links its privacy policy',
  reads: ['messageFlow'],
  needs: 'all',
  check(c) {
    if (c.messageFlow === undefined || !websiteOptIn(c.messageFlow) || hasPhrase(c.messageFlow, 'privacy'))
      return [];
    return [
      {
        field: 'messageFlow',
        problem: 'describes a website opt-in but gives no privacy policy',
        fix: 'add the link to the privacy policy (it must say mobile numbers are not shared, the message frequency, and "message and data rates may apply")',
        example: quote('... Privacy policy: https://example.com/privacy.'),
      },
    ];
  },
};

const websiteOptInTerms: CampaignRule = {
  id: 'website-opt-in-terms',
  level: 'warning',
  code: 30896,
  source:
    '000 5 message_flow: "The website needs to have a privacy policy and terms of service"; Approval Requirements: "Terms and Conditions: Provide publicly accessible terms of service"; Twilio 30896',
  summary: 'a website opt-in links its terms of service',
  reads: ['messageFlow'],
  needs: 'all',
  check(c) {
    if (c.messageFlow === undefined || !websiteOptIn(c.messageFlow)) return [];
    if (matchesFolded(c.messageFlow, [/ terms /, / conditions /, / t c /, / tos /, / t cs /])) return [];
    return [
      {
        field: 'messageFlow',
        problem: 'describes a website opt-in but gives no terms of service',
        fix: 'add the link to the terms of service',
        example: quote('... Terms: https://example.com/terms.'),
      },
    ];
  },
};

const keywordOptInKeywords: CampaignRule = {
  id: 'keyword-opt-in-keywords',
  level: 'warning',
  code: 30896,
  source:
    'Twilio 30896: "You indicate that users can opt in by texting a keyword, but you did not provide opt_in_keywords or a compliant opt_in_message"; 002 opt_in_keywords: "required if end users can text in a keyword to start receiving messages"',
  summary: 'a keyword the message flow tells people to text is listed in optInKeywords',
  reads: ['messageFlow'],
  needs: 'all',
  clearedBy: ['optInKeywords'],
  check(c, ctx) {
    if (c.messageFlow === undefined) return [];
    const listed = new Set((c.optInKeywords ?? []).map((k) => k.toUpperCase()));
    const keyword = keywordsToText(c.messageFlow).find((k) => !listed.has(k) && k !== 'STOP' && k !== 'HELP');
    if (!keyword) return [];
    return [
      {
        field: 'optInKeywords',
        problem: `the message flow has people text ${keyword} to opt in, but optInKeywords does not list it`,
        fix: 'list the keyword in optInKeywords and give the optInMessage that answers it',
        example: `"optInKeywords": ["${keyword}"], "optInMessage": "${nameFor(ctx)}: you are subscribed to order updates. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out."`,
      },
    ];
  },
};

const optInMessageContent: CampaignRule = {
  id: 'opt-in-message-content',
  level: 'warning',
  code: 30896,
  source:
    '002 opt_in_message: "The opt-in response should include the Brand name, confirmation of opt-in enrollment to a recurring message campaign, how to get help, and clear description of how to opt-out"; Twilio 30896 ("a compliant opt_in_message")',
  summary: 'the opt-in reply names the brand, says how to get help and how to opt out',
  reads: ['optInMessage'],
  needs: 'all',
  check(c, ctx) {
    if (c.optInMessage === undefined) return [];
    const missing = [
      ...(namesOf(ctx).length > 0 && !namesBusiness(c.optInMessage, namesOf(ctx)) ? ['the brand name'] : []),
      ...(hasPhrase(c.optInMessage, 'help') ? [] : ['how to get help (HELP)']),
      ...(hasOptOutLanguage(c.optInMessage, c.optOutKeywords ?? []) ? [] : ['how to opt out (STOP)']),
    ];
    if (missing.length === 0) return [];
    return [
      {
        field: 'optInMessage',
        problem: `leaves out ${missing.join(', ')}`,
        fix: 'confirm the subscription with the brand name, the help keyword and the opt-out keyword',
        example: quote(
          `${nameFor(ctx)}: you are subscribed to order updates. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`,
        ),
      },
    ];
  },
};

const OPT_OUT_CONFIRMED = [
  / unsubscribed /,
  / opted out /,
  / no (?:more|further|longer) (?:messages|texts|receive)/,
  / (?:will not|won t|wont) (?:receive|get) (?:any )?(?:more|further)/,
  / removed /,
];

const optOutMessageContent: CampaignRule = {
  id: 'opt-out-message-content',
  level: 'warning',
  code: 30887,
  source:
    'Twilio 30887 (Opt-out Error): "update opt-out message to include acknowledgement of opt-out request, confirmation that no further messages will be sent, and brand name"; 002 opt_out_message',
  summary: 'the opt-out reply confirms no further messages will be sent, and names the brand',
  reads: ['optOutMessage'],
  needs: 'all',
  check(c, ctx) {
    if (c.optOutMessage === undefined) return [];
    const missing = [
      ...(matchesFolded(c.optOutMessage, OPT_OUT_CONFIRMED)
        ? []
        : ['confirmation that no further messages will be sent']),
      ...(namesOf(ctx).length > 0 && !namesBusiness(c.optOutMessage, namesOf(ctx)) ? ['the brand name'] : []),
    ];
    if (missing.length === 0) return [];
    return [
      {
        field: 'optOutMessage',
        problem: `leaves out ${missing.join(' and ')}`,
        fix: 'acknowledge the opt-out, confirm nothing more will be sent, and name the brand',
        example: quote(`${nameFor(ctx)}: you are unsubscribed and will receive no further messages.`),
      },
    ];
  },
};

/** Every rule, blocking ones first. The order is the order findings are reported in. */
export const CAMPAIGN_RULES: readonly CampaignRule[] = [
  sampleOptOutLanguage,
  sampleBusinessName,
  embeddedLinks,
  embeddedPhone,
  samplePublicShortener,
  messageFlowConsent,
  messageFlowSms,
  creditRepair,
  debtRelief,
  highRiskFinancial,
  leadGeneration,
  getRichQuick,
  cannabis,
  tobaccoVape,
  usecaseEligible,
  descriptionNamesBusiness,
  descriptionSpecific,
  samplesMatchDescription,
  samplesMatchUsecase,
  samplePlaceholdersBracketed,
  sampleSecureLinks,
  messageFlowLogin,
  websiteOptInPrivacy,
  websiteOptInTerms,
  keywordOptInKeywords,
  optInMessageContent,
  optOutMessageContent,
];
