import { loadConfig, loadMetricsBindAddress } from '../../../src/config';
import { twilioEndpointLabel } from '../../../src/twilio/metrics';
import { loadWebhookConfig } from '../../../src/webhooks/config';
import { escapeLabelValue } from '../../../src/webhooks/metrics';

const SID = (prefix: string) => `${prefix}${'0a'.repeat(16)}`;

describe('the Twilio endpoint label', () => {
  test.each([
    [
      'POST',
      'https://messaging.twilio.com/v1/a2p/BrandRegistrations',
      'POST messaging/v1/a2p/BrandRegistrations',
    ],
    [
      'post',
      `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${SID('BN')}/SmsOtp`,
      'POST messaging/v1/a2p/BrandRegistrations/{sid}/SmsOtp',
    ],
    [
      'GET',
      `https://trusthub.twilio.com/v1/CustomerProfiles/${SID('BU')}/Evaluations?PageSize=50&Page=2`,
      'GET trusthub/v1/CustomerProfiles/{sid}/Evaluations',
    ],
    [
      'DELETE',
      `https://messaging.twilio.com/v1/Services/${SID('MG')}/Compliance/Usa2p/${SID('QE')}`,
      'DELETE messaging/v1/Services/{sid}/Compliance/Usa2p/{sid}',
    ],
    // The 2010 API names resources with a .json suffix, and the account in the path.
    [
      'POST',
      `https://api.twilio.com/2010-04-01/Accounts/${SID('AC')}/IncomingPhoneNumbers/${SID('PN')}.json`,
      'POST api/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers/{sid}.json',
    ],
    // Regional hosts keep the product; a phone number or a long id in a path is an id too.
    ['GET', 'https://trusthub.us1.twilio.com/v1/EndUsers/%2B15005550006', 'GET trusthub/v1/EndUsers/{id}'],
    ['GET', 'https://messaging.twilio.com/v1/Things/0123456789abcdef0123', 'GET messaging/v1/Things/{id}'],
  ])('%s %s is %s', (method, uri, label) => {
    expect(twilioEndpointLabel(method, uri)).toBe(label);
  });

  test('a thousand different SIDs make one label', () => {
    const labels = new Set(
      Array.from({ length: 1000 }, (_, i) =>
        twilioEndpointLabel(
          'GET',
          `https://messaging.twilio.com/v1/a2p/BrandRegistrations/BN${i.toString(16).padStart(32, '0')}`,
        ),
      ),
    );
    expect([...labels]).toEqual(['GET messaging/v1/a2p/BrandRegistrations/{sid}']);
  });
});

describe('metrics bind addresses', () => {
  const worker = {
    TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'token',
    A2P_PRIMARY_PROFILE_SID: `BU${'b'.repeat(32)}`,
    A2P_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    A2P_BRAND_USAGE_KEY: Buffer.alloc(32, 2).toString('base64'),
  };

  test('off when unset or blank', () => {
    expect(loadConfig(worker).metricsBindAddress).toBeUndefined();
    expect(loadConfig({ ...worker, A2P_METRICS_BIND_ADDRESS: ' ' }).metricsBindAddress).toBeUndefined();
    expect(loadMetricsBindAddress({})).toBeUndefined();
    expect(loadWebhookConfig({ TWILIO_AUTH_TOKEN: 't' }).metrics).toBeUndefined();
  });

  test.each(['0.0.0.0:9464', '127.0.0.1:1', '[::]:9464', '[::1]:65535'])(
    '%s is taken as given',
    (address) => {
      expect(loadConfig({ ...worker, A2P_METRICS_BIND_ADDRESS: address }).metricsBindAddress).toBe(address);
      expect(loadMetricsBindAddress({ A2P_METRICS_BIND_ADDRESS: address })).toBe(address);
    },
  );

  test('the webhook server splits it into a host and a port', () => {
    expect(
      loadWebhookConfig({ TWILIO_AUTH_TOKEN: 't', A2P_WEBHOOK_METRICS_BIND_ADDRESS: '0.0.0.0:9465' }).metrics,
    ).toEqual({ host: '0.0.0.0', port: 9465 });
    expect(
      loadWebhookConfig({ TWILIO_AUTH_TOKEN: 't', A2P_WEBHOOK_METRICS_BIND_ADDRESS: '[::1]:9465' }).metrics,
    ).toEqual({ host: '::1', port: 9465 });
  });

  // The Temporal runtime's exporter refuses host names; say so before it does.
  test.each([
    'localhost:9464',
    '9464',
    '0.0.0.0',
    '0.0.0.0:0',
    '0.0.0.0:70000',
    '::1:9464',
    'http://0.0.0.0:9464',
  ])('%s is refused with the variable named', (address) => {
    expect(() => loadConfig({ ...worker, A2P_METRICS_BIND_ADDRESS: address })).toThrow(
      /A2P_METRICS_BIND_ADDRESS: .*(ip:port|port must be)/,
    );
    expect(() => loadMetricsBindAddress({ A2P_METRICS_BIND_ADDRESS: address })).toThrow(
      /A2P_METRICS_BIND_ADDRESS/,
    );
    expect(() =>
      loadWebhookConfig({ TWILIO_AUTH_TOKEN: 't', A2P_WEBHOOK_METRICS_BIND_ADDRESS: address }),
    ).toThrow(/A2P_WEBHOOK_METRICS_BIND_ADDRESS/);
  });
});

test('label values are escaped as the text format requires', () => {
  expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
});
