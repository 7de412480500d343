import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { A2P_BRAND_SID, A2P_CUSTOMER_PROFILE_SID, A2P_TRUST_PRODUCT_SID } from '../../../src/shared';
import { loadWebhookConfig, WebhookConfigError } from '../../../src/webhooks/config';
import { DeliveryQueue, RecentEvents } from '../../../src/webhooks/queue';
import {
  constantTimeEqual,
  presentedSecret,
  publicRequestUrl,
  verifyFormSignature,
  verifyJsonSignature,
} from '../../../src/webhooks/signatures';
import { buildClosedWorkflowQuery, buildRunningWorkflowQuery } from '../../../src/webhooks/targets';
import { eventStreamsSinkUrl, tcrWebhookUrl, trustHubCallbackUrl } from '../../../src/webhooks/urls';
import { AUTH_TOKEN, BRAND, BUNDLE, deferred } from './helpers';

describe('signatures', () => {
  const url = 'https://hooks.example.com/webhooks/trust-hub?workflowId=a2p-registration-c1';
  const params = { BundleSid: BUNDLE, Status: 'in-review' };

  it('joins the public base URL with the path and query as received', () => {
    expect(publicRequestUrl('https://hooks.example.com/', '/webhooks/x?a=1&b=%20')).toBe(
      'https://hooks.example.com/webhooks/x?a=1&b=%20',
    );
    expect(publicRequestUrl('https://example.com/a2p', '/webhooks/x')).toBe(
      'https://example.com/a2p/webhooks/x',
    );
  });

  it('checks form signatures', () => {
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, url, params);
    expect(verifyFormSignature(AUTH_TOKEN, signature, url, params)).toEqual({ ok: true });
    expect(verifyFormSignature(AUTH_TOKEN, undefined, url, params)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyFormSignature(AUTH_TOKEN, signature, `${url}x`, params)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyFormSignature(AUTH_TOKEN, signature, url, { ...params, Status: 'draft' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyFormSignature(AUTH_TOKEN, signature, 'not a url', params)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('checks JSON signatures and requires bodySHA256', () => {
    const body = '[{"id":"1"}]';
    const signedUrl = `https://hooks.example.com/webhooks/event-streams?bodySHA256=${getExpectedBodyHash(body)}`;
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, signedUrl, {});
    expect(verifyJsonSignature(AUTH_TOKEN, signature, signedUrl, body)).toEqual({ ok: true });
    expect(verifyJsonSignature(AUTH_TOKEN, signature, signedUrl, `${body} `)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const bare = 'https://hooks.example.com/webhooks/event-streams';
    expect(
      verifyJsonSignature(AUTH_TOKEN, getExpectedTwilioSignature(AUTH_TOKEN, bare, {}), bare, body),
    ).toEqual({
      ok: false,
      reason: 'no-body-hash',
    });
    expect(verifyJsonSignature(AUTH_TOKEN, signature, `${signedUrl}&bodySHA256=00`, body)).toEqual({
      ok: false,
      reason: 'no-body-hash',
    });
  });

  it('reads a shared secret from the header, a bearer token or a Basic password', () => {
    expect(presentedSecret({ 'x-a2p-webhook-secret': 's1' })).toBe('s1');
    expect(presentedSecret({ authorization: 'Bearer s2' })).toBe('s2');
    expect(presentedSecret({ authorization: `Basic ${Buffer.from('user:pa:ss').toString('base64')}` })).toBe(
      'pa:ss',
    );
    expect(
      presentedSecret({ authorization: `Basic ${Buffer.from('user:').toString('base64')}` }),
    ).toBeUndefined();
    expect(presentedSecret({ authorization: 'Bearer' })).toBeUndefined();
    expect(presentedSecret({ 'x-a2p-webhook-secret': ['a', 'b'] })).toBeUndefined();
    expect(presentedSecret({})).toBeUndefined();
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('workflow lookup query', () => {
  it('finds running workflows by one or several keyword values', () => {
    expect(buildRunningWorkflowQuery([{ key: A2P_BRAND_SID, value: BRAND }])).toBe(
      `A2pBrandSid = '${BRAND}' AND ExecutionStatus = 'Running'`,
    );
    expect(
      buildRunningWorkflowQuery([
        { key: A2P_CUSTOMER_PROFILE_SID, value: BUNDLE },
        { key: A2P_TRUST_PRODUCT_SID, value: BUNDLE },
      ]),
    ).toBe(
      `(A2pCustomerProfileSid = '${BUNDLE}' OR A2pTrustProductSid = '${BUNDLE}') AND ExecutionStatus = 'Running'`,
    );
  });

  it('finds ended workflows, but not a run that continued as new', () => {
    expect(buildClosedWorkflowQuery([{ key: A2P_BRAND_SID, value: BRAND }])).toBe(
      `A2pBrandSid = '${BRAND}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew'`,
    );
  });

  it('refuses values that could change the query', () => {
    for (const value of ["BN1' OR '1'='1", '', 'a b', 'x'.repeat(200), "BN\\'"]) {
      expect(() => buildRunningWorkflowQuery([{ key: A2P_BRAND_SID, value }])).toThrow(/invalid value/);
      expect(() => buildClosedWorkflowQuery([{ key: A2P_BRAND_SID, value }])).toThrow(/invalid value/);
    }
    expect(() => buildRunningWorkflowQuery([])).toThrow();
  });
});

describe('URLs', () => {
  it('builds the URLs to configure at Twilio and TCR', () => {
    expect(trustHubCallbackUrl('https://h.example.com//', 'a2p-registration-c.1')).toBe(
      'https://h.example.com/webhooks/trust-hub?workflowId=a2p-registration-c.1',
    );
    expect(eventStreamsSinkUrl('https://h.example.com/')).toBe(
      'https://h.example.com/webhooks/event-streams',
    );
    expect(tcrWebhookUrl('https://h.example.com')).toBe('https://h.example.com/webhooks/tcr');
  });
});

describe('loadWebhookConfig', () => {
  it('defaults to loopback on 4020 and the local URL', () => {
    expect(loadWebhookConfig({ TWILIO_AUTH_TOKEN: 't' })).toEqual({
      port: 4020,
      host: '127.0.0.1',
      publicBaseUrl: 'http://127.0.0.1:4020',
      publicBaseUrlDefaulted: true,
      authToken: 't',
      tcrSecret: undefined,
      encryptionKeys: undefined,
      dataDir: '.data',
    });
  });

  it('reads every variable', () => {
    const config = loadWebhookConfig({
      TWILIO_AUTH_TOKEN: 't',
      WEBHOOK_PORT: '8080',
      WEBHOOK_HOST: '0.0.0.0',
      A2P_PUBLIC_WEBHOOK_URL: 'https://hooks.example.com/a2p/',
      A2P_TCR_WEBHOOK_SECRET: 'a-long-enough-secret',
      A2P_TEMPORARY_IGNORED: '',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicBaseUrl: 'https://hooks.example.com/a2p',
      publicBaseUrlDefaulted: false,
      tcrSecret: 'a-long-enough-secret',
    });
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      loadWebhookConfig({
        WEBHOOK_PORT: '70000',
        A2P_PUBLIC_WEBHOOK_URL: 'ftp://x',
        A2P_TCR_WEBHOOK_SECRET: 'short',
        TWILIO_AUTH_TOKEN: '',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WebhookConfigError);
    const problems = (error as WebhookConfigError).problems.join('\n');
    for (const name of [
      'WEBHOOK_PORT',
      'A2P_PUBLIC_WEBHOOK_URL',
      'A2P_TCR_WEBHOOK_SECRET',
      'TWILIO_AUTH_TOKEN',
    ]) {
      expect(problems).toContain(name);
    }
  });
});

describe('DeliveryQueue', () => {
  it('runs at most `concurrency` tasks at once and refuses beyond `maxPending`', async () => {
    const queue = new DeliveryQueue(2, 3);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const results = gates.map((gate, i) =>
      queue.submit(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        if (i === 1) throw new Error('boom');
        return i;
      }),
    );
    const accepted = results.map((result) => {
      if (!result) throw new Error('refused a task within maxPending');
      return result;
    });
    expect(queue.submit(async () => 99)).toBeUndefined();
    expect(queue.pending).toBe(3);
    gates.forEach((gate) => gate.resolve());
    const settled = await Promise.all(accepted);
    expect(settled.map((r) => r.ok)).toEqual([true, false, true]);
    expect(peak).toBe(2);
    await queue.idle();
    expect(queue.pending).toBe(0);
    expect(queue.hasRoom(3)).toBe(true);
  });
});

describe('RecentEvents', () => {
  it('remembers keys for the window, bounded by capacity', () => {
    let now = 0;
    const recent = new RecentEvents(1000, 2, () => now);
    recent.remember('a');
    recent.remember('b');
    expect(recent.has('a')).toBe(true);
    recent.remember('c');
    expect(recent.has('a')).toBe(false);
    now = 999;
    expect(recent.has('c')).toBe(true);
    now = 1000;
    expect(recent.has('c')).toBe(false);
    const off = new RecentEvents(0, 10);
    off.remember('x');
    expect(off.has('x')).toBe(false);
  });
});
