import { readFileSync } from 'node:fs';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import { Command, CommanderError } from 'commander';
import {
  CampaignWarningsError,
  checkRegistrations,
  CorrectionFeeError,
  NoCorrectionAwaitedError,
  type RegistrarClient,
  RegistrationClosedError,
  RegistrationExistsError,
  ValidationError,
} from '../client';
import { ConfigError } from '../config';
import { SandboxControl, SandboxControlError } from '../sandbox/control-client';
import { STEP_LABELS } from '../shared';
import { TemporalUnreachableError } from '../temporal';
import {
  type CampaignFinding,
  checkCampaign,
  findingsAsIssues,
  isStandard,
  isStandardRequest,
  parseExternalCampaignRequest,
  parseRegistrationCorrection,
  parseStandardCorrection,
  type Parsed,
  reviewCorrectionCampaign,
  SAMPLE_REGISTRATION_REQUEST,
  SAMPLE_STANDARD_REQUEST,
} from '../domain';
import {
  formatCampaignCheck,
  formatDeregistration,
  formatExternalProgress,
  formatFindings,
  formatList,
  formatNumbers,
  formatProgress,
  formatStuck,
} from './format';
import { type ImportIo, type PreparedImport, prepareImport, runImport } from './import';

/**
 * Exit codes of `a2p`, one per kind of failure (docs/operations.md lists what each covers):
 * 1 refused (bad input, warnings or a fee not accepted, a correction not awaited), 2 bad
 * configuration, 3 Temporal or the sandbox unreachable, 4 no such registration, 5 the
 * registration has ended.
 */
export const EXIT = { ok: 0, failed: 1, config: 2, unreachable: 3, notFound: 4, closed: 5 } as const;

/** The registrar operations the CLI calls; the real one is a RegistrarClient. */
export type Registrar = Pick<
  RegistrarClient,
  | 'startRegistration'
  | 'startRegistrations'
  | 'getProgress'
  | 'resendOtp'
  | 'submitCorrection'
  | 'cancelRegistration'
  | 'startExternalCampaign'
  | 'getExternalCampaignProgress'
  | 'deregister'
  | 'listRegistrations'
  | 'listStuck'
  | 'correctionTemplate'
  | 'close'
>;

/** The sandbox's control API, for `a2p sandbox …`. */
export type SandboxApi = Pick<SandboxControl, 'info' | 'answerOtp' | 'baseUrl'>;

export interface CliDeps {
  /** Connects to Temporal; called only after the command's input has been validated. */
  connect: () => Promise<Registrar>;
  out: (text: string) => void;
  err: (text: string) => void;
  readFile?: (path: string) => string;
  now?: () => Date;
  /** The Twilio sandbox (default: TWILIO_API_BASE_URL, else http://127.0.0.1:$SANDBOX_PORT). */
  sandbox?: () => SandboxApi;
  /** `a2p import`'s live display: refreshed in place on a TTY (default: plain lines through `out`). */
  live?: ImportIo['live'];
  /** `a2p import`'s Ctrl-C, which detaches from the registrations (default: none). */
  onInterrupt?: ImportIo['onInterrupt'];
  /** How often `a2p import` refreshes its counts (default 2 s). */
  importRefreshMs?: number;
}

/** Where `a2p sandbox …` finds the sandbox: the URL the worker sends Twilio calls to, or the stack's port. */
export function sandboxUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TWILIO_API_BASE_URL?.trim() || `http://127.0.0.1:${env.SANDBOX_PORT?.trim() || '4010'}`;
}

/** The sandbox did not answer (not started, or another address). */
class SandboxUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Cannot reach the Twilio sandbox at ${url}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Start it with `npm start` (or `npm run sandbox`), or set TWILIO_API_BASE_URL to where it runs.',
    );
  }
}

/** A file that cannot be read or is not JSON. */
class InputError extends Error {}

/** `3d`, `12h`, `90m` as milliseconds; undefined for anything else. */
function parseDuration(text: string): number | undefined {
  try {
    const ms = msToNumber(text.trim() as Parameters<typeof msToNumber>[0]);
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

function check<T>(parsed: Parsed<T>, subject: 'request' | 'correction' = 'request'): T {
  if (!parsed.ok) throw new ValidationError(parsed.issues, subject);
  return parsed.value;
}

/** Refuses campaign pre-vetting warnings the operator did not accept (before anything connects). */
function checkWarnings(
  warnings: CampaignFinding[],
  accepted: boolean | undefined,
  prefix = 'campaign',
): void {
  if (warnings.length > 0 && !accepted) throw new CampaignWarningsError(warnings, prefix);
}

/** The fields only a Standard registration's correction has. */
const STANDARD_CORRECTION_FIELDS = ['business', 'authorizedRepresentatives', 'messagingProfile', 'campaigns'];

/**
 * Whether a correction is meant for a Standard registration: it names a field only those have.
 * (One of `address` alone fits either kind; the registration checks it by its own rules.)
 */
function isStandardCorrection(input: unknown): boolean {
  return (
    typeof input === 'object' && input !== null && STANDARD_CORRECTION_FIELDS.some((field) => field in input)
  );
}

/** Each known failure as the operator should read it, and the exit code it ends with. */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError) return { message: err.message, code: EXIT.config };
  if (err instanceof TemporalUnreachableError || err instanceof SandboxUnreachableError)
    return { message: err.message, code: EXIT.unreachable };
  if (err instanceof RegistrationClosedError) return { message: err.message, code: EXIT.closed };
  if (
    err instanceof ValidationError ||
    err instanceof CampaignWarningsError ||
    err instanceof CorrectionFeeError ||
    err instanceof NoCorrectionAwaitedError ||
    err instanceof InputError ||
    err instanceof RegistrationExistsError
  )
    return { message: err.message, code: EXIT.failed };
  if (err instanceof WorkflowNotFoundError)
    return {
      message: `No such registration: workflow ${err.workflowId} does not exist (a2p list shows the registrations there are)`,
      code: EXIT.notFound,
    };
  if (err instanceof SandboxControlError) return { message: err.message, code: EXIT.failed };
  // A Temporal call that failed: the SDK's message ("Failed to list workflows") and the server's reason.
  if (err instanceof ServiceError && err.cause instanceof Error)
    return { message: `${err.message}: ${err.cause.message}`, code: EXIT.failed };
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { message: `Rejected${cause}`, code: EXIT.failed };
  }
  return { message: err instanceof Error ? err.message : String(err), code: EXIT.failed };
}

/** Builds the `a2p` command. Output goes through `deps`, so tests run it in-process. */
export function buildProgram(deps: CliDeps, setExitCode: (code: number) => void): Command {
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const now = deps.now ?? (() => new Date());
  const sandbox = deps.sandbox ?? (() => new SandboxControl(sandboxUrl()));

  /** A sandbox call; a sandbox that does not answer is named with where it was looked for. */
  const onSandbox = async <T>(call: (api: SandboxApi) => Promise<T>): Promise<T> => {
    const api = sandbox();
    try {
      return await call(api);
    } catch (err) {
      if (err instanceof SandboxControlError) throw err;
      throw new SandboxUnreachableError(api.baseUrl, (err as Error).cause ?? err);
    }
  };

  const readJson = (file: string): unknown => {
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new InputError(`${file} is not JSON: ${(err as Error).message}`);
    }
  };

  /**
   * Runs one command: input first (a bad file never reaches Temporal, let alone Twilio), then the
   * connection, then the call; every failure becomes a message and an exit code.
   */
  const withRegistrar = async (
    prepare: () => void,
    run: (registrar: Registrar) => Promise<void>,
  ): Promise<void> => {
    let registrar: Registrar | undefined;
    try {
      prepare();
      registrar = await deps.connect();
      await run(registrar);
    } catch (err) {
      const { message, code } = describeFailure(err);
      deps.err(message);
      setExitCode(code);
    } finally {
      await registrar?.close().catch(() => undefined);
    }
  };

  const program = new Command('a2p')
    .description('Operate A2P 10DLC registrations: one Temporal workflow per customer')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.out(s.replace(/\n$/, '')),
      writeErr: (s) => deps.err(s.replace(/\n$/, '')),
    });

  /** Lists the campaign warnings an operator accepted with --accept-warnings. */
  const acceptedWarnings = (warnings: CampaignFinding[], prefix = 'campaign') => {
    if (warnings.length > 0)
      deps.out(`Accepted ${warnings.length} campaign warning(s):\n${formatFindings(warnings, prefix)}`);
  };

  program
    .command('register [file]')
    .description(
      'start the registration described by a JSON request file: Sole Proprietor, or Standard / Low-Volume Standard (with brandType)',
    )
    .option('--accept-warnings', 'go ahead although the campaign pre-vetting warns Twilio may reject it')
    .option('--template', 'print a sample request to start from (Sole Proprietor), send nothing')
    .option('--standard', 'with --template: the sample Standard request (an LLC with one campaign)')
    .action(
      async (
        file: string | undefined,
        opts: { acceptWarnings?: boolean; template?: boolean; standard?: boolean },
      ) => {
        if (opts.template || opts.standard) {
          if (!opts.template || file !== undefined) {
            const { message, code } = describeFailure(
              new InputError(
                opts.template
                  ? 'a2p register --template takes no file: a2p register --template [--standard] > customer.json'
                  : '--standard goes with --template: a2p register --template --standard > customer.json',
              ),
            );
            deps.err(message);
            setExitCode(code);
            return;
          }
          deps.out(
            JSON.stringify(opts.standard ? SAMPLE_STANDARD_REQUEST : SAMPLE_REGISTRATION_REQUEST, null, 2),
          );
          return;
        }
        let request: unknown;
        await withRegistrar(
          () => {
            if (file === undefined)
              throw new InputError(
                'a2p register needs a file: a2p register customer.json (a2p register --template [--standard] prints a sample)',
              );
            request = readJson(file);
            // Either kind, told apart by brandType; a bad field is named the same way for both.
            const [checked] = checkRegistrations([request], { acceptWarnings: true });
            if (!checked.ok) throw new ValidationError(checked.issues);
            checkWarnings(
              checked.warnings,
              opts.acceptWarnings,
              isStandard(checked.request) ? '' : 'campaign',
            );
          },
          async (r) => {
            const started = await r.startRegistration(request, { acceptWarnings: opts.acceptWarnings });
            acceptedWarnings(started.campaignWarnings, isStandardRequest(request) ? '' : 'campaign');
            deps.out(
              `${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId} (run ${started.runId})`,
            );
          },
        );
      },
    );

  program
    .command('check <file>')
    .description(
      "pre-vet a campaign against Twilio's documented rejection reasons: a JSON request file, or just its campaign object",
    )
    .option('--json', 'print the findings as JSON')
    .option('--brand-name <name>', 'the brand name, when the file holds a campaign alone')
    .action((file: string, opts: { json?: boolean; brandName?: string }) => {
      try {
        const result = checkCampaign(readJson(file), { brandName: opts.brandName });
        deps.out(opts.json ? JSON.stringify(result, null, 2) : formatCampaignCheck(result));
        setExitCode(result.blocked ? EXIT.failed : EXIT.ok);
      } catch (err) {
        const { message, code } = describeFailure(err);
        deps.err(message);
        setExitCode(code);
      }
    });

  program
    .command('status <id>')
    .description("a registration's progress by customer id (or an external campaign's, with --external)")
    .option('--json', 'print the raw progress object')
    .option('--external', 'the id is a TCR campaign id')
    .action(async (id: string, opts: { json?: boolean; external?: boolean }) => {
      await withRegistrar(
        () => undefined,
        async (r) => {
          if (opts.external) {
            const progress = await r.getExternalCampaignProgress(id);
            deps.out(opts.json ? JSON.stringify(progress, null, 2) : formatExternalProgress(progress, now()));
            return;
          }
          const progress = await r.getProgress(id);
          deps.out(opts.json ? JSON.stringify(progress, null, 2) : formatProgress(progress, now()));
        },
      );
    });

  program
    .command('list')
    .description('registrations by phase and Twilio status (running ones first, then newest first)')
    .option('--phase <phase>', 'e.g. brand-verification, needs-correction, completed')
    .option('--brand-status <status>', 'e.g. APPROVED, FAILED')
    .option('--campaign-status <status>', 'e.g. VERIFIED, FAILED')
    .option('--limit <n>', 'at most this many rows', '100')
    .option(
      '--stuck',
      "only running registrations waiting on a person (a correction, the customer's OTP) or on a review for over 3 days, with why and the command that un-sticks each",
    )
    .option('--older-than <duration>', 'with --stuck: only waits that began longer ago, e.g. 3d, 12h')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        phase?: string;
        brandStatus?: string;
        campaignStatus?: string;
        limit: string;
        stuck?: boolean;
        olderThan?: string;
        json?: boolean;
      }) => {
        const limit = Number(opts.limit);
        let olderThanMs: number | undefined;
        await withRegistrar(
          () => {
            if (!Number.isInteger(limit) || limit < 1)
              throw new ValidationError(
                [{ path: '--limit', message: 'must be a positive whole number' }],
                'option',
              );
            if (opts.olderThan !== undefined) {
              if (!opts.stuck)
                throw new ValidationError([{ path: '--older-than', message: 'goes with --stuck' }], 'option');
              olderThanMs = parseDuration(opts.olderThan);
              if (olderThanMs === undefined)
                throw new ValidationError(
                  [
                    {
                      path: '--older-than',
                      message: `"${opts.olderThan}" is not a duration like 3d, 12h or 90m`,
                    },
                  ],
                  'option',
                );
            }
          },
          async (r) => {
            if (opts.stuck) {
              const rows = await r.listStuck(
                olderThanMs === undefined
                  ? { now: now() }
                  : { olderThanMs, reviewOlderThanMs: olderThanMs, now: now() },
                limit,
              );
              deps.out(opts.json ? JSON.stringify(rows, null, 2) : formatStuck(rows, now()));
              return;
            }
            const filter = {
              phase: opts.phase,
              brandStatus: opts.brandStatus,
              campaignStatus: opts.campaignStatus,
            };
            const rows = await r.listRegistrations(filter, limit);
            deps.out(opts.json ? JSON.stringify(rows, null, 2) : formatList(rows));
          },
        );
      },
    );

  program
    .command('resend-otp <customerId>')
    .description('have Twilio send the customer a fresh verification OTP now')
    .action(async (customerId: string) => {
      await withRegistrar(
        () => undefined,
        async (r) => {
          await r.resendOtp(customerId);
          deps.out(`OTP re-send requested for ${customerId}`);
        },
      );
    });

  program
    .command('correct <customerId> [file]')
    .description(
      'send corrected data (JSON) to a registration in phase needs-correction; --template prints what to send',
    )
    .option('--template', 'print the JSON shape of the correction being asked for (and why), send nothing')
    .option('--accept-warnings', 'go ahead although the campaign pre-vetting warns Twilio may reject it')
    .option(
      '--accept-fee',
      'go ahead although the correction leads to a paid resubmission (campaign or brand)',
    )
    .action(
      async (
        customerId: string,
        file: string | undefined,
        opts: { template?: boolean; acceptWarnings?: boolean; acceptFee?: boolean },
      ) => {
        if (opts.template) {
          await withRegistrar(
            () => undefined,
            async (r) => {
              const asked = await r.correctionTemplate(customerId);
              // The explanation on stderr, the JSON alone on stdout: `... --template c1 > fix.json`.
              deps.err(
                [
                  `${customerId} waits for a correction of the ${STEP_LABELS[asked.step]}: ${asked.why}`,
                  ...(asked.fee ? [`Sending it costs ${asked.fee.text}: add --accept-fee.`] : []),
                  `Keep the fields to change, delete the others, then: a2p correct ${customerId} fix.json` +
                    (asked.fee ? ' --accept-fee' : ''),
                ].join('\n'),
              );
              deps.out(JSON.stringify(asked.template, null, 2));
            },
          );
          return;
        }
        let correction: unknown;
        await withRegistrar(
          () => {
            if (file === undefined)
              throw new InputError(
                `a2p correct needs a file: a2p correct ${customerId} fix.json (a2p correct --template ${customerId} prints what to put in it)`,
              );
            correction = readJson(file);
            // A Standard registration's correction (business, campaigns by index, ...) is checked
            // by its own schema here, and merged with the request by the registration.
            if (isStandardCorrection(correction)) {
              check(parseStandardCorrection(correction), 'correction');
              return;
            }
            const soleProprietor = parseRegistrationCorrection(correction);
            // An address outside the US and Canada fits a Standard registration only.
            if (!soleProprietor.ok && parseStandardCorrection(correction).ok) return;
            const review = reviewCorrectionCampaign(check(soleProprietor, 'correction'));
            if (review.blocking.length > 0)
              throw new ValidationError(findingsAsIssues(review.blocking), 'correction');
            checkWarnings(review.warnings, opts.acceptWarnings);
          },
          async (r) => {
            const result = await r.submitCorrection(customerId, correction, {
              acceptWarnings: opts.acceptWarnings,
              acceptFee: opts.acceptFee,
            });
            acceptedWarnings(result.campaignWarnings);
            if (result.fee) deps.out(`Accepted the fee: ${result.fee.text}`);
            deps.out(`Correction accepted (the registration was in phase ${result.phase})`);
          },
        );
      },
    );

  program
    .command('cancel <customerId>')
    .description('cancel a registration; it removes what it can and records what remains')
    .action(async (customerId: string) => {
      await withRegistrar(
        () => undefined,
        async (r) => {
          await r.cancelRegistration(customerId);
          deps.out(`Cancellation requested for ${customerId}; see a2p status ${customerId}`);
        },
      );
    });

  program
    .command('external <campaignId>')
    .description('connect a campaign registered directly with TCR to a Messaging Service')
    .option('--service <sid>', 'an existing Messaging Service (MG…); default: create one')
    .requiredOption('--numbers <sids...>', 'phone number SIDs (PN…) for the sender pool')
    .action(async (campaignId: string, opts: { service?: string; numbers: string[] }) => {
      const request = {
        campaignId,
        ...(opts.service ? { messagingServiceSid: opts.service } : {}),
        phoneNumberSids: opts.numbers.flatMap((n) => n.split(',')).filter(Boolean),
      };
      await withRegistrar(
        () => check(parseExternalCampaignRequest(request)),
        async (r) => {
          const started = await r.startExternalCampaign(request);
          deps.out(
            `${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId} (run ${started.runId})`,
          );
        },
      );
    });

  program
    .command('deregister <id>')
    .description('undo a registration (customer id) or an external campaign (--external)')
    .option('--external', 'the id is a TCR campaign id')
    .option('--delete-messaging-service', 'delete the Messaging Service too')
    .action(async (id: string, opts: { external?: boolean; deleteMessagingService?: boolean }) => {
      await withRegistrar(
        () => undefined,
        async (r) => {
          const result = await r.deregister(opts.external ? { campaignId: id } : id, {
            deleteMessagingService: opts.deleteMessagingService ?? false,
          });
          deps.out(formatDeregistration(result));
        },
      );
    });

  program
    .command('import <file>')
    .description(
      'start the registrations of many customers from a .csv or .jsonl file (docs/import.md), then show their progress',
    )
    .option('--skip-invalid', 'start the valid rows although others are invalid (default: start nothing)')
    .option('--accept-warnings', 'go ahead although the campaign pre-vetting warns Twilio may reject some')
    .option('--no-wait', 'start them and exit, without waiting for them to settle')
    .option('--concurrency <n>', 'registrations being started at once', '8')
    .action(
      async (
        file: string,
        opts: { skipInvalid?: boolean; acceptWarnings?: boolean; wait: boolean; concurrency: string },
      ) => {
        const options = {
          skipInvalid: opts.skipInvalid,
          acceptWarnings: opts.acceptWarnings,
          wait: opts.wait,
          concurrency: Number(opts.concurrency),
          refreshMs: deps.importRefreshMs,
        };
        let prepared: PreparedImport | undefined;
        await withRegistrar(
          () => {
            if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
              throw new ValidationError(
                [{ path: '--concurrency', message: 'must be a positive whole number' }],
                'option',
              );
            let text: string;
            try {
              text = readFile(file);
            } catch (err) {
              throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
            }
            prepared = prepareImport(file, text, options);
          },
          async (r) => {
            const { ok } = await runImport(r, prepared as PreparedImport, options, {
              out: deps.out,
              live: deps.live,
              onInterrupt: deps.onInterrupt,
            });
            if (!ok) setExitCode(EXIT.failed);
          },
        );
      },
    );

  const sandboxCommand = program
    .command('sandbox')
    .description('the bundled Twilio sandbox: answer an OTP as the customer, see which numbers are free');

  sandboxCommand
    .command('otp <customerId>')
    .description("reply to the registration's OTP as the customer would (sandbox only)")
    .action(async (customerId: string) => {
      await withRegistrar(
        () => undefined,
        async (r) => {
          const progress = await r.getProgress(customerId);
          const brandSid = progress.steps.brand.sid;
          if (!brandSid)
            throw new InputError(
              `${customerId} has no brand yet (phase ${progress.phase}): there is no OTP to answer`,
            );
          const answered = await onSandbox((api) => api.answerOtp(brandSid));
          deps.out(
            `Answered the OTP of brand ${answered.sid} as the customer: identity ${answered.identityStatus}. ` +
              `a2p status ${customerId} shows the registration go on.`,
          );
        },
      );
    });

  sandboxCommand
    .command('numbers')
    .description("the sandbox account's phone numbers: free, or held by which Messaging Service")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      try {
        const info = await onSandbox((api) => api.info());
        deps.out(opts.json ? JSON.stringify(info.numbers, null, 2) : formatNumbers(info.numbers));
      } catch (err) {
        const { message, code } = describeFailure(err);
        deps.err(message);
        setExitCode(code);
      }
    });

  return program;
}

/** Runs `a2p` with the given argv (`['node', 'a2p', ...args]`) and returns the exit code. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(deps, (c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Usage errors and --help/--version arrive here through exitOverride().
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return code;
}
