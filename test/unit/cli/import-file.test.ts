import { z } from 'zod';
import {
  columnFields,
  csvHeader,
  parseCsv,
  readCsvRequests,
  readImportFile,
  readJsonlRequests,
} from '../../../src/cli/import-file';
import { prepareImport } from '../../../src/cli/import';
import {
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
  type StandardRegistrationRequest,
} from '../../../src/domain';

/** A CSV cell as a spreadsheet writes it: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The sample request as a CSV row under `header` (list items in numbered columns). */
function sampleRow(
  header: string[],
  overrides: Record<string, string> = {},
  sample: unknown = SAMPLE_REGISTRATION_REQUEST,
): string {
  const flat: Record<string, string> = {};
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.${i + 1}`));
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    else flat[path] = String(value);
  };
  walk(sample, '');
  return header.map((h) => cell(overrides[h] ?? flat[h] ?? '')).join(',');
}

const HEADER = csvHeader();

describe('parseCsv', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; each record knows its first line', () => {
    const records = parseCsv(
      'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n"",plain,"three\r\nmore\nlines"\nlast,,\n',
    );
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 4, cells: ['', 'plain', 'three\r\nmore\nlines'] },
      { line: 7, cells: ['last', '', ''] },
    ]);
  });

  test('a byte-order mark is dropped and a missing final line break is fine', () => {
    expect(parseCsv('\uFEFFa,b\n1,2')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  test('a quote never closed, or text after a closing quote, is an error at its line', () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open\n')).toThrow('line 2: a quoted field is never closed');
    expect(() => parseCsv('a,b\n1,2\n"x"y,3\n')).toThrow('line 3: text after a closing quote');
  });
});

describe('columns from the request schema', () => {
  test('one column per leaf field by dotted path; lists numbered from 1', () => {
    expect(HEADER).toEqual(
      expect.arrayContaining([
        'customerId',
        'soleProprietor.firstName',
        'soleProprietor.email',
        'address.postalCode',
        'campaign.messageSamples.1',
        'campaign.messageSamples.2',
        'campaign.hasEmbeddedLinks',
        'campaign.optInKeywords.1',
        'phoneNumberSid',
        'mock',
      ]),
    );
    expect(HEADER).not.toContain('campaign.messageSamples');
    expect(HEADER).not.toContain('soleProprietor');
  });

  test('every variant of a discriminated request adds its own columns', () => {
    const schema = z.discriminatedUnion('brandType', [
      z.object({
        brandType: z.literal('SOLE_PROPRIETOR'),
        soleProprietor: z.object({ firstName: z.string() }),
      }),
      z.object({
        brandType: z.literal('STANDARD'),
        business: z.object({ name: z.string(), public: z.boolean().optional() }),
      }),
    ]);
    expect(columnFields(schema)).toEqual([
      { path: 'brandType', kind: 'text', list: false },
      { path: 'soleProprietor.firstName', kind: 'text', list: false },
      { path: 'business.name', kind: 'text', list: false },
      { path: 'business.public', kind: 'boolean', list: false },
    ]);
  });
});

describe('readCsvRequests', () => {
  test('a row becomes the request it describes: lists in column order, booleans, empty cells left out', () => {
    const header = [...HEADER, 'campaign.messageSamples.3'];
    const text = [
      header.join(','),
      sampleRow(header, {
        'campaign.messageSamples.1': '',
        'campaign.messageSamples.3': 'Jane Doe Pottery: a third sample, with a comma. Reply STOP to opt out.',
        'campaign.hasEmbeddedLinks': 'TRUE',
      }),
    ].join('\n');
    const { rows, problems } = readCsvRequests(text);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
    const input = rows[0].input as typeof SAMPLE_REGISTRATION_REQUEST;
    expect(input.campaign.messageSamples).toEqual([
      SAMPLE_REGISTRATION_REQUEST.campaign.messageSamples[1],
      'Jane Doe Pottery: a third sample, with a comma. Reply STOP to opt out.',
    ]);
    expect(input.campaign.hasEmbeddedLinks).toBe(true);
    expect(input.campaign.hasEmbeddedPhone).toBe(false);
    expect('messagingServiceSid' in input).toBe(false);
    expect('optInKeywords' in input.campaign).toBe(false);
    // An issue about the second list item names the column it came from.
    expect(rows[0].columnOf('campaign.messageSamples.1')).toBe('campaign.messageSamples.3');
    expect(rows[0].columnOf('campaign.messageSamples')).toBe('campaign.messageSamples');
  });

  test('the sample request read back from CSV is the sample request', () => {
    const { rows } = readCsvRequests(`${HEADER.join(',')}\n${sampleRow(HEADER)}\n`);
    expect(rows[0].input).toEqual(SAMPLE_REGISTRATION_REQUEST);
  });

  test('unknown, repeated and un-numbered list columns are named, with the column meant', () => {
    const header = [
      ...HEADER,
      'soleProprietor.emial',
      'customerId',
      'campaign.messageSamples',
      'campaign.messageSamples.0',
    ];
    const { rows, problems } = readCsvRequests(`${header.join(',')}\n${sampleRow(header)}\n`);
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { line: 1, message: 'unknown column "soleProprietor.emial"; did you mean "soleProprietor.email"?' },
      { line: 1, message: 'column "customerId" appears twice' },
      {
        line: 1,
        message:
          'column "campaign.messageSamples" is a list: give one column per item, campaign.messageSamples.1, campaign.messageSamples.2, …',
      },
      {
        line: 1,
        message:
          'column "campaign.messageSamples.0": list items are numbered from 1 (campaign.messageSamples.1, campaign.messageSamples.2, …)',
      },
    ]);
  });

  test('a row with more cells than the header is refused at its line; blank lines are skipped', () => {
    const text = [HEADER.join(','), '', sampleRow(HEADER), `${sampleRow(HEADER)},extra`].join('\n');
    const { rows, problems } = readCsvRequests(text);
    expect(rows.map((r) => r.line)).toEqual([3]);
    expect(problems).toEqual([
      {
        line: 4,
        message: `has ${HEADER.length + 1} cells but the header has ${HEADER.length} columns (a comma inside a value needs quotes)`,
      },
    ]);
  });
});

describe('Standard rows (with brandType)', () => {
  /** The sample LLC with a second representative and a second campaign on two numbers. */
  const llc = (): StandardRegistrationRequest => {
    const r = structuredClone(SAMPLE_STANDARD_REQUEST);
    r.customerId = 'llc-1';
    r.authorizedRepresentatives.push({
      ...r.authorizedRepresentatives[0],
      firstName: 'Bo',
      email: 'bo@acmeplumbing.example.com',
      jobPosition: 'VP',
    });
    r.campaigns.push({
      ...r.campaigns[0],
      usecase: 'ACCOUNT_NOTIFICATION',
      phoneNumberSids: ['PN00000000000000000000000000000003', 'PN00000000000000000000000000000004'],
    });
    return r;
  };

  test('lists of objects are columns by item number, nested lists numbered within them', () => {
    expect(HEADER).toEqual(
      expect.arrayContaining([
        'brandType',
        'business.regionsOfOperation.1',
        'authorizedRepresentatives.1.firstName',
        'authorizedRepresentatives.2.jobPosition',
        'messagingProfile.brandContactEmail',
        'campaigns.1.usecase',
        'campaigns.1.messageSamples.2',
        'campaigns.2.phoneNumberSids.1',
        'subaccount',
      ]),
    );
    // Item by item: all of campaign 1's columns come before campaign 2's.
    expect(HEADER.indexOf('campaigns.1.phoneNumberSids.2')).toBeLessThan(
      HEADER.indexOf('campaigns.2.usecase'),
    );
    expect(columnFields()).toEqual(
      expect.arrayContaining([
        { path: 'campaigns.#.usecase', kind: 'text', list: false },
        { path: 'campaigns.#.phoneNumberSids', kind: 'text', list: true },
        { path: 'campaigns.#.hasEmbeddedLinks', kind: 'boolean', list: false },
      ]),
    );
  });

  test('a Standard row reads back as its request, gaps in the numbering closed, and is validated', () => {
    const request = llc();
    const header = [...HEADER, 'campaigns.3.usecase', 'campaigns.2.phoneNumberSids.3'];
    // Campaign 2's first number column left empty and its second number in column .3.
    const row = sampleRow(
      header,
      {
        'campaigns.2.phoneNumberSids.1': '',
        'campaigns.2.phoneNumberSids.2': request.campaigns[1].phoneNumberSids[0],
        'campaigns.2.phoneNumberSids.3': request.campaigns[1].phoneNumberSids[1],
      },
      request,
    );
    const { rows, problems } = readCsvRequests(`${header.join(',')}\n${row}\n`);
    expect(problems).toEqual([]);
    expect(rows[0].input).toEqual(request);
    expect(rows[0].columnOf('campaigns.1.phoneNumberSids.1')).toBe('campaigns.2.phoneNumberSids.3');
    expect(rows[0].columnOf('authorizedRepresentatives.1.email')).toBe('authorizedRepresentatives.2.email');

    const prepared = prepareImport('customers.csv', `${header.join(',')}\n${row}\n`);
    expect(prepared.entries).toEqual([{ line: 2, input: request }]);
  });

  test("a Standard row's bad fields are named by the columns they came from", () => {
    const header = [...HEADER, 'campaigns.2.phoneNumberSids.3'];
    const row = sampleRow(
      header,
      {
        'authorizedRepresentatives.2.email': 'bo',
        'campaigns.2.usecase': 'NOPE',
        'campaigns.2.phoneNumberSids.1': '',
        'campaigns.2.phoneNumberSids.3': 'PN00000000000000000000000000000002',
      },
      llc(),
    );
    let message = '';
    try {
      prepareImport('customers.csv', `${header.join(',')}\n${row}\n`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual(
      expect.arrayContaining([
        'line 2: authorizedRepresentatives.2.email: must be a well-formed email address with a valid domain, like jane@example.com',
        expect.stringMatching(/^line 2: campaigns\.2\.usecase: must be one of 2FA, /),
        'line 2: campaigns.2.phoneNumberSids.3: is also listed at campaigns.0.phoneNumberSids.0: a number sends for one campaign',
      ]),
    );
  });

  test('a misnamed or un-numbered column of a list of objects says which column was meant', () => {
    const { problems } = readCsvRequests(
      'customerId,campaigns.usecase,campaigns.1.usecse,campaigns.0.usecase,campaigns.1.phoneNumberSids\n',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'column "campaigns.usecase" is in a list: number its items from 1, like campaigns.1.usecase, campaigns.2.usecase, …',
      'unknown column "campaigns.1.usecse"; did you mean "campaigns.1.usecase"?',
      'column "campaigns.0.usecase": list items are numbered from 1 (campaigns.1.usecase, campaigns.2.usecase, …)',
      'column "campaigns.1.phoneNumberSids" is a list: give one column per item, campaigns.1.phoneNumberSids.1, campaigns.1.phoneNumberSids.2, …',
    ]);
  });

  test('a JSONL Standard row is validated as a Standard request', () => {
    const bad = llc();
    bad.customerId = 'llc-2';
    bad.business.registrationNumber = '12';
    const text = `${JSON.stringify(llc())}\n${JSON.stringify(bad)}\n`;
    expect(() => prepareImport('c.jsonl', text)).toThrow(
      'line 2: business.registrationNumber: must be a US EIN: nine digits, like 12-3456789 (registrationIdentifier is EIN)',
    );
    expect(prepareImport('c.jsonl', text, { skipInvalid: true }).entries).toEqual([
      { line: 1, input: llc() },
    ]);
  });
});

describe('readJsonlRequests', () => {
  test('one request per line, blank lines skipped, a line that is not JSON named', () => {
    const { rows, problems } = readJsonlRequests(
      `{"customerId":"a"}\n\n{"customerId":\n{"customerId":"c"}\n`,
    );
    expect(rows.map((r) => [r.line, r.input])).toEqual([
      [1, { customerId: 'a' }],
      [4, { customerId: 'c' }],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(3);
    expect(problems[0].message).toMatch(/^is not JSON: /);
  });

  test('the format follows the file name', () => {
    expect(readImportFile('customers.JSONL', '{}')?.rows).toHaveLength(1);
    expect(readImportFile('customers.csv', 'customerId\nc1')?.rows).toHaveLength(1);
    expect(readImportFile('customers.xlsx', '')).toBeUndefined();
  });
});

describe('prepareImport: every row checked before anything starts', () => {
  /** A file of mixed rows; line 4's message flow spans two lines, so later rows' numbers move. */
  const mixed = () =>
    [
      HEADER.join(','),
      sampleRow(HEADER, { customerId: 'good-1', 'campaign.hasEmbeddedPhone': '' }),
      sampleRow(HEADER, { customerId: 'bad-email', 'soleProprietor.email': 'jane.doe' }),
      sampleRow(HEADER, {
        customerId: 'good-2',
        'campaign.messageFlow': `${SAMPLE_REGISTRATION_REQUEST.campaign.messageFlow}\nSigned up in person too, on a paper form.`,
      }),
      sampleRow(HEADER, {
        customerId: 'bad-sample',
        'campaign.messageSamples.2': 'too short',
        'campaign.hasEmbeddedLinks': 'yes',
      }),
      sampleRow(HEADER, { customerId: 'good-1' }),
    ].join('\n');

  test('bad rows are reported with line numbers and column names, and nothing is prepared to start', () => {
    expect(() => prepareImport('customers.csv', mixed())).toThrow(
      [
        'customers.csv: 4 lines cannot be registered:',
        'line 2: campaign.hasEmbeddedPhone: is required (true or false)',
        'line 3: soleProprietor.email: must be a well-formed email address with a valid domain, like jane@example.com',
        'line 6: campaign.messageSamples.2: must be at least 20 characters (it has 9)',
        'line 6: campaign.hasEmbeddedLinks: must be true or false',
        'line 7: customerId: "good-1" is also on line 2: each customer registers once per batch',
        'Nothing was started: fix them and run the import again, or start the 1 valid row alone with --skip-invalid.',
      ].join('\n'),
    );
  });

  test('with --skip-invalid the valid rows are prepared and the bad ones listed', () => {
    const prepared = prepareImport('customers.csv', mixed(), { skipInvalid: true });
    expect(prepared.entries.map((e) => [e.line, (e.input as { customerId: string }).customerId])).toEqual([
      [4, 'good-2'],
    ]);
    expect(prepared.invalidRows).toBe(4);
    expect(prepared.problems.map((p) => p.line)).toEqual([2, 3, 6, 6, 7]);
  });

  test('a JSONL file names fields by their JSON path', () => {
    const bad = {
      ...SAMPLE_REGISTRATION_REQUEST,
      customerId: 'j-2',
      address: { ...SAMPLE_REGISTRATION_REQUEST.address, postalCode: 'K1A 0B1' },
    };
    const text = `${JSON.stringify({ ...SAMPLE_REGISTRATION_REQUEST, customerId: 'j-1' })}\n${JSON.stringify(bad)}\n`;
    expect(() => prepareImport('c.jsonl', text)).toThrow(
      'line 2: address.postalCode: must be a US ZIP code like 94016 or 02215-4147 (isoCountry is US)',
    );
  });

  test('a header it cannot read stops the file even with --skip-invalid', () => {
    expect(() => prepareImport('c.csv', 'customerId,nope\nc1,x\n', { skipInvalid: true })).toThrow(
      'line 1: unknown column "nope"',
    );
  });
});
