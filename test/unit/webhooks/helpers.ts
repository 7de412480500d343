import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignalDefinition } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { buildWebhookServer, type WebhookServerDeps } from '../../../src/webhooks/server';
import {
  buildClosedWorkflowQuery,
  buildRunningWorkflowQuery,
  type SearchAttributeMatch,
  type SignalOutcome,
  type WorkflowSignaller,
} from '../../../src/webhooks/targets';

export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const PUBLIC_BASE = 'https://hooks.example.com';
export const TCR_SECRET = 'tcr-shared-secret-for-tests';
export const NOW = new Date('2025-01-02T03:04:05.000Z');

export const BUNDLE = 'BU' + 'a'.repeat(32);
export const TRUST_PRODUCT = 'BU' + 'b'.repeat(32);
export const BRAND = 'BN' + 'c'.repeat(32);
export const SERVICE = 'MG' + 'd'.repeat(32);
export const ACCOUNT = 'AC' + 'e'.repeat(32);

export interface RecordedSignal {
  workflowId: string;
  signal: string;
  payload: unknown;
}

/** A promise resolved from outside, to hold a fake Temporal call open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records every signal; knows which workflows run and which search attributes they carry. */
export class FakeSignaller implements WorkflowSignaller {
  readonly signals: RecordedSignal[] = [];
  readonly lookups: string[] = [];
  /** Look-ups for ended workflows (made when no running one was found). */
  readonly closedLookups: string[] = [];
  readonly attempts: string[] = [];
  private readonly running = new Set<string>();
  private readonly closed = new Set<string>();
  private readonly attributes = new Map<string, Set<string>>();
  /** Number of next signal calls that throw (Infinity: all of them). */
  failNextSignals = 0;
  /** Number of next lookups that find nothing (visibility lag). */
  emptyNextLookups = 0;
  /** While set, signal calls wait for it. */
  gate?: Promise<void>;

  addWorkflow(workflowId: string, attributes: Record<string, string> = {}): this {
    this.running.add(workflowId);
    for (const [name, value] of Object.entries(attributes)) {
      const key = `${name}=${value}`;
      const ids = this.attributes.get(key) ?? new Set<string>();
      ids.add(workflowId);
      this.attributes.set(key, ids);
    }
    return this;
  }

  async signalWorkflow<T>(
    workflowId: string,
    signal: SignalDefinition<[T]>,
    payload: T,
  ): Promise<SignalOutcome> {
    this.attempts.push(workflowId);
    if (this.gate) await this.gate;
    if (this.failNextSignals > 0) {
      this.failNextSignals--;
      throw new Error('14 UNAVAILABLE: connection refused');
    }
    if (!this.running.has(workflowId)) return 'not-found';
    this.signals.push({ workflowId, signal: signal.name, payload });
    return 'signalled';
  }

  async findRunningWorkflowIds(matches: readonly SearchAttributeMatch[]): Promise<string[]> {
    this.lookups.push(buildRunningWorkflowQuery(matches));
    if (this.emptyNextLookups > 0) {
      this.emptyNextLookups--;
      return [];
    }
    const ids = new Set<string>();
    for (const { key, value } of matches) {
      for (const id of this.attributes.get(`${key.name}=${value}`) ?? []) ids.add(id);
    }
    return [...ids].filter((id) => this.running.has(id));
  }

  /** The workflow ends; it keeps its search attributes, as a closed execution does. */
  closeWorkflow(workflowId: string): this {
    this.running.delete(workflowId);
    this.closed.add(workflowId);
    return this;
  }

  async anyClosedWorkflowCarries(matches: readonly SearchAttributeMatch[]): Promise<boolean> {
    this.closedLookups.push(buildClosedWorkflowQuery(matches));
    return matches.some(({ key, value }) =>
      [...(this.attributes.get(`${key.name}=${value}`) ?? [])].some((id) => this.closed.has(id)),
    );
  }
}

/** Log lines captured from the server's pino logger. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = { write: (line: string) => void this.lines.push(line) };
  get text(): string {
    return this.lines.join('');
  }
  messages(): string[] {
    return this.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }
}

export interface SendOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

export interface SentResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

/**
 * Sends a request over real HTTP to the app on 127.0.0.1 (listening on first use). fastify's
 * `inject()` cannot run under jest here: light-my-request requires `cookie`, which is ESM-only.
 */
export async function send(app: FastifyInstance, options: SendOptions): Promise<SentResponse> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return httpSend(`http://127.0.0.1:${port}`, options);
}

/** One HTTP request to a server on this machine, on its own connection. */
export function httpSend(baseUrl: string, options: SendOptions): Promise<SentResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'POST',
        path: options.url,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.payload);
  });
}

const started: FastifyInstance[] = [];

/** Close every server the tests built (use in afterEach, so a failing test leaves nothing open). */
export async function closeServers(): Promise<void> {
  await Promise.all(started.splice(0).map((app) => app.close()));
}

export function testServer(overrides: Partial<WebhookServerDeps> = {}): {
  app: FastifyInstance;
  signaller: FakeSignaller;
  logs: LogCapture;
  inject(options: SendOptions): Promise<SentResponse>;
} {
  const signaller = overrides.signaller instanceof FakeSignaller ? overrides.signaller : new FakeSignaller();
  const logs = new LogCapture();
  const app = buildWebhookServer({
    authToken: AUTH_TOKEN,
    publicBaseUrl: PUBLIC_BASE,
    tcrSecret: TCR_SECRET,
    logger: { level: 'info', stream: logs.stream },
    now: () => NOW,
    ...overrides,
    signaller,
    tuning: { retryDelaysMs: [], ...overrides.tuning },
  });
  started.push(app);
  return { app, signaller, logs, inject: (options) => send(app, options) };
}

/** A form request signed the way Twilio signs it. */
export function signedForm(
  pathAndQuery: string,
  params: Record<string, string | string[]>,
  options: { base?: string; token?: string } = {},
): { url: string; payload: string; headers: Record<string, string> } {
  const signature = getExpectedTwilioSignature(
    options.token ?? AUTH_TOKEN,
    `${options.base ?? PUBLIC_BASE}${pathAndQuery}`,
    params,
  );
  return {
    url: pathAndQuery,
    payload: new URLSearchParams(
      Object.entries(params).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
      ),
    ).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  };
}

/** A JSON request signed the way Twilio signs it: bodySHA256 in the URL, the URL signed. */
export function signedJson(
  path: string,
  body: string,
  options: { base?: string; token?: string } = {},
): { url: string; payload: string; headers: Record<string, string> } {
  const url = `${path}?bodySHA256=${getExpectedBodyHash(body)}`;
  const signature = getExpectedTwilioSignature(
    options.token ?? AUTH_TOKEN,
    `${options.base ?? PUBLIC_BASE}${url}`,
    {},
  );
  return {
    url,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
  };
}

export function trustHubParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: ACCOUNT,
    BundleSid: BUNDLE,
    Status: 'twilio-rejected',
    FailureReason: 'Address mismatch',
    ...overrides,
  };
}

export function brandEvent(
  subtype: string,
  data: Record<string, unknown>,
  id = `EV${subtype}`,
): Record<string, unknown> {
  return {
    specversion: '1.0',
    type: `com.twilio.messaging.compliance.brand-registration.${subtype}`,
    source: '/v1/a2p/BrandRegistrations',
    id,
    dataschema: 'https://events-schemas.twilio.com/A2P.BrandRegistrationEvent/1',
    datacontenttype: 'application/json',
    time: '2025-01-02T03:00:00.000Z',
    data: { accountsid: ACCOUNT, brandsid: BRAND, ...data },
  };
}

export function campaignEvent(
  subtype: string,
  data: Record<string, unknown>,
  id = `EV${subtype}`,
): Record<string, unknown> {
  return {
    specversion: '1.0',
    type: `com.twilio.messaging.compliance.campaign-registration.${subtype}`,
    source: '/v1/a2p/Campaigns',
    id,
    datacontenttype: 'application/json',
    time: '2025-01-02T03:01:00.000Z',
    data: { accountsid: ACCOUNT, messagingservicesid: SERVICE, brandsid: BRAND, ...data },
  };
}
