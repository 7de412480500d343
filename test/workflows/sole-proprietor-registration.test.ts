import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  brandStatusSignal,
  campaignStatusSignal,
  REGISTRATION_ADMISSION_TASK_QUEUE,
  resendOtpSignal,
  submitCorrectionUpdate,
  trustHubStatusSignal,
} from '../../src/shared';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/time-skipping';
import { envelope, type Registration, TIMINGS, withRegistration } from './harness';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

/** Advances past both bundle settle delays, to the point where the brand exists. */
async function toBrand(r: Registration) {
  await r.until((p) => p.steps.customerProfile.status === 'waiting', 'customer profile submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  await r.until((p) => p.steps.trustBundle.status === 'waiting', 'trust bundle submitted');
  await env.sleep(TIMINGS.settleDelayMs);
  return r.until((p) => p.steps.brand.sid !== undefined, 'brand created');
}

async function approveAndVerifyBrand(r: Registration) {
  const brandSid = await approveBrand(r);
  r.fake.brand!.identityStatus = 'VERIFIED';
  await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
  return brandSid;
}

/** Twilio approves the brand (as a fetch would show) and says so in a callback. */
async function approveBrand(r: Registration) {
  const brandSid = (await toBrand(r)).steps.brand.sid as string;
  await env.sleep(TIMINGS.settleDelayMs);
  r.fake.brand!.status = 'APPROVED';
  await r.handle.signal(brandStatusSignal, {
    ...envelope(),
    brandSid,
    brandStatus: 'APPROVED',
    identityStatus: 'UNVERIFIED',
  });
  await r.until((p) => p.phase === 'brand-verification', 'OTP verification');
  return brandSid;
}

async function verifyCampaign(r: Registration) {
  const p = await r.until(
    (p) => p.phase === 'campaign' && p.waitingFor?.what === 'campaign review',
    'campaign child',
  );
  await r.handle.signal(campaignStatusSignal, {
    ...envelope(),
    messagingServiceSid: p.steps.messagingService.sid as string,
    campaignStatus: 'VERIFIED',
  });
}

describe('soleProprietorRegistration', () => {
  test('waits the 30 s settle delay after submitting the profile before creating the trust bundle', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
      await env.sleep(TIMINGS.settleDelayMs - 1_000);
      expect(r.fake.calls.ensureBundle).toBe(1);
      expect((await r.progress()).phase).toBe('customer-profile');
      await env.sleep(2_000);
      await r.until((p) => p.phase === 'trust-bundle', 'trust bundle phase');
      await r.until(() => r.fake.calls.ensureBundle === 2, 'trust bundle created');
    });
  });

  test('a twilio-rejected callback cuts the settle short and asks for a correction, which is applied and resubmitted', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const p = await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
      const bundleSid = p.steps.customerProfile.sid as string;
      r.fake.bundles[bundleSid].status = 'twilio-rejected';
      await r.handle.signal(trustHubStatusSignal, {
        ...envelope(),
        bundleSid,
        status: 'twilio-rejected',
        failureReason: 'Email is a suspected disposable address.',
      });
      const rejected = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
      expect(rejected.issues.at(-1)?.message).toContain('suspected disposable address');
      expect(rejected.steps.customerProfile.status).toBe('needs-correction');
      expect(r.fake.calls.ensureBundle).toBe(1); // no time passed: the settle ended early

      await r.handle.executeUpdate(submitCorrectionUpdate, {
        args: [{ soleProprietor: { email: 'jane.doe@example.org' } }],
      });
      await r.until(
        (p) => p.phase === 'customer-profile' && p.steps.customerProfile.status === 'waiting',
        'resubmitted',
      );
      expect(r.fake.endUserUpdates).toContain('starter_customer_profile_information');
      expect(r.fake.bundles[bundleSid].email).toBe('jane.doe@example.org');
      expect(r.fake.calls.submitBundle).toBe(2);
    });
  });

  test('a noncompliant evaluation records the failing fields and waits for corrected data', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const p = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        expect(p.issues.at(-1)?.fields).toEqual(['starter_customer_profile_information.email: invalid']);
        expect(r.fake.calls.submitBundle ?? 0).toBe(0);
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ address: { street: '1 Jersey St' } }],
        });
        await r.until((p) => p.steps.customerProfile.status === 'waiting', 'submitted after correction');
        expect(r.fake.addressUpdates).toBe(1);
        expect(r.fake.calls.evaluateBundle).toBe(2);
      },
      { configure: (fake) => (fake.noncompliantEvaluations = 1) },
    );
  });

  test('a corrected country is a new Address and document on the profile, not an update Twilio cannot make', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              address: {
                street: '100 Queen St W',
                city: 'Toronto',
                region: 'ON',
                postalCode: 'M5H 2N2',
                isoCountry: 'CA',
              },
            },
          ],
        });
        await r.until((p) => p.steps.customerProfile.status === 'waiting', 'submitted after correction');
        // Twilio's Address update has no IsoCountry: updating the US Address would keep it in the US.
        expect(r.fake.addressUpdates).toBe(0);
        expect(r.fake.calls.ensureAddress).toBe(2);
        expect(r.fake.addressDocumentReplacements).toEqual([
          {
            customerProfileSid: (await r.progress()).steps.customerProfile.sid,
            documentSid: `RDCA${'0'.repeat(30)}`,
          },
        ]);
      },
      { configure: (fake) => (fake.noncompliantEvaluations = 1) },
    );
  });

  test('the starter end-user and the address are created side by side; a refused address waits for both, then a correction', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        const asked = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        expect(asked.steps.customerProfile.status).toBe('needs-correction');
        expect(JSON.stringify(asked.issues)).toContain('21628');
        // The end-user's create had settled before the registration asked for the correction.
        expect(r.fake.starterEndUserMayExist).toEqual([false]);
        const events = (await r.handle.fetchHistory()).events ?? [];
        const scheduledBy = (name: string) =>
          events
            .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name)
            .map((e) => Number(e.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId));
        // One workflow task scheduled both creates (000 1.2 and 1.4 need nothing of each other).
        expect(scheduledBy('ensureStarterProfileEndUser')).toEqual(scheduledBy('ensureAddress'));

        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            { address: { street: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701' } },
          ],
        });
        await r.until((p) => p.steps.customerProfile.status === 'waiting', 'submitted after correction');
        expect(r.fake.calls.ensureAddress).toBe(2);
        expect(r.fake.calls.ensureAddressDocument).toBe(1);
        // Run again, the end-user's create looks for the one it made instead of making another.
        expect(r.fake.starterEndUserMayExist).toEqual([false, true]);
      },
      {
        configure: (fake) =>
          fake.addressCreateRefusals.push({ code: 21628, message: 'The address could not be validated' }),
      },
    );
  });

  test('refuses a correction nobody asked for, and an invalid one, naming the field', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
      await expect(
        r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ soleProprietor: { email: 'a@example.org' } }],
        }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
    });
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        const attempt = r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ soleProprietor: { email: 'not-an-email' } }],
        });
        await expect(attempt).rejects.toThrow(WorkflowUpdateFailedError);
        await attempt.catch((err: WorkflowUpdateFailedError) =>
          expect(String(err.cause?.message)).toContain('soleProprietor.email'),
        );
        expect((await r.progress()).phase).toBe('needs-correction');
      },
      { configure: (fake) => (fake.noncompliantEvaluations = 1) },
    );
  });

  test('registers end to end from callbacks, paying one brand and one campaign fee', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      await approveAndVerifyBrand(r);
      await verifyCampaign(r);
      const result = await r.handle.result();
      expect(result.outcome).toBe('completed');
      expect(result.steps.phoneNumber.status).toBe('done');
      expect(result.fees.map((f) => f.kind)).toEqual(['brand-registration', 'campaign-vetting']);
      expect(r.fake.numbers).toEqual([result.steps.phoneNumber.sid]);
      expect(r.fake.calls.ensureCampaign).toBe(1);
      // Its first step was a start slot on the paced admission queue, before any Twilio call.
      const events = (await r.handle.fetchHistory()).events ?? [];
      const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes ?? []);
      expect(scheduled[0].activityType?.name).toBe('admitRegistration');
      expect(scheduled[0].taskQueue?.name).toBe(REGISTRATION_ADMISSION_TASK_QUEUE);
      expect(scheduled.filter((a) => a.activityType?.name === 'admitRegistration')).toHaveLength(1);
    });
  });

  test('falls back to polling when callbacks are lost', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      await toBrand(r);
      r.fake.brand!.status = 'APPROVED';
      r.fake.brand!.identityStatus = 'VERIFIED';
      await env.sleep(TIMINGS.settleDelayMs + TIMINGS.pollIntervalMs);
      await r.until((p) => p.phase === 'campaign' && p.waitingFor?.what === 'campaign review', 'campaign');
      expect(r.fake.calls.fetchBrand).toBeGreaterThanOrEqual(1);
      const result = await r.handle.result(); // the campaign verdict also arrives by polling
      expect(result.outcome).toBe('completed');
      expect(r.fake.calls.fetchCampaign).toBeGreaterThanOrEqual(1);
    });
  });

  test('re-sends the OTP every 24 hours and on a resendOtp signal until the customer replies', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const brandSid = await approveBrand(r);
      const approvedAt = Date.parse((await r.progress()).brand.lastOtpSentAt as string);

      await env.sleep(24 * HOUR - 60_000);
      expect(r.fake.otpResends).toHaveLength(0);
      await env.sleep(2 * 60_000);
      await r.until(() => r.fake.otpResends.length === 1, 'first re-send at 24 h');
      await env.sleep(24 * HOUR);
      await r.until(() => r.fake.otpResends.length === 2, 'second re-send at 48 h');
      expect(r.fake.otpResends[0] - approvedAt).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
      expect(r.fake.otpResends[1] - r.fake.otpResends[0]).toBeGreaterThanOrEqual(24 * HOUR - 60_000);

      await r.handle.signal(resendOtpSignal);
      await r.until(() => r.fake.otpResends.length === 3, 're-send on signal');
      const p = await r.progress();
      expect(p.brand.otpSends).toBe(4); // Twilio's first OTP and three re-sends

      r.fake.brand!.identityStatus = 'VERIFIED';
      await r.handle.signal(brandStatusSignal, { ...envelope(), brandSid, identityStatus: 'VERIFIED' });
      await verifyCampaign(r);
      expect((await r.handle.result()).outcome).toBe('completed');
      expect(r.fake.otpResends).toHaveLength(3);
    });
  });

  test('ends as otp-expired after 30 days without an answer', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await approveBrand(r);
        const result = await r.handle.result();
        expect(result.outcome).toBe('otp-expired');
        expect(result.guidance).toContain('30 days');
        expect(r.fake.otpResends.length).toBe(29);
        expect(r.fake.calls.ensureMessagingService ?? 0).toBe(0);
      },
      { timings: { ...TIMINGS, pollIntervalMs: 7 * DAY } },
    );
  });

  test('a FAILED brand waits for corrected data, then is resubmitted once (one resubmission fee)', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const brandSid = (await toBrand(r)).steps.brand.sid as string;
      r.fake.brand!.status = 'FAILED';
      await r.handle.signal(brandStatusSignal, {
        ...envelope(),
        brandSid,
        brandStatus: 'FAILED',
        failureReason: 'Mobile number used for too many brands',
      });
      const failed = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
      expect(failed.issues.at(-1)?.message).toContain('too many brands');
      await r.handle.executeUpdate(submitCorrectionUpdate, {
        args: [{ soleProprietor: { mobilePhoneNumber: '+14155550188' } }],
      });
      await r.until((p) => p.brand.resubmissions === 1, 'resubmitted');
      expect(r.fake.endUserUpdates).toEqual(['sole_proprietor_information']);
      expect(r.fake.calls.resubmitBrand).toBe(1);
      const p = await r.progress();
      expect(p.fees.map((f) => f.kind)).toEqual(['brand-registration', 'brand-resubmission']);
    });
  });

  test('a Twilio 4xx on brand creation is recorded and retried after a correction', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await r.until((p) => p.steps.customerProfile.status === 'waiting', 'profile submitted');
        await env.sleep(TIMINGS.settleDelayMs);
        await r.until((p) => p.steps.trustBundle.status === 'waiting', 'bundle submitted');
        await env.sleep(TIMINGS.settleDelayMs);
        const p = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        expect(p.issues.at(-1)).toMatchObject({ step: 'brand' });
        expect(p.issues.at(-1)?.message).toContain('21717');
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [{ soleProprietor: { brandName: 'Jane Doe Pottery' } }],
        });
        await r.until((p) => p.steps.brand.sid !== undefined, 'brand created after correction');
        expect(r.fake.calls.ensureBrand).toBe(2);
      },
      { configure: (fake) => (fake.ensureBrandFailsOnce = { code: 21717, message: 'Invalid brand' }) },
    );
  });

  test('a FAILED campaign is corrected, deleted by a child, and recreated 5 s later', async () => {
    await withRegistration(
      env,
      workflowBundle,
      async (r) => {
        await approveAndVerifyBrand(r);
        const p = await r.until(
          (p) => p.phase === 'campaign' && p.waitingFor?.what === 'campaign review',
          'campaign',
        );
        await r.handle.signal(campaignStatusSignal, {
          ...envelope(),
          messagingServiceSid: p.steps.messagingService.sid as string,
          campaignStatus: 'FAILED',
        });
        const failed = await r.until((p) => p.phase === 'needs-correction', 'needs-correction');
        expect(failed.steps.campaign.twilioStatus).toBe('FAILED');
        expect(r.fake.calls.fetchCampaign).toBe(2); // once as the review starts, once for the reasons
        await r.handle.executeUpdate(submitCorrectionUpdate, {
          args: [
            {
              campaign: {
                messageFlow:
                  'Customers opt in by texting START to the number printed on the receipt at checkout.',
              },
            },
          ],
        });
        await r.until(() => r.fake.calls.deleteCampaign === 1, 'deleted');
        expect(r.fake.calls.ensureCampaign).toBe(1);
        await env.sleep(4_000);
        expect(r.fake.calls.ensureCampaign).toBe(1);
        await env.sleep(1_500);
        await r.until(() => r.fake.calls.ensureCampaign === 2, 'recreated');
        await verifyCampaign(r);
        const result = await r.handle.result();
        expect(result.outcome).toBe('completed');
        expect(result.campaign.attempt).toBe(2);
        expect(result.fees.filter((f) => f.kind === 'campaign-vetting')).toHaveLength(2);
      },
      { configure: (fake) => (fake.campaignVerdicts = ['FAILED']) },
    );
  });

  test('ignores duplicate and stale brand events', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      const brandSid = (await toBrand(r)).steps.brand.sid as string;
      const approved = { eventId: 'evt-approved', occurredAt: new Date(Date.now() + 2_000).toISOString() };
      await r.handle.signal(brandStatusSignal, {
        ...approved,
        brandSid,
        brandStatus: 'APPROVED',
        identityStatus: 'UNVERIFIED',
      });
      // An older PENDING event arriving late must not undo APPROVED.
      await r.handle.signal(brandStatusSignal, {
        eventId: 'evt-older',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        brandSid,
        brandStatus: 'PENDING',
      });
      // A duplicate delivery of an event already seen is dropped even if the status differs.
      await r.handle.signal(brandStatusSignal, { ...approved, brandSid, brandStatus: 'FAILED' });
      const p = await r.progress();
      expect(p.brand.status).toBe('APPROVED');
      expect(p.issues).toHaveLength(0);
    });
  });

  test('cancelled during the campaign review, it removes the campaign and the service it created, and records what remains', async () => {
    await withRegistration(env, workflowBundle, async (r) => {
      await approveAndVerifyBrand(r);
      await r.until((p) => p.phase === 'campaign' && p.waitingFor?.what === 'campaign review', 'campaign');
      await r.handle.cancel();
      await expect(r.handle.result()).rejects.toThrow(WorkflowFailedError);
      expect(r.fake.calls.deleteCampaign).toBe(1);
      expect(r.fake.calls.deleteMessagingService).toBe(1);
      // No number was attached yet, so none is removed.
      expect(r.fake.calls.removePhoneNumberFromService ?? 0).toBe(0);
      const p = await r.progress();
      expect(p.outcome).toBe('cancelled');
      expect(p.guidance).toContain('brand');
    });
  });

  test('cancelled while the number is being attached, it removes the number, the campaign and the service', async () => {
    let attached: () => void = () => undefined;
    const cancelled = new Promise<void>((resolve) => (attached = resolve));
    await withRegistration(env, workflowBundle, async (r) => {
      r.fake.onPhoneNumberAttached = async () => {
        attached();
        await new Promise((resolve) => setTimeout(resolve, 500));
      };
      await approveAndVerifyBrand(r);
      await verifyCampaign(r);
      await cancelled;
      await r.handle.cancel();
      await expect(r.handle.result()).rejects.toThrow(WorkflowFailedError);
      expect(r.fake.calls.removePhoneNumberFromService).toBe(1);
      expect(r.fake.numbers).toEqual([]);
      expect(r.fake.calls.deleteCampaign).toBe(1);
      expect(r.fake.calls.deleteMessagingService).toBe(1);
      expect((await r.progress()).steps.phoneNumber.status).toBe('removed');
    });
  });
});
