import { z } from 'zod';

/**
 * Turning zod's issues into one line per bad field that a person can fix input from. Shared by the
 * registration and external-campaign parsers. Imported by workflow code: no Node built-ins.
 */

/** One bad field: `path` like `campaign.messageSamples.1`, `message` says how to fix it. */
export interface FieldIssue {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Schema-level error map: "is required" when missing, "must be <what>" when of the wrong type. */
export const typeError = (what: string) => (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_type' ? (issue.input === undefined ? 'is required' : `must be ${what}`) : undefined;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Cross-field rules run even when other fields of the object already failed: all issues at once. */
export const whenObject = { when: (payload: { value: unknown }) => isRecord(payload.value) };

/** Dot-separated, array indexes included: `campaign.messageSamples.1` (the CLI and its tests rely on it). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The keys the object schema at `path` accepts (for a "did you mean" on unknown keys). */
function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const unwrap = (s: z.core.$ZodType | undefined) => {
    while (s instanceof z.ZodOptional) s = s.unwrap();
    return s;
  };
  let current: z.core.$ZodType | undefined = schema;
  for (const key of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.core.$ZodType>)[String(key)];
    else if (current instanceof z.ZodArray) current = current.element;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** Levenshtein distance, for suggesting the field a typo meant. */
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

function unknownKeyMessage(key: string, known: string[]): string {
  if (known.length === 0) return 'is not a known field';
  const [best] = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  return best.d <= 2
    ? `is not a known field; did you mean "${best.k}"?`
    : `is not a known field (known fields: ${known.join(', ')})`;
}

/** One FieldIssue per bad field; an unknown key is reported at its own path. */
export function toIssues(schema: z.core.$ZodType, error: z.ZodError, root: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: unknownKeyMessage(key, known),
      }));
    }
    const path = formatPath(issue.path);
    const message = !path && issue.code === 'invalid_type' ? 'must be a JSON object' : issue.message;
    return [{ path: path || root, message }];
  });
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, root: string): Parsed<z.infer<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: toIssues(schema, result.error, root) };
}

/** One line per bad field: `soleProprietor.email: must be a well-formed email address ...`. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}
