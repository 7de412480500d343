import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { BrandUsageError, RegistrarClient } from '../../src/client';
import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';
import {
  BRAND_USAGE_TASK_QUEUE,
  brandUsageQuery,
  brandUsageWorkflowId,
  REGISTRATION_TASK_QUEUE,
  registrationWorkflowId,
} from '../../src/shared';
import { requestBrandUsageKeys } from '../../src/encryption';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { FakeTwilio } from './fake-twilio';
import { runAll, sideQueueWorkers, terminateIfRunning, TIMINGS } from './harness';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

let n = 0;
/** A registration of its own customer, with the mobile, email and address given or unique ones. */
function request(values: { mobile?: string; email?: string; street?: string } = {}): RegistrationRequest {
  n += 1;
  const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
  r.customerId = `usage-${n}-${Date.now()}`;
  r.soleProprietor.mobilePhoneNumber = values.mobile ?? `+1415557${String(1000 + n).slice(-4)}`;
  r.soleProprietor.email = values.email ?? `owner${n}@example.com`;
  r.address.street = values.street ?? `${n} Usage St`;
  return r;
}

const USAGE_KEY = Buffer.alloc(32, 3);

/** The brand-usage workflows that count a request's mobile number, email and address. */
function usageWorkflowIds(r: RegistrationRequest): string[] {
  const keys = requestBrandUsageKeys(USAGE_KEY, r);
  return (['mobile', 'email', 'address'] as const).map((kind) =>
    brandUsageWorkflowId(kind, keys[kind] ?? ''),
  );
}

/**
 * The registrar client as the ISV's backend runs it, against the project's workflows (activities
 * faked, counting every call): the brand-usage workflow is the real one, on its real task queue.
 */
async function withRegistrar(body: (registrar: RegistrarClient) => Promise<void>): Promise<void> {
  const activities = new FakeTwilio(() => Date.now()).activities();
  const main = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: REGISTRATION_TASK_QUEUE,
    workflowBundle,
    activities,
  });
  // The brand-usage workflows on their own queue, as the worker runs them.
  const usage = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: BRAND_USAGE_TASK_QUEUE,
    workflowBundle,
  });
  const workers = await sideQueueWorkers(env, activities);
  const registrar = new RegistrarClient(env.client, {
    timings: { ...TIMINGS, settleDelayMs: 3_600_000 },
    brandUsageKey: USAGE_KEY,
    // Starts at once, so registrations racing for a value's last use really race.
    maxConcurrentStarts: 8,
  });
  const started: string[] = [];
  const counting = new Set<string>();
  const original = registrar.startRegistration.bind(registrar);
  registrar.startRegistration = async (...args) => {
    for (const id of usageWorkflowIds(args[0] as RegistrationRequest)) counting.add(id);
    const s = await original(...args);
    started.push(s.workflowId);
    return s;
  };
  await runAll(
    [usage, ...workers],
    main.runUntil(async () => {
      try {
        await body(registrar);
      } finally {
        for (const id of started) await terminateIfRunning(env.client.workflow.getHandle(id));
        for (const id of counting) await terminateIfRunning(env.client.workflow.getHandle(id));
      }
    }),
  );
}

describe('TCR brand usage, counted before any fee', () => {
  test("a mobile number's fourth brand is refused before its workflow starts, naming the three that used it", async () => {
    await withRegistrar(async (registrar) => {
      const mobile = '+14155550999';
      const first = [request({ mobile }), request({ mobile }), request({ mobile })];
      for (const r of first) await registrar.startRegistration(r);
      const fourth = request({ mobile });
      const error = await registrar.startRegistration(fourth).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrandUsageError);
      const conflicts = (error as BrandUsageError).conflicts;
      expect(conflicts).toEqual([
        { kind: 'mobile', limit: 3, usedBy: first.map((r) => registrationWorkflowId(r.customerId)) },
      ]);
      expect((error as Error).message).toContain(first.map((r) => r.customerId).join(', '));
      expect((error as Error).message).not.toContain(mobile);
      // No workflow, so no activity, so no Twilio call for the fourth.
      await expect(
        env.client.workflow.getHandle(registrationWorkflowId(fourth.customerId)).describe(),
      ).rejects.toThrow(/not found/i);
    });
  });

  test('starting the same registration again does not count it twice', async () => {
    await withRegistrar(async (registrar) => {
      const mobile = '+14155550998';
      const [a, b] = [request({ mobile }), request({ mobile })];
      await registrar.startRegistration(a);
      await registrar.startRegistration(a);
      await registrar.startRegistration(b);
      const [mobileUsage, emailUsage] = usageWorkflowIds(a).map((id) => env.client.workflow.getHandle(id));
      const ids = [a, b].map((r) => registrationWorkflowId(r.customerId));
      expect(await mobileUsage.query(brandUsageQuery)).toEqual(ids);
      expect(await emailUsage.query(brandUsageQuery)).toEqual([ids[0]]);
      expect((await mobileUsage.describe()).taskQueue).toBe(BRAND_USAGE_TASK_QUEUE);
      // A third registration still fits: a's second start did not use the number up.
      await expect(registrar.startRegistration(request({ mobile }))).resolves.toMatchObject({
        alreadyStarted: false,
      });
    });
  });

  test('a brand-usage workflow started on the registration queue, as before it had its own, goes on counting', async () => {
    await withRegistrar(async (registrar) => {
      const mobile = '+14155550995';
      const first = request({ mobile });
      const [mobileUsageId] = usageWorkflowIds(first);
      await env.client.workflow.start('brandUsage', {
        taskQueue: REGISTRATION_TASK_QUEUE,
        workflowId: mobileUsageId,
        args: [{ state: { kind: 'mobile', registrations: [] } }],
      });
      const others = [request({ mobile }), request({ mobile })];
      for (const r of [first, ...others]) await registrar.startRegistration(r);
      const usage = env.client.workflow.getHandle(mobileUsageId);
      expect((await usage.describe()).taskQueue).toBe(REGISTRATION_TASK_QUEUE);
      expect(await usage.query(brandUsageQuery)).toEqual(
        [first, ...others].map((r) => registrationWorkflowId(r.customerId)),
      );
      await expect(registrar.startRegistration(request({ mobile }))).rejects.toBeInstanceOf(BrandUsageError);
    });
  });

  test('of two registrations started at once for the last use of a number, exactly one gets it', async () => {
    await withRegistrar(async (registrar) => {
      const mobile = '+14155550997';
      await registrar.startRegistration(request({ mobile }));
      await registrar.startRegistration(request({ mobile }));
      const racing = [request({ mobile }), request({ mobile }), request({ mobile })];
      const results = await Promise.allSettled(racing.map((r) => registrar.startRegistration(r)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused.map((r) => (r.reason as Error).constructor)).toEqual([BrandUsageError, BrandUsageError]);
    });
  });

  test('a registration refused for one value leaves no claim on its others', async () => {
    await withRegistrar(async (registrar) => {
      const mobile = '+14155550996';
      for (let i = 0; i < 3; i++) await registrar.startRegistration(request({ mobile }));
      const refused = request({ mobile });
      await expect(registrar.startRegistration(refused)).rejects.toBeInstanceOf(BrandUsageError);
      const [, email, address] = usageWorkflowIds(refused).map((id) => env.client.workflow.getHandle(id));
      expect(await email.query(brandUsageQuery)).toEqual([]);
      expect(await address.query(brandUsageQuery)).toEqual([]);
    });
  });

  test("an email's and an address's eleventh brand are refused; ten fit", async () => {
    await withRegistrar(async (registrar) => {
      const email = 'shared@example.com';
      const street = '99 Shared St';
      for (let i = 0; i < 10; i++) await registrar.startRegistration(request({ email, street }));
      const error = await registrar.startRegistration(request({ email, street })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrandUsageError);
      expect((error as BrandUsageError).conflicts.map((c) => [c.kind, c.limit, c.usedBy.length])).toEqual([
        ['email', 10, 10],
        ['address', 10, 10],
      ]);
    });
  });
});
