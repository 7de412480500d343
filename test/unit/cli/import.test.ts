import type { BulkStartResult, RegistrationSummary } from '../../../src/client';
import { csvHeader } from '../../../src/cli/import-file';
import { type ImportRegistrar, prepareImport, runImport } from '../../../src/cli/import';
import { runCli, type Registrar } from '../../../src/cli/program';
import { SAMPLE_REGISTRATION_REQUEST } from '../../../src/domain';
import type { RegistrationProgress } from '../../../src/shared';

const jsonl = (...ids: string[]) =>
  ids.map((customerId) => JSON.stringify({ ...SAMPLE_REGISTRATION_REQUEST, customerId })).join('\n');

const summary = (customerId: string, status: string, phase: string): RegistrationSummary => ({
  workflowId: `a2p-registration-${customerId}`,
  kind: 'sole-proprietor',
  customerId,
  status,
  phase,
  startTime: new Date('2026-11-20T10:00:00.000Z'),
});

/**
 * A registrar whose registrations move through `snapshots` (one per list refresh; the last one
 * stays); `existing` ids report as already started. Records every list call's customer ids.
 */
function fakeRegistrar(snapshots: Record<string, [string, string]>[], existing: string[] = []) {
  let refresh = 0;
  const listCalls: string[][] = [];
  const registrar: ImportRegistrar = {
    startRegistrations: jest.fn(async (inputs: readonly unknown[], options) => {
      const results = inputs.map((input, index): BulkStartResult => {
        const { customerId } = input as { customerId: string };
        const ids = { customerId, workflowId: `a2p-registration-${customerId}`, runId: 'r' };
        return existing.includes(customerId)
          ? { index, status: 'already-started', ...ids, completed: false }
          : { index, status: 'started', ...ids, campaignWarnings: [] };
      });
      results.forEach((r) => options?.onResult?.(r));
      return results;
    }),
    listRegistrations: jest.fn(async (filter) => {
      const ids = filter?.customerIds ?? [];
      listCalls.push([...ids]);
      const snapshot = snapshots[Math.min(refresh, snapshots.length - 1)];
      refresh++;
      return ids.filter((id) => snapshot[id]).map((id) => summary(id, ...snapshot[id]));
    }),
    getProgress: jest.fn(
      async (customerId: string) =>
        ({
          customerId,
          phase: 'needs-correction',
          waitingFor: {
            what: 'corrected registration data',
            since: '2026-11-20T10:00:00.000Z',
            why: 'Twilio rejected the starter customer profile: Email is a suspected disposable address',
            next: `a2p correct ${customerId} fix.json`,
          },
          issues: [],
        }) as unknown as RegistrationProgress,
    ),
  };
  return { registrar, listCalls };
}

describe('runImport', () => {
  test('counts per phase refresh in place on a terminal until every registration has settled', async () => {
    const { registrar, listCalls } = fakeRegistrar([
      { a: ['RUNNING', 'brand'] },
      { a: ['RUNNING', 'campaign'], b: ['RUNNING', 'needs-correction'] },
      { a: ['COMPLETED', 'completed'], b: ['RUNNING', 'needs-correction'] },
    ]);
    const out: string[] = [];
    const screen: string[] = [];
    const prepared = prepareImport('c.jsonl', jsonl('a', 'b'));
    const result = await runImport(
      registrar,
      prepared,
      { refreshMs: 0 },
      {
        out: (t) => out.push(t),
        live: { isTTY: true, write: (t) => screen.push(t) },
      },
    );
    expect(screen.filter((t) => t.includes('registrations:'))).toEqual([
      '\r\x1b[2K2 registrations: starting 1, brand 1',
      '\r\x1b[2K2 registrations: campaign 1, needs-correction 1',
      '\r\x1b[2K2 registrations: needs-correction 1, completed 1',
    ]);
    // One list call per refresh for both customers, never one per registration.
    expect(listCalls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(out).toEqual([
      'Started 2, 0 already started',
      'Waiting for the registrations to settle. Ctrl-C detaches: the registrations go on without this command.',
      'Completed: 1',
      'Failed: 1',
      '  b (line 2): needs-correction: Twilio rejected the starter customer profile: Email is a suspected disposable address; next: a2p correct b fix.json',
    ]);
    expect(result.ok).toBe(false);
    expect(registrar.getProgress).toHaveBeenCalledTimes(1);
  });

  test('Ctrl-C detaches: the summary names what is still running, and the registrations are left alone', async () => {
    const { registrar } = fakeRegistrar(
      [{ a: ['RUNNING', 'brand-verification'], b: ['COMPLETED', 'completed'] }],
      ['b'],
    );
    let interrupt: () => void = () => undefined;
    const unsubscribed = jest.fn();
    const out: string[] = [];
    const running = runImport(
      registrar,
      prepareImport('c.jsonl', jsonl('a', 'b')),
      { refreshMs: 60_000 },
      {
        out: (t) => {
          out.push(t);
          // Ctrl-C once the first counts are shown (the next refresh is a minute away).
          if (t.startsWith('2 registrations:')) interrupt();
        },
        onInterrupt: (handler) => {
          interrupt = handler;
          return unsubscribed;
        },
      },
    );
    const result = await running;
    expect(out).toEqual([
      'Started 1, 1 already started',
      'Waiting for the registrations to settle. Ctrl-C detaches: the registrations go on without this command.',
      '2 registrations: brand-verification 1, completed 1',
      'Completed: 1',
      'Failed: 0',
      'Still running: 1 (detached: they go on without this command; a2p list shows them)',
      '  a (line 1): brand-verification',
    ]);
    expect(unsubscribed).toHaveBeenCalledTimes(1);
    expect(result.ok).toBe(true);
  });
});

describe('a2p import', () => {
  async function a2p(args: string[], files: Record<string, string>, registrar?: ImportRegistrar) {
    const out: string[] = [];
    const err: string[] = [];
    const connect = jest.fn(
      async () => ({ ...registrar, close: async () => undefined }) as unknown as Registrar,
    );
    const code = await runCli(['node', 'a2p', ...args], {
      connect,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      readFile: (path) => {
        const text = files[path];
        if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
        return text;
      },
      importRefreshMs: 0,
    });
    return { code, out: out.join('\n'), err: err.join('\n'), connect };
  }

  test('a file with a bad row starts nothing and does not even connect (exit 1)', async () => {
    const header = csvHeader();
    const file = `${header.join(',')}\nc1,Jane\n`;
    const r = await a2p(['import', 'c.csv'], { 'c.csv': file });
    expect(r.code).toBe(1);
    expect(r.err).toContain('line 2: soleProprietor.lastName: is required');
    expect(r.err).toContain('Nothing was started');
    expect(r.connect).not.toHaveBeenCalled();
  });

  test('--no-wait starts the rows and exits without listing', async () => {
    const { registrar, listCalls } = fakeRegistrar([{}]);
    const r = await a2p(['import', 'c.jsonl', '--no-wait'], { 'c.jsonl': jsonl('a', 'b', 'c') }, registrar);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'Started 3, 0 already started\nNot waiting (--no-wait): the registrations go on; a2p list and a2p status <customer id> follow them.',
    );
    expect(listCalls).toEqual([]);
  });

  test('an unsupported file, a missing file and a bad --concurrency are refused before connecting', async () => {
    for (const args of [
      ['import', 'c.xlsx'],
      ['import', 'missing.csv'],
      ['import', 'c.jsonl', '--concurrency', '0'],
    ]) {
      const r = await a2p(args, { 'c.xlsx': '', 'c.jsonl': jsonl('a') });
      expect(r.code).toBe(1);
      expect(r.connect).not.toHaveBeenCalled();
    }
    expect((await a2p(['import', 'c.xlsx'], { 'c.xlsx': '' })).err).toBe(
      'c.xlsx: a2p import reads .csv or .jsonl files',
    );
  });
});
