import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { A2P_BRAND_SID, A2P_MESSAGING_SERVICE_SID } from '../../../src/shared';
import { closeServers, FakeSignaller, signedJson, testServer } from './helpers';

/**
 * Twilio's documented Event Streams payloads (../shared/reference/twilio-events/), each fed as it
 * is, byte for byte, through the signed webhook path. The README there lists where each comes from
 * and which values Twilio documents; these expectations are the mapping in src/webhooks/a2p-events.ts.
 */
const EVENTS_DIR = resolve(__dirname, '../../../../shared/reference/twilio-events');
const PATH = '/webhooks/event-streams';

function payloadFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return payloadFiles(full);
    return /\.(json|txt)$/.test(name) ? [relative(EVENTS_DIR, full)] : [];
  });
}

const read = (file: string) => readFileSync(join(EVENTS_DIR, file), 'utf8');
const ms = (epochMs: number) => new Date(epochMs).toISOString();

/** Workflows carrying the SIDs the examples use (placeholders included: they are what Twilio prints). */
const WORKFLOWS: Record<string, Record<string, string>> = {
  'a2p-registration-current': {
    [A2P_BRAND_SID.name]: 'BN0000000000000000000000000000001',
    [A2P_MESSAGING_SERVICE_SID.name]: 'MG0000000000000000000000000000001',
  },
  'a2p-registration-guide': {
    [A2P_BRAND_SID.name]: 'BNXXXXXXXXX',
    [A2P_MESSAGING_SERVICE_SID.name]: 'MGXXXXXXXXX',
  },
  'a2p-registration-vetted': { [A2P_BRAND_SID.name]: 'BN340d2dcd7a3de1bdcbaa233c63aefc9b' },
  'a2p-registration-numbers': { [A2P_MESSAGING_SERVICE_SID.name]: 'MGff4da560a706b5c36a8e5497f31515c8' },
};

function knownWorkflows(): FakeSignaller {
  const signaller = new FakeSignaller();
  for (const [id, attributes] of Object.entries(WORKFLOWS)) signaller.addWorkflow(id, attributes);
  return signaller;
}

type Expected =
  | { status: 200; workflowId: string; signal: string; payload: Record<string, unknown> }
  | { status: 200; signal: null; because: string }
  | { status: 400; error: RegExp };

const BRAND = 'com.twilio.messaging.compliance.brand-registration.';
const CAMPAIGN = 'com.twilio.messaging.compliance.campaign-registration.';
const NUMBER = 'com.twilio.messaging.compliance.number-';
const CURRENT_ID = 'NO00000000000000000000000001';
const GUIDE_ID = 'CE000000000000000000000000000000';
const XID = 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';

const numberEvent = (
  action: 'registration' | 'deregistration',
  outcome: 'pending' | 'successful' | 'failed',
  extra: Record<string, unknown>,
): Expected => ({
  status: 200,
  workflowId: 'a2p-registration-numbers',
  signal: 'numberRegistration',
  payload: {
    eventId: GUIDE_ID,
    occurredAt: ms(1710345070552),
    phoneNumberSid: 'PNXXXXXXXXXXXXXXXX',
    messagingServiceSid: 'MGff4da560a706b5c36a8e5497f31515c8',
    action,
    outcome,
    eventType: `${NUMBER}${action}.${outcome}`,
    ...extra,
  },
});

const failedNumber = {
  campaignSid: 'CMXXXXXXXXXXXXXXXX',
  externalStatus: 'failure',
  failureReason: 'https://www.twilio.com/docs/api/errors/30126',
  errors: [{ code: 30126, url: 'https://www.twilio.com/docs/api/errors/30126' }],
};

const EXPECTED: Record<string, Expected> = {
  'brand-registration.brand-failure.json': {
    status: 200,
    workflowId: 'a2p-registration-current',
    signal: 'brandStatus',
    payload: {
      eventId: CURRENT_ID,
      occurredAt: ms(1756043494500),
      brandSid: 'BN0000000000000000000000000000001',
      brandStatus: 'FAILED',
      failureReason: '21736: The Brand contact email is invalid. (brand_contact_email)',
      errors: [
        {
          code: 21736,
          description: 'The Brand contact email is invalid.',
          url: 'https://www.twilio.com/docs/api/errors/21736',
          fields: ['brand_contact_email'],
        },
      ],
      eventType: `${BRAND}brand-failure`,
    },
  },
  'brand-registration.brand-registered.json': {
    status: 200,
    workflowId: 'a2p-registration-current',
    signal: 'brandStatus',
    payload: {
      eventId: CURRENT_ID,
      occurredAt: ms(1756043494500),
      brandSid: 'BN0000000000000000000000000000001',
      brandStatus: 'APPROVED',
      eventType: `${BRAND}brand-registered`,
    },
  },
  'brand-registration.email-2fa-clicked.json': {
    status: 200,
    workflowId: 'a2p-registration-current',
    signal: 'brandStatus',
    payload: {
      eventId: CURRENT_ID,
      occurredAt: ms(1756043494500),
      brandSid: 'BN0000000000000000000000000000001',
      brandStatus: 'APPROVED',
      eventType: `${BRAND}email-2fa-clicked`,
    },
  },
  'brand-registration.invalid-contact-email.json': {
    status: 200,
    workflowId: 'a2p-registration-current',
    signal: 'brandStatus',
    payload: {
      eventId: CURRENT_ID,
      occurredAt: ms(1756043494500),
      brandSid: 'BN0000000000000000000000000000001',
      brandStatus: 'APPROVED',
      eventType: `${BRAND}invalid-contact-email`,
    },
  },
  'brand-registration.sharing-created.json': {
    status: 200,
    signal: null,
    because: 'it carries only the account and brand SIDs',
  },
  'campaign-registration.campaign-approved.json': {
    status: 200,
    workflowId: 'a2p-registration-current',
    signal: 'campaignStatus',
    payload: {
      eventId: CURRENT_ID,
      occurredAt: ms(1756043494500),
      messagingServiceSid: 'MG0000000000000000000000000000001',
      campaignSid: 'CM0000000000000000000000000000001',
      campaignStatus: 'VERIFIED',
      errors: [{ code: 30991 }],
      eventType: `${CAMPAIGN}campaign-approved`,
    },
  },
  'eventstreams.test-event.json': { status: 200, signal: null, because: 'a sink test event' },
  'schema-examples/A2P.BrandRegisteredUnverified.v3.example-data.json': {
    status: 400,
    error: /id.*type|type.*id/,
  },
  'schema-examples/A2P.BrandRegistrationSecondaryVettingFailure.v2.example-data.json': {
    status: 400,
    error: /id.*type|type.*id/,
  },
  'setup-guide/brand-registration.brand-failure.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'brandStatus',
    payload: {
      eventId: GUIDE_ID,
      occurredAt: ms(1687789009019),
      brandSid: 'BNXXXXXXXXX',
      brandStatus: 'FAILED',
      eventType: `${BRAND}brand-failure`,
    },
  },
  'setup-guide/brand-registration.brand-registered.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'brandStatus',
    payload: {
      eventId: XID,
      occurredAt: ms(1743100132872),
      brandSid: 'BNXXXXXXXXX',
      brandStatus: 'APPROVED',
      eventType: `${BRAND}brand-registered`,
    },
  },
  'setup-guide/brand-registration.brand-secondary-vetting-failure.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'brandStatus',
    payload: {
      eventId: XID,
      occurredAt: ms(1743100400000),
      brandSid: 'BNXXXXXXXXX',
      brandStatus: 'APPROVED',
      vettingOutcome: 'FAILED',
      failureReason: '30801: The submitted business address could not be verified.',
      errors: [{ code: 30801, description: 'The submitted business address could not be verified.' }],
      eventType: `${BRAND}brand-secondary-vetting-failure`,
    },
  },
  'setup-guide/brand-registration.brand-unverified.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'brandStatus',
    payload: {
      eventId: XID,
      occurredAt: ms(1743100661912),
      brandSid: 'BNXXXXXXXXX',
      brandStatus: 'APPROVED',
      identityStatus: 'UNVERIFIED',
      failureReason:
        '30795: Brand Registration Feedback: The submitted US EIN is invalid. (business_registration_number, business_registration_identifier, business_name)',
      errors: [
        {
          code: 30795,
          description: 'Brand Registration Feedback: The submitted US EIN is invalid.',
          url: 'https://www.twilio.com/docs/api/errors/30795',
          fields: ['business_registration_number', 'business_registration_identifier', 'business_name'],
        },
      ],
      eventType: `${BRAND}brand-unverified`,
    },
  },
  'setup-guide/brand-registration.brand-verified.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'brandStatus',
    payload: {
      eventId: XID,
      occurredAt: ms(1743100181955),
      brandSid: 'BNXXXXXXXXX',
      brandStatus: 'APPROVED',
      identityStatus: 'VERIFIED',
      eventType: `${BRAND}brand-verified`,
    },
  },
  'setup-guide/brand-registration.brand-vetted-verified.json': {
    status: 200,
    workflowId: 'a2p-registration-vetted',
    signal: 'brandStatus',
    payload: {
      eventId: '340d2dcd-7a3d-ea44-cbaa-233c63aefc9b',
      occurredAt: ms(1743100295373),
      brandSid: 'BN340d2dcd7a3de1bdcbaa233c63aefc9b',
      brandStatus: 'APPROVED',
      identityStatus: 'VETTED_VERIFIED',
      vettingOutcome: 'SUCCESS',
      eventType: `${BRAND}brand-vetted-verified`,
    },
  },
  'setup-guide/campaign-registration.campaign-approved.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'campaignStatus',
    payload: {
      eventId: GUIDE_ID,
      occurredAt: ms(1687892792294),
      messagingServiceSid: 'MGXXXXXXXXX',
      campaignSid: 'CMXXXXXXXXX',
      campaignStatus: 'VERIFIED',
      eventType: `${CAMPAIGN}campaign-approved`,
    },
  },
  'setup-guide/campaign-registration.campaign-failure.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'campaignStatus',
    payload: {
      eventId: GUIDE_ID,
      occurredAt: ms(1687892792294),
      messagingServiceSid: 'MGXXXXXXXXX',
      campaignSid: 'CMXXXXXXXXX',
      campaignStatus: 'FAILED',
      eventType: `${CAMPAIGN}campaign-failure`,
    },
  },
  'setup-guide/campaign-registration.campaign-submitted.json': {
    status: 200,
    workflowId: 'a2p-registration-guide',
    signal: 'campaignStatus',
    payload: {
      eventId: GUIDE_ID,
      occurredAt: ms(1687892792294),
      messagingServiceSid: 'MGXXXXXXXXX',
      campaignSid: 'CMXXXXXXXXX',
      campaignStatus: 'IN_PROGRESS',
      eventType: `${CAMPAIGN}campaign-submitted`,
    },
  },
  'setup-guide/number-deregistration.failed.json': numberEvent('deregistration', 'failed', failedNumber),
  'setup-guide/number-deregistration.pending.json': numberEvent('deregistration', 'pending', {
    campaignSid: 'CMXXXXXXXXXXXXXXXX',
    externalStatus: 'pending_deregistration',
  }),
  'setup-guide/number-deregistration.successful.json': numberEvent('deregistration', 'successful', {
    externalStatus: 'unregistered',
  }),
  'setup-guide/number-registration.failed.json': numberEvent('registration', 'failed', failedNumber),
  'setup-guide/number-registration.pending.json': numberEvent('registration', 'pending', {
    campaignSid: 'CMXXXXXXXXXXXXXXXX',
    externalStatus: 'pending_registration',
  }),
  'setup-guide/number-registration.successful.json': numberEvent('registration', 'successful', {
    campaignSid: 'CMXXXXXXXXXXXXXXXX',
    externalStatus: 'registered',
  }),
  'setup-guide/raw/brand-registration.brand-failure.txt': { status: 400, error: /malformed JSON/ },
  'setup-guide/raw/brand-registration.brand-unverified.txt': { status: 400, error: /malformed JSON/ },
  'setup-guide/raw/campaign-registration.campaign-approved.txt': { status: 400, error: /malformed JSON/ },
};

afterEach(closeServers);

describe("Twilio's documented Event Streams payloads, as they are", () => {
  it('has an expectation for every payload file in the reference folder', () => {
    expect(payloadFiles(EVENTS_DIR).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', async (file, expected) => {
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    const res = await inject({ ...signedJson(PATH, read(file)) });
    await app.close(); // signalling runs after the reply; close waits for it
    expect(res.statusCode).toBe(expected.status);
    if (expected.status === 400) {
      expect((res.json() as { error: string }).error).toMatch(expected.error);
      expect(signaller.attempts).toEqual([]);
    } else if (expected.signal === null) {
      expect(signaller.signals).toEqual([]);
      expect(signaller.lookups).toEqual([]);
    } else {
      expect(signaller.signals).toEqual([
        { workflowId: expected.workflowId, signal: expected.signal, payload: expected.payload },
      ]);
    }
  });

  /**
   * The JSON Schemas' examples are `data` objects without an envelope (README, "Files"). Sent
   * inside the envelope Twilio uses for their type, the data (unchanged) maps like this.
   */
  it.each([
    [
      'schema-examples/A2P.BrandRegisteredUnverified.v3.example-data.json',
      'brand-unverified',
      {
        brandStatus: 'APPROVED',
        identityStatus: 'UNVERIFIED',
        failureReason:
          '30796: Brand Registration Feedback: The submitted stock symbol and stock exchange could not be verified for the submitted legal company name. (stock_ticker, stock_exchange, business_name)',
        errors: [
          {
            code: 30796,
            description:
              'Brand Registration Feedback: The submitted stock symbol and stock exchange could not be verified for the submitted legal company name.',
            url: 'https://www.twilio.com/docs/api/errors/30796',
            fields: ['stock_ticker', 'stock_exchange', 'business_name'],
          },
        ],
      },
    ],
    [
      'schema-examples/A2P.BrandRegistrationSecondaryVettingFailure.v2.example-data.json',
      'brand-secondary-vetting-failure',
      {
        brandStatus: 'APPROVED',
        identityStatus: 'VERIFIED',
        vettingOutcome: 'FAILED',
        failureReason:
          '30797: Brand Registration Feedback: The company’s submission as a Government Entity type could not be confirmed from independent sources (entity_type)',
        errors: [
          {
            code: 30797,
            description:
              'Brand Registration Feedback: The company’s submission as a Government Entity type could not be confirmed from independent sources',
            url: 'https://www.twilio.com/docs/api/errors/30797',
            fields: ['entity_type'],
          },
        ],
      },
    ],
  ])('%s, as the data of a %s event', async (file, subtype, expected) => {
    const data: unknown = JSON.parse(read(file));
    const body = JSON.stringify([
      {
        specversion: '1.0',
        type: `${BRAND}${subtype}`,
        source: 'AB00000000000000000000000001',
        id: 'NO00000000000000000000000002',
        dataschema: 'https://events-schemas.twilio.com/A2P.Example/1',
        data,
      },
    ]);
    const { app, signaller, inject } = testServer({ signaller: knownWorkflows() });
    expect((await inject({ ...signedJson(PATH, body) })).statusCode).toBe(200);
    await app.close();
    expect(signaller.signals).toEqual([
      {
        workflowId: 'a2p-registration-current',
        signal: 'brandStatus',
        payload: {
          eventId: 'NO00000000000000000000000002',
          occurredAt: ms(1756043494500),
          brandSid: 'BN0000000000000000000000000000001',
          eventType: `${BRAND}${subtype}`,
          ...expected,
        },
      },
    ]);
  });
});
