import { z } from 'zod';
import { registrationRequestSchema, standardRegistrationRequestSchema } from '../domain';

/**
 * Reading the files `a2p import` takes: `.csv` (one column per leaf field of the request, dotted
 * paths, docs/import.md) and `.jsonl` (one request JSON per line). Pure functions: the text in,
 * the requests with their line numbers out, and every problem with the line it is on.
 */

/** A problem on one line of the file: `line 7: soleProprietor.email: must be ...`. */
export interface LineIssue {
  line: number;
  /** The column (CSV) or field path (JSONL) it is about, if any. */
  path?: string;
  message: string;
}

export function formatLineIssue(issue: LineIssue): string {
  return `line ${issue.line}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** One request of the file, and how to name a field of it the way the file does. */
export interface ImportRow {
  /** The line the row starts on (1 = the CSV header or the first JSONL line). */
  line: number;
  input: unknown;
  /** A validation issue's path (`campaign.messageSamples.0`) as the file names it (`campaign.messageSamples.1`). */
  columnOf: (path: string) => string;
}

export interface ImportFile {
  rows: ImportRow[];
  /** Problems found reading the file (syntax, header, cells); the rows' own validation is separate. */
  problems: LineIssue[];
}

export const IMPORT_FORMATS = ['.csv', '.jsonl'] as const;

/** The file's requests by its name's extension; undefined when it is neither `.csv` nor `.jsonl`. */
export function readImportFile(name: string, text: string): ImportFile | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return readCsvRequests(text);
  if (lower.endsWith('.jsonl')) return readJsonlRequests(text);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JSONL
// ---------------------------------------------------------------------------------------------

const sameAsJson = (path: string) => path;

/** One JSON request per line; blank lines are skipped, every line keeps its number. */
export function readJsonlRequests(text: string): ImportFile {
  const rows: ImportRow[] = [];
  const problems: LineIssue[] = [];
  stripBom(text)
    .split(/\r?\n/)
    .forEach((content, i) => {
      const line = i + 1;
      if (content.trim() === '') return;
      try {
        rows.push({ line, input: JSON.parse(content) as unknown, columnOf: sameAsJson });
      } catch (err) {
        problems.push({ line, message: `is not JSON: ${(err as Error).message}` });
      }
    });
  return { rows, problems };
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks in double quotes, a
// quote inside doubled)
// ---------------------------------------------------------------------------------------------

/** A CSV record and the line it starts on (a quoted line break makes a record span lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvSyntaxError';
  }
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Splits CSV text into records. Line breaks are LF or CRLF, inside quotes too (kept as written);
 * a quote inside an unquoted field is taken literally; text after a closing quote, or a quote
 * never closed, is an error at the line it is on. A final line break ends the last record
 * rather than starting an empty one.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = stripBom(text);
  const records: CsvRecord[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '"' && cell === '') {
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(openedOn, 'a quoted field is never closed');
        const q = src[i];
        if (q === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        cell += q;
        i++;
      }
      const after = src[i];
      if (after !== undefined && after !== ',' && after !== '\n' && !(after === '\r' && src[i + 1] === '\n'))
        throw new CsvSyntaxError(
          line,
          'text after a closing quote: quote the whole field, and double the quotes inside it',
        );
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      i++;
    } else if (c === '\n' || (c === '\r' && src[i + 1] === '\n')) {
      endRecord();
      i += c === '\r' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (cells.length > 0 || cell !== '') endRecord();
  return records;
}

// ---------------------------------------------------------------------------------------------
// Columns from the request schema
// ---------------------------------------------------------------------------------------------

type CellKind = 'text' | 'boolean' | 'number';

/**
 * A leaf field of the request: one column, or (a list) numbered columns `path.1`, `path.2`, …
 * A field inside a list of objects has `#` for the item's number in its path
 * (`campaigns.#.usecase`: columns `campaigns.1.usecase`, `campaigns.2.usecase`, …).
 */
export interface ColumnField {
  path: string;
  kind: CellKind;
  list: boolean;
}

/** The item-number placeholder in a ColumnField's path. */
const ITEM = '#';

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else return s;
  }
}

function cellKind(schema: z.core.$ZodType): CellKind {
  const s = unwrap(schema);
  if (s instanceof z.ZodBoolean) return 'boolean';
  if (s instanceof z.ZodNumber) return 'number';
  if (s instanceof z.ZodLiteral) {
    const [value] = s.values;
    return typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'text';
  }
  return 'text';
}

/**
 * The requests `a2p import` reads: Sole Proprietor ones, and Standard or Low-Volume Standard ones
 * (with `brandType`), so the columns are both schemas'.
 */
export const IMPORT_REQUEST_SCHEMA = z.union([registrationRequestSchema, standardRegistrationRequestSchema]);

/**
 * Every leaf field of a request schema, in the schema's order: nested objects by dotted path, each
 * variant of a union (a discriminated request) adding the fields it has, lists of values as one
 * field whose columns are numbered, lists of objects as their fields with `#` for the item.
 */
export function columnFields(schema: z.core.$ZodType = IMPORT_REQUEST_SCHEMA): ColumnField[] {
  const fields = new Map<string, ColumnField>();
  const walk = (node: z.core.$ZodType, prefix: string) => {
    const s = unwrap(node);
    const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
    if (s instanceof z.ZodObject) {
      const shape: Record<string, z.core.$ZodType> = s.shape;
      for (const [key, child] of Object.entries(shape)) walk(child, at(key));
    } else if (s instanceof z.ZodUnion) {
      for (const option of s.options) walk(option, prefix);
    } else if (s instanceof z.ZodArray && unwrap(s.element) instanceof z.ZodObject) {
      walk(s.element, at(ITEM));
    } else if (s instanceof z.ZodArray) {
      if (!fields.has(prefix)) fields.set(prefix, { path: prefix, kind: cellKind(s.element), list: true });
    } else if (!fields.has(prefix)) {
      fields.set(prefix, { path: prefix, kind: cellKind(s), list: false });
    }
  };
  walk(schema, '');
  return [...fields.values()];
}

/** A field's path segments, with `#` for every item number its columns have (a list's last). */
const segmentsOf = (f: ColumnField) => [...f.path.split('.'), ...(f.list ? [ITEM] : [])];

/**
 * Column names for fields (as segments) with every item number from 1 to `count`, item by item:
 * all of a list's first item's columns, then its second's (`campaigns.1.usecase`, …,
 * `campaigns.1.phoneNumberSids.2`, `campaigns.2.usecase`, …).
 */
function expand(fields: string[][], count: number): string[][] {
  const names: string[][] = [];
  const done = new Set<string>();
  for (const segments of fields) {
    const k = segments.indexOf(ITEM);
    if (k === -1) {
      names.push(segments);
      continue;
    }
    const list = segments.slice(0, k).join('.');
    if (done.has(list)) continue;
    done.add(list);
    const group = fields.filter((f) => f.indexOf(ITEM) === k && f.slice(0, k).join('.') === list);
    for (let n = 1; n <= count; n++)
      names.push(
        ...expand(
          group.map((f) => [...f.slice(0, k), String(n), ...f.slice(k + 1)]),
          count,
        ),
      );
  }
  return names;
}

/** The header of a CSV template: every field, lists with `listColumns` numbered columns each. */
export function csvHeader(listColumns = 2, schema: z.core.$ZodType = IMPORT_REQUEST_SCHEMA): string[] {
  return expand(columnFields(schema).map(segmentsOf), listColumns).map((s) => s.join('.'));
}

/** Levenshtein distance, for the column a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** A header cell understood: the field, and the item numbers (from 1) its `#`s stand for. */
interface Column {
  name: string;
  field?: ColumnField;
  items: number[];
}

/** A column name with its numeric segments as `#`: the field it names, whatever the numbers. */
const pattern = (name: string) =>
  name
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? ITEM : s))
    .join('.');

function headerProblem(name: string, fields: ColumnField[]): string {
  const segments = name.split('.');
  const bare = segments.filter((s) => !/^\d+$/.test(s)).join('.');
  const sameField = fields.find(
    (f) =>
      f.path
        .split('.')
        .filter((s) => s !== ITEM)
        .join('.') === bare,
  );
  if (sameField) {
    const numbered = pattern(name);
    const full = segmentsOf(sameField).join('.');
    if (numbered === full)
      return `column "${name}": list items are numbered from 1 (${[1, 2]
        .map((n) => segments.map((s) => (/^\d+$/.test(s) && !/^[1-9]\d*$/.test(s) ? String(n) : s)).join('.'))
        .join(', ')}, …)`;
    if (sameField.list && `${numbered}.${ITEM}` === full)
      return `column "${name}" is a list: give one column per item, ${name}.1, ${name}.2, …`;
    const [first, second] = [1, 2].map((n) => full.split(ITEM).join(String(n)));
    return `column "${name}" is in a list: number its items from 1, like ${first}, ${second}, …`;
  }
  const known = fields.map((f) => segmentsOf(f).join('.').split(ITEM).join('1'));
  const [best] = known
    .map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  return best && best.d <= 3
    ? `unknown column "${name}"; did you mean "${best.k}"?`
    : `unknown column "${name}" (docs/import.md lists the columns)`;
}

function readHeader(cells: string[], fields: ColumnField[]): { columns: Column[]; problems: string[] } {
  const byPattern = new Map(fields.map((f) => [segmentsOf(f).join('.'), f]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns = cells.map((raw): Column => {
    const name = raw.trim();
    if (name === '') return { name, items: [] };
    if (seen.has(name)) problems.push(`column "${name}" appears twice`);
    seen.add(name);
    const numbers = name.split('.').filter((s) => /^\d+$/.test(s));
    const field = byPattern.get(pattern(name));
    if (field && numbers.every((n) => /^[1-9]\d*$/.test(n)))
      return { name, field, items: numbers.map(Number) };
    problems.push(headerProblem(name, fields));
    return { name, items: [] };
  });
  return { columns, problems };
}

/** `true`/`false` (any case) become booleans, numbers numbers; anything else stays text for the schema to name. */
function cellValue(kind: CellKind, text: string): unknown {
  if (kind === 'boolean') {
    const lower = text.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  if (kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

/** A row being read: objects by key, lists by item number (gaps closed when it is done). */
type Node = { list: false; keys: Map<string, Node | Leaf> } | { list: true; items: Map<number, Node | Leaf> };
interface Leaf {
  value: unknown;
}

const isLeaf = (n: Node | Leaf): n is Leaf => 'value' in n;

/** Puts a cell's value at its field's path, `#`s taken from the column's item numbers in order. */
function place(root: Node, segments: string[], items: number[], value: unknown): void {
  let node = root;
  let item = 0;
  segments.forEach((segment, i) => {
    const key = segment === ITEM ? items[item++] : segment;
    const get = () => (node.list ? node.items.get(key as number) : node.keys.get(key as string));
    const set = (child: Node | Leaf) =>
      node.list ? node.items.set(key as number, child) : node.keys.set(key as string, child);
    if (i === segments.length - 1) {
      set({ value });
      return;
    }
    let child = get();
    if (!child || isLeaf(child)) {
      child = segments[i + 1] === ITEM ? { list: true, items: new Map() } : { list: false, keys: new Map() };
      set(child);
    }
    node = child;
  });
}

/**
 * The row's request, and per list (by its JSON path) the item number each array position came
 * from: the items keep their numbers' order, and numbers with nothing in them are skipped.
 */
function materialize(node: Node | Leaf, path: string, itemColumns: Map<string, number[]>): unknown {
  if (isLeaf(node)) return node.value;
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (!node.list)
    return Object.fromEntries(
      [...node.keys].map(([key, child]) => [key, materialize(child, at(key), itemColumns)]),
    );
  const numbers = [...node.items.keys()].sort((a, b) => a - b);
  itemColumns.set(path, numbers);
  return numbers.map((n, i) => materialize(node.items.get(n) as Node | Leaf, at(i), itemColumns));
}

/**
 * The requests of a CSV file. Row 1 is the header: one column per leaf field (dotted paths like
 * `soleProprietor.firstName`), a list field as numbered columns (`campaign.messageSamples.1`,
 * `.2`, … in that order; empty ones are skipped). An empty cell (or one of spaces) leaves its
 * field out; booleans are `true` or `false`. Unknown or repeated columns stop the whole file: its
 * rows cannot be read right. Blank lines are skipped.
 */
export function readCsvRequests(text: string, schema: z.core.$ZodType = IMPORT_REQUEST_SCHEMA): ImportFile {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      return { rows: [], problems: [{ line: err.line, message: err.problem }] };
    throw err;
  }
  const [header, ...body] = records;
  if (!header)
    return { rows: [], problems: [{ line: 1, message: 'the file is empty: it needs a header row' }] };
  const fields = columnFields(schema);
  const { columns, problems: headerProblems } = readHeader(header.cells, fields);
  if (headerProblems.length > 0)
    return { rows: [], problems: headerProblems.map((message) => ({ line: header.line, message })) };

  const rows: ImportRow[] = [];
  const problems: LineIssue[] = [];
  for (const { line, cells } of body) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length > columns.length) {
      problems.push({
        line,
        message: `has ${cells.length} cells but the header has ${columns.length} columns (a comma inside a value needs quotes)`,
      });
      continue;
    }
    const root: Node = { list: false, keys: new Map() };
    let unnamed = false;
    cells.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const { field, items } = columns[i];
      if (!field) {
        unnamed = true;
        problems.push({ line, message: `column ${i + 1} has a value but no name in the header` });
        return;
      }
      place(root, segmentsOf(field), items, cellValue(field.kind, raw));
    });
    if (unnamed) continue;
    /** Per list, the item number each array position came from (empty items are skipped). */
    const itemColumns = new Map<string, number[]>();
    const input = materialize(root, '', itemColumns);
    rows.push({ line, input, columnOf: (path) => columnOf(path, itemColumns) });
  }
  return { rows, problems };
}

/**
 * `campaign.messageSamples.0` → the column that item came from (`campaign.messageSamples.1`);
 * `campaigns.0.phoneNumberSids.1` → `campaigns.1.phoneNumberSids.2`, list by list.
 */
function columnOf(path: string, itemColumns: Map<string, number[]>): string {
  const json: string[] = [];
  const column: string[] = [];
  for (const segment of path.split('.')) {
    const numbers = itemColumns.get(json.join('.'));
    const number = numbers && /^\d+$/.test(segment) ? numbers[Number(segment)] : undefined;
    column.push(number === undefined ? segment : String(number));
    json.push(segment);
  }
  return column.join('.');
}
