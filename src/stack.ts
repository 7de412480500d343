import { ConfigError, loadMetricsBindAddress } from './config';
import { stackBanner } from './stack/banner';
import { runDemo } from './stack/demo';
import { consoleLogger, installRuntime, stackSettings, startStack } from './stack/start';

/**
 * `npm start`: the embedded stack until Ctrl-C. `npm run demo`: the same, plus one sample
 * registration run to a verified campaign; exits 0 when it completes, 1 when it does not.
 * `npm run demo -- --standard`: the sample LLC's Standard brand and campaign instead.
 * Ctrl-C stops the parts in reverse order (worker, servers, sandbox, Temporal); a second Ctrl-C
 * exits at once.
 */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const standard = process.argv.includes('--standard');
  if (standard && !demo) throw new Error('--standard goes with the demo: npm run demo -- --standard');
  const log = consoleLogger;
  if (demo && stackSettings().realTwilio)
    throw new Error(
      'The demo registers a fictional customer, so it runs on the sandbox only: unset TWILIO_ACCOUNT_SID.',
    );
  installRuntime(log, loadMetricsBindAddress());
  const stack = await startStack({ demo, log });

  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= stack.stop().then(() => log('stack', 'stopped')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log('stack', `${signal} again: exiting now`);
        process.exit(130);
      }
      log('stack', `${signal}: stopping`);
      void shutdown().then(() => process.exit(130));
    });
  }
  stack.workersDone.catch((err: unknown) => {
    log('worker', `stopped: ${err instanceof Error ? err.message : String(err)}`);
    void shutdown().then(() => process.exit(1));
  });

  if (!demo) {
    const banner = stackBanner({
      uiUrl: stack.devServer.uiUrl,
      namespace: stack.devServer.namespace,
      sandboxUrl: stack.sandbox?.url,
      settleDelayMs: stack.config.timings.settleDelayMs,
      now: new Date(),
    });
    for (const line of banner) log('stack', line);
    return;
  }
  try {
    await runDemo(stack, log, { standard });
    log('demo', 'completed; stopping the stack');
  } catch (err) {
    log('demo', `failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
  await shutdown();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
