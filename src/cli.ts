#!/usr/bin/env node
import { createRegistrarClient } from './client';
import { runCli } from './cli/program';

/** An operator at a prompt: a Temporal that is not there is reported within seconds. */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * `a2p`: the operator's command line. It talks to the Temporal the environment names
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...) with the same encryption keys as the worker.
 * Exit codes (EXIT in cli/program.ts): 0 done, 1 refused, 2 bad configuration, 3 Temporal or the
 * sandbox unreachable, 4 no such registration, 5 the registration has ended.
 */
runCli(process.argv, {
  connect: () => createRegistrarClient({ connectTimeoutMs: CONNECT_TIMEOUT_MS }),
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  live: process.stdout,
  // Only while `a2p import` watches: elsewhere Ctrl-C ends the command as usual.
  onInterrupt: (handler) => {
    process.once('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
