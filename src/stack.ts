import { ConfigError } from './config';
import { runDemo } from './stack/demo';
import { consoleLogger, installRuntime, startStack } from './stack/start';

/**
 * `npm start`: the embedded stack until Ctrl-C. `npm run demo`: the same, plus one sample
 * registration run to a verified campaign; exits 0 when it completes.
 */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  installRuntime();
  const stack = await startStack({ demo });
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= stack.stop().then(() => consoleLogger('stack', 'stopped')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      consoleLogger('stack', `${signal}: stopping`);
      void shutdown().then(() => process.exit(130));
    });
  }
  if (!demo) {
    consoleLogger('stack', 'ready; Ctrl-C stops everything');
    return;
  }
  try {
    await runDemo(stack, consoleLogger);
    await shutdown();
  } catch (err) {
    consoleLogger('demo', err instanceof Error ? err.message : String(err));
    await shutdown();
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
