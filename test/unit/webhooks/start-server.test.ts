import { registrationWorkflowId } from '../../../src/shared';
import { startWebhookServer } from '../../../src/webhooks';
import { trustHubCallbackUrl } from '../../../src/webhooks/urls';
import { AUTH_TOKEN, FakeSignaller, httpSend, PUBLIC_BASE, signedForm, trustHubParams } from './helpers';

const WORKFLOW = registrationWorkflowId('cust-http');
const PATH = trustHubCallbackUrl('', WORKFLOW);

describe('startWebhookServer', () => {
  it('listens on 127.0.0.1 and checks signatures against the public URL, not the one it listens on', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    const server = await startWebhookServer({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE,
      signaller,
      logger: false,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await httpSend(server.url, { method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });

      const viaProxy = await httpSend(server.url, { ...signedForm(PATH, trustHubParams()) });
      expect(viaProxy.statusCode).toBe(200);
      const local = await httpSend(server.url, {
        ...signedForm(PATH, trustHubParams({ Status: 'in-review' }), { base: server.url }),
      });
      expect(local.statusCode).toBe(403);
      expect(signaller.signals.map((s) => s.workflowId)).toEqual([WORKFLOW]);
    } finally {
      await server.close();
    }
  });

  it('uses its own URL as the public one when none is given (local sandbox)', async () => {
    const signaller = new FakeSignaller().addWorkflow(WORKFLOW);
    const server = await startWebhookServer({ authToken: AUTH_TOKEN, signaller, logger: false });
    try {
      const res = await httpSend(server.url, { ...signedForm(PATH, trustHubParams(), { base: server.url }) });
      expect(res.statusCode).toBe(200);
      expect(signaller.signals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('needs a signaller or a Temporal client', async () => {
    await expect(startWebhookServer({ authToken: AUTH_TOKEN, logger: false })).rejects.toThrow(
      /signaller or a Temporal client/,
    );
  });
});
