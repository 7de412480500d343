import { type FieldIssue, parseExternalCampaignRequest } from '../../../src/domain';

const PN1 = 'PN0123456789abcdef0123456789abcdef';
const PN2 = 'PNfedcba9876543210fedcba9876543210';
const MG = 'MG0123456789abcdef0123456789abcdef';

function issuesOf(input: unknown): FieldIssue[] {
  const parsed = parseExternalCampaignRequest(input);
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.value)}`);
  return parsed.issues;
}

describe('external campaign request (003)', () => {
  it('accepts the documented example id with an existing service', () => {
    expect(
      parseExternalCampaignRequest({
        campaignId: 'CRMTK1Z',
        messagingServiceSid: MG,
        phoneNumberSids: [PN1],
      }),
    ).toEqual({
      ok: true,
      value: { campaignId: 'CRMTK1Z', messagingServiceSid: MG, phoneNumberSids: [PN1] },
    });
  });

  it('accepts a request to create the service, with or without a name', () => {
    for (const createMessagingService of [{}, { friendlyName: ' Acme external campaign ' }]) {
      const parsed = parseExternalCampaignRequest({
        campaignId: 'CFOOBAR',
        phoneNumberSids: [PN1, PN2],
        createMessagingService,
      });
      expect(parsed.ok).toBe(true);
    }
    const parsed = parseExternalCampaignRequest({
      campaignId: 'CFOOBAR',
      phoneNumberSids: [PN1],
      createMessagingService: { friendlyName: ' Acme ' },
    });
    expect(parsed.ok && parsed.value.createMessagingService).toEqual({ friendlyName: 'Acme' });
  });

  it('normalises the campaign id to upper case', () => {
    const parsed = parseExternalCampaignRequest({ campaignId: ' crmtk1z ', phoneNumberSids: [PN1] });
    expect(parsed.ok && parsed.value.campaignId).toBe('CRMTK1Z');
  });

  it.each([
    'CRMTK1', // 6 characters
    'CRMTK1ZZ', // 8 characters
    'XRMTK1Z', // does not start with C
    'CRM-K1Z', // not alphanumeric
    '',
  ])('rejects the campaign id %j (7 alphanumerics starting with C)', (campaignId) => {
    expect(issuesOf({ campaignId, phoneNumberSids: [PN1] })).toEqual([
      {
        path: 'campaignId',
        message: "must be TCR's campaign id: 7 letters or digits starting with C, like CRMTK1Z",
      },
    ]);
  });

  it('needs at least one phone number, each a PN SID, each once', () => {
    expect(issuesOf({ campaignId: 'CRMTK1Z', phoneNumberSids: [] })).toEqual([
      { path: 'phoneNumberSids', message: 'must list at least one phone number SID' },
    ]);
    expect(issuesOf({ campaignId: 'CRMTK1Z' })).toEqual([
      { path: 'phoneNumberSids', message: 'is required' },
    ]);
    expect(issuesOf({ campaignId: 'CRMTK1Z', phoneNumberSids: [PN1, MG, PN1] })).toEqual([
      { path: 'phoneNumberSids.1', message: 'must be a phone number SID: "PN" followed by 32 hex digits' },
      { path: 'phoneNumberSids.2', message: `repeats ${PN1}; list each number once` },
    ]);
  });

  it('refuses both an existing service and a new one', () => {
    expect(
      issuesOf({
        campaignId: 'CRMTK1Z',
        phoneNumberSids: [PN1],
        messagingServiceSid: MG,
        createMessagingService: {},
      }),
    ).toEqual([
      {
        path: 'createMessagingService',
        message: 'cannot be given together with messagingServiceSid: use the existing service or create one',
      },
    ]);
  });

  it('bounds the new service name and rejects unknown keys', () => {
    const issues = issuesOf({
      campaignId: 'CRMTK1Z',
      phoneNumberSids: [PN1],
      createMessagingService: { friendlyName: 'x'.repeat(65), useCase: 'MARKETING' },
      campaignID: 'CRMTK1Z',
    });
    expect(issues).toEqual([
      { path: 'createMessagingService.friendlyName', message: 'must be at most 64 characters' },
      {
        path: 'createMessagingService.useCase',
        message: 'is not a known field (known fields: friendlyName)',
      },
      { path: 'campaignID', message: 'is not a known field; did you mean "campaignId"?' },
    ]);
  });

  it('reports every bad field at once', () => {
    const issues = issuesOf({ campaignId: 'R123', messagingServiceSid: 'MG1', phoneNumberSids: 'PN' });
    expect(issues.map((i) => i.path)).toEqual(['campaignId', 'messagingServiceSid', 'phoneNumberSids']);
    expect(issuesOf([])).toEqual([{ path: '(request)', message: 'must be a JSON object' }]);
  });
});
