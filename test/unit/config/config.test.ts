import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';

const valid = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  A2P_PRIMARY_PROFILE_SID: `BU${'b'.repeat(32)}`,
};

describe('configuration from the environment', () => {
  test('defaults: 30 s settle, 15 min polling, 24 h OTP re-send, 30 day OTP deadline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-config-'));
    const config = loadConfig({ ...valid, A2P_DATA_DIR: dir });
    expect(config.timings).toEqual({
      settleDelayMs: 30_000,
      pollIntervalMs: 15 * 60_000,
      pollMaxIntervalMs: 6 * 60 * 60_000,
      otpResendIntervalMs: 24 * 3_600_000,
      otpDeadlineMs: 30 * 86_400_000,
    });
    expect(config.twilio.apiBaseUrl).toBeUndefined();
    // The embedded default generates a key file on first use and reads the same key afterwards.
    expect(readFileSync(join(dir, 'encryption-keys'), 'utf8')).toContain(config.keyRing.active.id);
    expect(loadConfig({ ...valid, A2P_DATA_DIR: dir }).keyRing.active.key).toEqual(config.keyRing.active.key);
  });

  test('durations and the sandbox URL are read from the environment', () => {
    const config = loadConfig({
      ...valid,
      A2P_SETTLE_DELAY: '2s',
      A2P_POLL_INTERVAL: '500ms',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/',
      A2P_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(config.timings.settleDelayMs).toBe(2_000);
    expect(config.timings.pollIntervalMs).toBe(500);
    expect(config.twilio.apiBaseUrl).toBe('http://127.0.0.1:4010');
    expect(config.keyRing.active.id).toBe('k1');
  });

  test('new registrations are admitted at 1.25 times the brand pace unless their own pace is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-config-'));
    const pacing = (env: Record<string, string>) =>
      loadConfig({ ...valid, A2P_DATA_DIR: dir, ...env }).pacing.registrationAdmissionsPerSecond;
    expect(pacing({})).toBeUndefined();
    expect(pacing({ A2P_BRAND_SUBMISSIONS_PER_SECOND: '1' })).toBe(1.25);
    expect(pacing({ A2P_BRAND_SUBMISSIONS_PER_SECOND: '2' })).toBe(2.5);
    expect(
      pacing({ A2P_BRAND_SUBMISSIONS_PER_SECOND: '1', A2P_REGISTRATION_ADMISSIONS_PER_SECOND: '5' }),
    ).toBe(5);
    expect(pacing({ A2P_REGISTRATION_ADMISSIONS_PER_SECOND: '0.5' })).toBe(0.5);
  });

  test('every bad variable is named in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        TWILIO_ACCOUNT_SID: 'AC123',
        A2P_PRIMARY_PROFILE_SID: 'BUnope',
        A2P_SETTLE_DELAY: 'soon',
        A2P_BRAND_SUBMISSIONS_PER_SECOND: '-1',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN: is required',
      'A2P_PRIMARY_PROFILE_SID',
      'A2P_SETTLE_DELAY',
      'A2P_BRAND_SUBMISSIONS_PER_SECOND',
    ]) {
      expect(problems).toContain(name);
    }
  });

  test('a malformed encryption key is refused by name', () => {
    expect(() => loadConfig({ ...valid, A2P_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /A2P_ENCRYPTION_KEYS: key "k1" must decode to 32 bytes/,
    );
  });

  test('worker sizing: the documented defaults, each overridable, and inconsistent sizes named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-config-'));
    expect(loadConfig({ ...valid, A2P_DATA_DIR: dir }).worker).toEqual({
      maxCachedWorkflows: 1000,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 100,
      workflowTaskPollers: 10,
      activityTaskPollers: 10,
      stickyQueueScheduleToStartTimeoutMs: 10_000,
    });
    const tuned = loadConfig({
      ...valid,
      A2P_DATA_DIR: dir,
      A2P_WORKER_MAX_CACHED_WORKFLOWS: '5000',
      A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '80',
      A2P_WORKER_STICKY_QUEUE_TIMEOUT: '30s',
    }).worker;
    expect(tuned).toMatchObject({
      maxCachedWorkflows: 5000,
      maxConcurrentWorkflowTaskExecutions: 80,
      stickyQueueScheduleToStartTimeoutMs: 30_000,
    });
    expect(() =>
      loadConfig({ ...valid, A2P_DATA_DIR: dir, A2P_WORKER_MAX_CACHED_WORKFLOWS: 'lots' }),
    ).toThrow(/A2P_WORKER_MAX_CACHED_WORKFLOWS: must be a whole number/);
    expect(() =>
      loadConfig({
        ...valid,
        A2P_DATA_DIR: dir,
        A2P_WORKER_MAX_CACHED_WORKFLOWS: '20',
        A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
      }),
    ).toThrow(
      /A2P_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed A2P_WORKER_MAX_CACHED_WORKFLOWS \(20\)/,
    );
  });
  test('a client starts one registration at a time unless A2P_MAX_CONCURRENT_STARTS says more', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-config-'));
    expect(loadConfig({ ...valid, A2P_DATA_DIR: dir }).maxConcurrentStarts).toBe(1);
    expect(
      loadConfig({ ...valid, A2P_DATA_DIR: dir, A2P_MAX_CONCURRENT_STARTS: '4' }).maxConcurrentStarts,
    ).toBe(4);
    expect(() => loadConfig({ ...valid, A2P_DATA_DIR: dir, A2P_MAX_CONCURRENT_STARTS: '0' })).toThrow(
      /A2P_MAX_CONCURRENT_STARTS/,
    );
  });
  test('a client starts registrations at twice the admission pace unless its own pace is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2p-config-'));
    const starts = (env: Record<string, string>) =>
      loadConfig({ ...valid, A2P_DATA_DIR: dir, ...env }).startsPerSecond;
    expect(starts({})).toBeUndefined();
    expect(starts({ A2P_BRAND_SUBMISSIONS_PER_SECOND: '1' })).toBe(2.5);
    expect(starts({ A2P_REGISTRATION_ADMISSIONS_PER_SECOND: '2' })).toBe(4);
    expect(starts({ A2P_BRAND_SUBMISSIONS_PER_SECOND: '1', A2P_STARTS_PER_SECOND: '10' })).toBe(10);
    expect(() => starts({ A2P_STARTS_PER_SECOND: '0' })).toThrow(/A2P_STARTS_PER_SECOND/);
  });
});
