import { z } from 'zod';
import { registrationRequestSchema } from '../domain';

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

/** A leaf field of the request: one column, or (a list) numbered columns `path.1`, `path.2`, … */
export interface ColumnField {
  path: string;
  kind: CellKind;
  list: boolean;
}

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
 * Every leaf field of a request schema, in the schema's order: nested objects by dotted path, each
 * variant of a union (a discriminated request) adding the fields it has, lists as one field whose
 * columns are numbered.
 */
export function columnFields(schema: z.core.$ZodType = registrationRequestSchema): ColumnField[] {
  const fields = new Map<string, ColumnField>();
  const walk = (node: z.core.$ZodType, prefix: string) => {
    const s = unwrap(node);
    if (s instanceof z.ZodObject) {
      const shape: Record<string, z.core.$ZodType> = s.shape;
      for (const [key, child] of Object.entries(shape)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else if (s instanceof z.ZodUnion) {
      for (const option of s.options) walk(option, prefix);
    } else if (s instanceof z.ZodArray) {
      if (!fields.has(prefix)) fields.set(prefix, { path: prefix, kind: cellKind(s.element), list: true });
    } else if (!fields.has(prefix)) {
      fields.set(prefix, { path: prefix, kind: cellKind(s), list: false });
    }
  };
  walk(schema, '');
  return [...fields.values()];
}

/** The header of a CSV template: every field, lists with `listColumns` numbered columns each. */
export function csvHeader(listColumns = 2, schema: z.core.$ZodType = registrationRequestSchema): string[] {
  return columnFields(schema).flatMap((f) =>
    f.list ? Array.from({ length: listColumns }, (_, i) => `${f.path}.${i + 1}`) : [f.path],
  );
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

/** A header cell understood: the field, and for a list the item's number (from 1). */
interface Column {
  name: string;
  field?: ColumnField;
  item?: number;
}

function headerProblem(name: string, fields: ColumnField[]): string {
  const list = fields.find((f) => f.list && f.path === name);
  if (list) return `column "${name}" is a list: give one column per item, ${name}.1, ${name}.2, …`;
  const numbered = /^(.*)\.(\d+)$/.exec(name);
  if (numbered && fields.some((f) => f.list && f.path === numbered[1]))
    return `column "${name}": list items are numbered from 1 (${numbered[1]}.1, ${numbered[1]}.2, …)`;
  const known = fields.map((f) => (f.list ? `${f.path}.1` : f.path));
  const [best] = known
    .map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  return best && best.d <= 3
    ? `unknown column "${name}"; did you mean "${best.k}"?`
    : `unknown column "${name}" (docs/import.md lists the columns)`;
}

function readHeader(cells: string[], fields: ColumnField[]): { columns: Column[]; problems: string[] } {
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns = cells.map((raw): Column => {
    const name = raw.trim();
    if (name === '') return { name };
    if (seen.has(name)) problems.push(`column "${name}" appears twice`);
    seen.add(name);
    const field = byPath.get(name);
    if (field && !field.list) return { name, field };
    const numbered = /^(.*)\.([1-9]\d*)$/.exec(name);
    const list = numbered ? byPath.get(numbered[1]) : undefined;
    if (numbered && list?.list) return { name, field: list, item: Number(numbered[2]) };
    problems.push(headerProblem(name, fields));
    return { name };
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

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * The requests of a CSV file. Row 1 is the header: one column per leaf field (dotted paths like
 * `soleProprietor.firstName`), a list field as numbered columns (`campaign.messageSamples.1`,
 * `.2`, … in that order; empty ones are skipped). An empty cell (or one of spaces) leaves its
 * field out; booleans are `true` or `false`. Unknown or repeated columns stop the whole file: its
 * rows cannot be read right. Blank lines are skipped.
 */
export function readCsvRequests(
  text: string,
  schema: z.core.$ZodType = registrationRequestSchema,
): ImportFile {
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
    const input: Record<string, unknown> = {};
    const items = new Map<string, { item: number; column: string; value: unknown }[]>();
    let unnamed = false;
    cells.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const { field, item, name } = columns[i];
      if (!field) {
        unnamed = true;
        problems.push({ line, message: `column ${i + 1} has a value but no name in the header` });
        return;
      }
      const value = cellValue(field.kind, raw);
      if (item === undefined) setPath(input, field.path, value);
      else items.set(field.path, [...(items.get(field.path) ?? []), { item, column: name, value }]);
    });
    if (unnamed) continue;
    /** Per list field, the column each array position came from (empty items are skipped). */
    const itemColumns = new Map<string, string[]>();
    for (const [path, list] of items) {
      list.sort((a, b) => a.item - b.item);
      setPath(
        input,
        path,
        list.map((e) => e.value),
      );
      itemColumns.set(
        path,
        list.map((e) => e.column),
      );
    }
    rows.push({ line, input, columnOf: (path) => columnOf(path, itemColumns) });
  }
  return { rows, problems };
}

/** `campaign.messageSamples.0` → the column that item came from (`campaign.messageSamples.1`). */
function columnOf(path: string, itemColumns: Map<string, string[]>): string {
  for (const [list, names] of itemColumns) {
    if (!path.startsWith(`${list}.`)) continue;
    const [index, ...rest] = path.slice(list.length + 1).split('.');
    const column = /^\d+$/.test(index) ? names[Number(index)] : undefined;
    if (column) return [column, ...rest].join('.');
  }
  return path;
}
