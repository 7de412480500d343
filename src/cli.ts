#!/usr/bin/env node
import { createRegistrarClient } from './client';
import { runCli } from './cli/program';

/**
 * `a2p`: the operator's command line. It talks to the Temporal the environment names
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...) with the same encryption keys as the worker.
 * Exit codes: 0 done, 1 failed (bad input, unknown registration, refused), 2 bad configuration.
 */
runCli(process.argv, {
  connect: () => createRegistrarClient(),
  out: (text) => console.log(text),
  err: (text) => console.error(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
