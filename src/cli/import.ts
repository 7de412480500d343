import {
  type BulkStartResult,
  checkRegistrations,
  type RegistrarClient,
  type RegistrationSummary,
} from '../client';
import type { FieldIssue } from '../domain';
import type { RegistrationPhase } from '../shared';
import {
  formatLineIssue,
  type ImportRow,
  IMPORT_FORMATS,
  type LineIssue,
  readImportFile,
} from './import-file';

/**
 * `a2p import <file>`: an ISV onboarding its customer base from a CSV or JSONL file
 * (docs/import.md). Every row is checked before anything is started; the valid rows are started
 * through `startRegistrations` (idempotent: a second run of the same file starts nothing twice);
 * then a live count per phase until every registration has settled or the user detaches.
 */

export type ImportRegistrar = Pick<
  RegistrarClient,
  'startRegistrations' | 'listRegistrations' | 'getProgress'
>;

export interface ImportOptions {
  /** Start the valid rows although others are invalid (default: a bad row stops the whole file). */
  skipInvalid?: boolean;
  acceptWarnings?: boolean;
  /** Watch the registrations until they settle (default true; `--no-wait` starts and exits). */
  wait?: boolean;
  /** How many registrations are being started at once. */
  concurrency?: number;
  /** How often the live display refreshes (default 2 s). */
  refreshMs?: number;
}

export interface ImportIo {
  /** Whole lines: results, summaries, and the live counts when there is no terminal. */
  out: (text: string) => void;
  /** A terminal to refresh the live counts on in place; without one, each change is a new line. */
  live?: { isTTY?: boolean; write: (text: string) => unknown };
  /** Subscribes to the user's Ctrl-C (detach) and returns how to unsubscribe. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** The file could not be used: nothing was started. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** A row that can be started, with where it is in the file. */
export interface ImportEntry {
  line: number;
  input: unknown;
}

/** A file read and checked: what can be started, and every problem by line. */
export interface PreparedImport {
  file: string;
  entries: ImportEntry[];
  problems: LineIssue[];
  /** Lines that had a problem (a row may have several). */
  invalidRows: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Reads and checks an import file without connecting anywhere: the syntax, the header, and every
 * row as `startRegistration` checks a request (fields, campaign pre-vetting, warnings unless
 * accepted), each problem named by line and column. Throws ImportFileError when the file cannot
 * be used, or has bad rows and `skipInvalid` is not set.
 */
export function prepareImport(file: string, text: string, options: ImportOptions = {}): PreparedImport {
  const read = readImportFile(file, text);
  if (!read) throw new ImportFileError(`${file}: a2p import reads ${IMPORT_FORMATS.join(' or ')} files`);
  const fileProblems = read.problems;
  const rows: ImportRow[] = read.rows;
  const checked = checkRegistrations(
    rows.map((r) => r.input),
    { acceptWarnings: options.acceptWarnings, describe: (i) => `on line ${rows[i].line}` },
  );
  const rowProblems = checked.flatMap((c, i): LineIssue[] =>
    c.ok ? [] : c.issues.map((issue: FieldIssue) => rowIssue(rows[i], issue)),
  );
  const problems = [...fileProblems, ...rowProblems].sort((a, b) => a.line - b.line);
  const entries = rows.filter((_, i) => checked[i].ok).map(({ line, input }) => ({ line, input }));
  const invalidRows = new Set(problems.map((p) => p.line)).size;
  const prepared = { file, entries, problems, invalidRows };
  const headerBroken = read.rows.length === 0 && fileProblems.length > 0;
  if (problems.length > 0 && (!options.skipInvalid || headerBroken))
    throw new ImportFileError(
      [
        `${file}: ${plural(invalidRows, 'line')} cannot be registered:`,
        ...problems.map(formatLineIssue),
        headerBroken
          ? 'Nothing was started.'
          : `Nothing was started: fix ${invalidRows === 1 ? 'it' : 'them'} and run the import again, ` +
            `or start the ${plural(entries.length, 'valid row')} alone with --skip-invalid.`,
      ].join('\n'),
    );
  if (entries.length === 0 && problems.length === 0)
    throw new ImportFileError(`${file} holds no registrations: nothing was started`);
  return prepared;
}

function rowIssue(row: ImportRow, issue: FieldIssue): LineIssue {
  const root = issue.path.startsWith('(');
  return { line: row.line, ...(root ? {} : { path: row.columnOf(issue.path) }), message: issue.message };
}

/** The phases in the order a registration goes through them, then the ways it ends. */
const PHASE_ORDER: readonly (RegistrationPhase | 'starting')[] = [
  'starting',
  'subaccount',
  'customer-profile',
  'trust-bundle',
  'brand',
  'brand-verification',
  'messaging-service',
  'campaign',
  'phone-number',
  'needs-correction',
  'cancelling',
  'completed',
  'otp-expired',
  'brand-suspended',
  'campaign-suspended',
  'brand-resubmission-limit',
  'brand-authentication-expired',
  'cancelled',
  'failed',
];

/** Where one watched registration is, from the list's search attributes. */
interface Watched {
  line: number;
  customerId: string;
  /** The phase, `completed`, or how it ended; `starting` until the list shows it. */
  phase: string;
  closed: boolean;
}

/** Settled: ended, or waiting for a correction (nothing happens until someone sends one). */
const settled = (w: Watched) => w.closed || w.phase === 'needs-correction';
const succeeded = (w: Watched) => w.closed && w.phase === 'completed';

function phaseOf(row: RegistrationSummary | undefined): { phase: string; closed: boolean } {
  if (!row) return { phase: 'starting', closed: false };
  const closed = row.status !== 'RUNNING';
  if (!closed) return { phase: row.phase ?? 'starting', closed };
  if (row.status === 'COMPLETED') return { phase: row.phase ?? 'completed', closed };
  return { phase: row.status.toLowerCase(), closed };
}

/** `40 registrations: brand 10, campaign 8, completed 22` in the registration's order of phases. */
export function formatPhaseCounts(watched: readonly Watched[]): string {
  const counts = new Map<string, number>();
  for (const w of watched) counts.set(w.phase, (counts.get(w.phase) ?? 0) + 1);
  const rank = (p: string) => {
    const i = PHASE_ORDER.indexOf(p as RegistrationPhase);
    return i === -1 ? PHASE_ORDER.length : i;
  };
  const parts = [...counts].sort(([a], [b]) => rank(a) - rank(b)).map(([p, n]) => `${p} ${n}`);
  return `${plural(watched.length, 'registration')}: ${parts.join(', ')}`;
}

/** How many ids one list call asks about (a visibility query with `WorkflowId IN (...)`). */
const IDS_PER_LIST = 100;

async function refresh(registrar: ImportRegistrar, watched: Watched[]): Promise<void> {
  const ids = watched.map((w) => w.customerId);
  const rows = new Map<string, RegistrationSummary>();
  for (let i = 0; i < ids.length; i += IDS_PER_LIST) {
    const chunk = ids.slice(i, i + IDS_PER_LIST);
    for (const row of await registrar.listRegistrations({ customerIds: chunk }, chunk.length))
      if (row.customerId) rows.set(row.customerId, row);
  }
  for (const w of watched) Object.assign(w, phaseOf(rows.get(w.customerId)));
}

/** Why a registration did not complete, from its progress (read once, for the summary). */
async function failureReason(registrar: ImportRegistrar, w: Watched): Promise<string> {
  const p = await registrar.getProgress(w.customerId).catch(() => undefined);
  if (!p) return w.phase;
  const lastIssue = p.issues.filter((i) => !i.resolvedAt).at(-1)?.message;
  const why = p.waitingFor?.why ?? lastIssue ?? p.guidance;
  const next = p.waitingFor?.next ?? (p.waitingFor ? undefined : p.guidance);
  return [
    `${p.outcome ?? p.phase}${why ? `: ${why}` : ''}`,
    ...(next && next !== why ? [`next: ${next}`] : []),
  ].join('; ');
}

/**
 * Starts the prepared rows and, unless `wait` is false, shows their progress until every one has
 * settled (completed, ended, or waiting for a correction) or the user detaches; then a summary.
 * Returns whether everything in the file was started and nothing failed.
 */
export async function runImport(
  registrar: ImportRegistrar,
  prepared: PreparedImport,
  options: ImportOptions,
  io: ImportIo,
): Promise<{ ok: boolean }> {
  const { entries, problems, invalidRows } = prepared;
  const tty = io.live?.isTTY ? io.live : undefined;
  if (problems.length > 0) {
    io.out(`Skipping ${plural(invalidRows, 'invalid row')} (--skip-invalid):`);
    for (const p of problems) io.out(`  ${formatLineIssue(p)}`);
  }

  let done = 0;
  const results = await registrar.startRegistrations(
    entries.map((e) => e.input),
    {
      acceptWarnings: options.acceptWarnings,
      concurrency: options.concurrency,
      describe: (i) => `on line ${entries[i].line}`,
      onResult: () => {
        done++;
        tty?.write(`\r\x1b[2KStarting: ${done} of ${entries.length}`);
      },
    },
  );
  tty?.write('\r\x1b[2K');

  const count = (status: BulkStartResult['status']) => results.filter((r) => r.status === status).length;
  const startFailures = results.filter((r) => r.status === 'failed' || r.status === 'invalid');
  io.out(
    [
      `Started ${count('started')}`,
      `${count('already-started')} already started`,
      ...(invalidRows > 0 ? [`${invalidRows} invalid (skipped)`] : []),
      ...(startFailures.length > 0 ? [`${startFailures.length} failed to start`] : []),
    ].join(', '),
  );
  for (const r of startFailures) {
    const line = entries[r.index].line;
    const reason =
      r.status === 'failed' ? r.reason : r.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    io.out(`  line ${line}${r.customerId ? ` (${r.customerId})` : ''}: ${reason}`);
  }

  const watched: Watched[] = results.flatMap((r) =>
    r.status === 'started' || r.status === 'already-started'
      ? [{ line: entries[r.index].line, customerId: r.customerId, phase: 'starting', closed: false }]
      : [],
  );
  const startedAll = invalidRows === 0 && startFailures.length === 0;
  if (options.wait === false || watched.length === 0) {
    if (watched.length > 0)
      io.out(
        `Not waiting (--no-wait): the registrations go on; a2p list and a2p status <customer id> follow them.`,
      );
    return { ok: startedAll };
  }

  const detached = await watch(registrar, watched, options.refreshMs ?? 2_000, io, tty);

  const completed = watched.filter(succeeded);
  const failed = watched.filter((w) => settled(w) && !succeeded(w));
  const running = watched.filter((w) => !settled(w));
  io.out(`Completed: ${completed.length}`);
  io.out(`Failed: ${failed.length}`);
  for (const w of failed) io.out(`  ${w.customerId} (line ${w.line}): ${await failureReason(registrar, w)}`);
  if (running.length > 0) {
    io.out(
      `Still running: ${running.length}` +
        (detached ? ' (detached: they go on without this command; a2p list shows them)' : ''),
    );
    for (const w of running) io.out(`  ${w.customerId} (line ${w.line}): ${w.phase}`);
  }
  return { ok: startedAll && failed.length === 0 };
}

/** Refreshes the counts until every registration has settled or Ctrl-C; returns whether it was Ctrl-C. */
async function watch(
  registrar: ImportRegistrar,
  watched: Watched[],
  refreshMs: number,
  io: ImportIo,
  tty: { write: (text: string) => unknown } | undefined,
): Promise<boolean> {
  let detached = false;
  let wake: () => void = () => undefined;
  const unsubscribe = io.onInterrupt?.(() => {
    detached = true;
    wake();
  });
  io.out(
    'Waiting for the registrations to settle. Ctrl-C detaches: the registrations go on without this command.',
  );
  let shown = '';
  try {
    for (;;) {
      await refresh(registrar, watched);
      const line = formatPhaseCounts(watched);
      if (tty) tty.write(`\r\x1b[2K${line}`);
      else if (line !== shown) io.out(line);
      shown = line;
      if (detached || watched.every(settled)) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, refreshMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (detached) break;
    }
  } finally {
    unsubscribe?.();
    if (tty) tty.write('\n');
  }
  return detached;
}
