import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { SAMPLE_REGISTRATION_REQUEST } from '../../src/domain/registration';
import { createDataConverter, generateKey } from '../../src/encryption';
import { progressQuery, REGISTRATION_ADMISSION_TASK_QUEUE, registrationWorkflowId } from '../../src/shared';
import type { soleProprietorRegistration } from '../../src/workflows';
import { FakeTwilio } from '../workflows/fake-twilio';
import { TIMINGS } from '../workflows/harness';
import { devServerClient, devServerWorkerConnection } from '../helpers/dev-server';

describe('payload encryption on a real Temporal server', () => {
  const dataConverter = createDataConverter({ active: generateKey('test-key'), previous: [] });
  let client: Client;
  let connection: NativeConnection;

  beforeAll(async () => {
    [client, connection] = await Promise.all([
      devServerClient('a2p-e2e-encryption', dataConverter),
      devServerWorkerConnection(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([client?.connection.close(), connection?.close()]);
  });

  test("the server's history holds no plaintext email, phone number or name, yet the workflow reads them", async () => {
    const customerId = `enc-${Date.now()}`;
    const request = { ...SAMPLE_REGISTRATION_REQUEST, customerId };
    const fake = new FakeTwilio(() => Date.now());
    const worker = await Worker.create({
      connection,
      namespace: 'a2p-e2e-encryption',
      taskQueue: `enc-${customerId}`,
      workflowsPath: require.resolve('../../src/workflows'),
      activities: fake.activities(),
      dataConverter,
    });
    // A new registration first takes its start slot from the admission queue.
    const admission = await Worker.create({
      connection,
      namespace: 'a2p-e2e-encryption',
      taskQueue: REGISTRATION_ADMISSION_TASK_QUEUE,
      activities: fake.activities(),
      dataConverter,
    });
    await admission.runUntil(
      worker.runUntil(async () => {
        const handle = await client.workflow.start<typeof soleProprietorRegistration>(
          'soleProprietorRegistration',
          {
            taskQueue: `enc-${customerId}`,
            workflowId: registrationWorkflowId(customerId),
            args: [{ request, timings: { ...TIMINGS, settleDelayMs: 3_600_000 } }],
          },
        );
        // Wait until the profile is submitted: the request has been used by activities by then.
        for (
          let i = 0;
          i < 200 && (await handle.query(progressQuery)).steps.customerProfile.status !== 'waiting';
          i++
        ) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect((await handle.query(progressQuery)).steps.customerProfile.status).toBe('waiting');
        expect(fake.bundles[Object.keys(fake.bundles)[0]].email).toBe(request.soleProprietor.email);

        const history = await handle.fetchHistory();
        const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
        for (const secret of [
          request.soleProprietor.email,
          request.soleProprietor.mobilePhoneNumber,
          request.soleProprietor.phoneNumber,
          request.soleProprietor.lastName,
          request.address.street,
        ]) {
          expect(raw).not.toContain(secret);
        }
        // The history is not empty of payloads: they are there, encrypted under our key id.
        expect(raw).toContain('binary/encrypted');
        expect(raw).toContain('test-key');
        await handle.terminate('test finished');
      }),
    );
  });
});
