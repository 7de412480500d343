import { DefaultLogger, type LogEntry } from '@temporalio/worker';

/** One line of the embedded stack's output, tagged with the component that said it. */
export type Logger = (component: string, line: string) => void;

const COLOURS: Record<string, string> = {
  temporal: '35',
  sandbox: '33',
  webhooks: '36',
  worker: '32',
  codec: '34',
  stack: '37',
  demo: '1',
};

/** `[webhooks]  line`, the tag coloured when stdout is a terminal. */
export function prefixed(component: string, line: string, colour = false): string {
  const tag = `[${component}]`.padEnd(11);
  return colour ? `\x1b[${COLOURS[component] ?? '0'}m${tag}\x1b[0m ${line}` : `${tag} ${line}`;
}

export const consoleLogger: Logger = (component, line) => {
  console.log(prefixed(component, line, process.stdout.isTTY));
};

const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: '',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields of a Fastify/pino record that say nothing an operator watching the stack needs. */
const PINO_NOISE = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'req',
  'res',
  'responseTime',
  'eventId',
]);
/** Routine messages; the stack prints its own line for each server it starts. */
const ROUTINE = /^(incoming request|request completed|Server listening at )/;

/**
 * One readable line for a JSON log record of the webhook server, or undefined for routine request
 * bookkeeping (each request is already summarised by what it signalled, and errors are kept).
 */
export function summarizeServerLog(json: string): string | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trim() || undefined;
  }
  const level = typeof record.level === 'number' ? record.level : 30;
  const msg = typeof record.msg === 'string' ? record.msg : '';
  const res = record.res as { statusCode?: number } | undefined;
  if (ROUTINE.test(msg) && (res?.statusCode ?? 0) < 400 && level < 40) return undefined;
  const req = record.req as { method?: string; url?: string } | undefined;
  const fields = Object.entries(record)
    .filter(([key, value]) => !PINO_NOISE.has(key) && value !== undefined)
    // `workflowIds: [x]` repeats `workflowId: x`.
    .filter(
      ([key, value]) =>
        !(key === 'workflowIds' && JSON.stringify(value) === JSON.stringify([record.workflowId])),
    )
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (res?.statusCode) fields.unshift(`status=${res.statusCode}`);
  if (req?.url) fields.unshift(`${req.method ?? ''} ${req.url}`.trim());
  const severity = PINO_LEVELS[level] ?? '';
  return [severity, msg, ...fields].filter(Boolean).join(' ');
}

/** A Fastify `logger` option that sends the server's records to `log` as readable lines. */
export function serverLoggerOptions(log: (line: string) => void): {
  level: string;
  stream: { write(chunk: string): void };
} {
  return {
    level: 'info',
    stream: {
      write(chunk: string) {
        for (const json of chunk.split('\n')) {
          const line = summarizeServerLog(json);
          if (line) log(line);
        }
      },
    },
  };
}

/**
 * Worker messages that are expected in this layout: the rate-limited task queues carry activities
 * only, so their workers say they will not poll for workflow tasks.
 */
const EXPECTED_WORKER_WARNINGS = [/^No workflows registered, not polling for workflow tasks/];

/** The Temporal runtime's logger: warnings and errors, tagged [worker]. */
export function workerLogger(log: Logger): DefaultLogger {
  return new DefaultLogger('WARN', (entry: LogEntry) => {
    if (EXPECTED_WORKER_WARNINGS.some((re) => re.test(entry.message))) return;
    const meta = entry.meta as
      | {
          taskQueue?: string;
          activityType?: string;
          workflowType?: string;
          workflowId?: string;
          error?: unknown;
        }
      | undefined;
    const where = [meta?.workflowId, meta?.activityType ?? meta?.workflowType, meta?.taskQueue].filter(
      Boolean,
    );
    const error = meta?.error instanceof Error ? `: ${meta.error.message}` : '';
    log('worker', `${entry.level} ${entry.message}${where.length ? ` (${where.join(', ')})` : ''}${error}`);
  });
}
