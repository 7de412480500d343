import { createDataConverter, loadKeyRing } from '../encryption';
import { loadWebhookConfig } from './config';
import { startWebhookServer } from './index';
import { twilioSubaccountTokens } from './subaccounts';
import { connectTemporalSignaller } from './targets';
import { createTwilioClient } from '../twilio/client';

/** `npm run webhooks`: the webhook server on its own, signalling workflows on the configured Temporal. */
async function main(): Promise<void> {
  const config = loadWebhookConfig();
  const keyRing = loadKeyRing(config.encryptionKeys, config.dataDir);
  const temporal = await connectTemporalSignaller({ dataConverter: createDataConverter(keyRing) }).catch(
    (err: unknown) => {
      const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
      throw new Error(
        `cannot connect to Temporal at ${address}: ${err instanceof Error ? err.message : String(err)}`,
      );
    },
  );
  const server = await startWebhookServer({
    port: config.port,
    host: config.host,
    publicBaseUrl: config.publicBaseUrl,
    authToken: config.authToken,
    // With the account SID too, a customer subaccount's own sink and callbacks verify.
    subaccountAuthToken: process.env.TWILIO_ACCOUNT_SID
      ? twilioSubaccountTokens(
          createTwilioClient({
            accountSid: process.env.TWILIO_ACCOUNT_SID,
            authToken: config.authToken,
            apiBaseUrl: process.env.TWILIO_API_BASE_URL || undefined,
          }),
        )
      : undefined,
    tcrSecret: config.tcrSecret,
    signaller: temporal.signaller,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    metrics: config.metrics,
  });
  process.stdout.write(
    `Webhook server listening on ${server.url}; signatures checked against ${config.publicBaseUrl}` +
      `${config.publicBaseUrlDefaulted ? ' (A2P_PUBLIC_WEBHOOK_URL not set)' : ''}\n`,
  );
  if (server.metricsUrl) process.stdout.write(`Prometheus metrics on ${server.metricsUrl}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: closing the webhook server\n`);
    server
      .close()
      .then(() => temporal.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`error while closing: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
