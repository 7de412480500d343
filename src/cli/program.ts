import { readFileSync } from 'node:fs';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import {
  CampaignWarningsError,
  type RegistrarClient,
  RegistrationExistsError,
  ValidationError,
} from '../client';
import { ConfigError } from '../config';
import {
  type CampaignFinding,
  checkCampaign,
  findingsAsIssues,
  parseExternalCampaignRequest,
  parseRegistrationCorrection,
  parseRegistrationRequest,
  type Parsed,
  reviewCorrectionCampaign,
  reviewRegistrationCampaign,
} from '../domain';
import {
  formatCampaignCheck,
  formatDeregistration,
  formatExternalProgress,
  formatFindings,
  formatList,
  formatProgress,
} from './format';

/** Exit codes of `a2p`. */
export const EXIT = { ok: 0, failed: 1, config: 2 } as const;

/** The registrar operations the CLI calls; the real one is a RegistrarClient. */
export type Registrar = Pick<
  RegistrarClient,
  | 'startRegistration'
  | 'getProgress'
  | 'resendOtp'
  | 'submitCorrection'
  | 'cancelRegistration'
  | 'startExternalCampaign'
  | 'getExternalCampaignProgress'
  | 'deregister'
  | 'listRegistrations'
  | 'close'
>;

export interface CliDeps {
  /** Connects to Temporal; called only after the command's input has been validated. */
  connect: () => Promise<Registrar>;
  out: (text: string) => void;
  err: (text: string) => void;
  readFile?: (path: string) => string;
  now?: () => Date;
}

/** A file that cannot be read or is not JSON. */
class InputError extends Error {}

function check<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  return parsed.value;
}

/** Refuses campaign pre-vetting warnings the operator did not accept (before anything connects). */
function checkWarnings(warnings: CampaignFinding[], accepted: boolean | undefined): void {
  if (warnings.length > 0 && !accepted) throw new CampaignWarningsError(warnings);
}

/** Each known failure as the operator should read it, and the exit code it ends with. */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError) return { message: err.message, code: EXIT.config };
  if (
    err instanceof ValidationError ||
    err instanceof CampaignWarningsError ||
    err instanceof InputError ||
    err instanceof RegistrationExistsError
  )
    return { message: err.message, code: EXIT.failed };
  if (err instanceof WorkflowNotFoundError)
    return { message: `No such registration: workflow ${err.workflowId} does not exist`, code: EXIT.failed };
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
  const acceptedWarnings = (warnings: CampaignFinding[]) => {
    if (warnings.length > 0)
      deps.out(`Accepted ${warnings.length} campaign warning(s):\n${formatFindings(warnings, 'campaign')}`);
  };

  program
    .command('register <file>')
    .description('start the Sole Proprietor registration described by a JSON request file')
    .option('--accept-warnings', 'go ahead although the campaign pre-vetting warns Twilio may reject it')
    .action(async (file: string, opts: { acceptWarnings?: boolean }) => {
      let request: unknown;
      await withRegistrar(
        () => {
          request = readJson(file);
          const parsed = check(parseRegistrationRequest(request));
          checkWarnings(reviewRegistrationCampaign(parsed).warnings, opts.acceptWarnings);
        },
        async (r) => {
          const started = await r.startRegistration(request, { acceptWarnings: opts.acceptWarnings });
          acceptedWarnings(started.campaignWarnings);
          deps.out(
            `${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId} (run ${started.runId})`,
          );
        },
      );
    });

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
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        phase?: string;
        brandStatus?: string;
        campaignStatus?: string;
        limit: string;
        json?: boolean;
      }) => {
        const limit = Number(opts.limit);
        await withRegistrar(
          () => {
            if (!Number.isInteger(limit) || limit < 1)
              throw new ValidationError([{ path: '--limit', message: 'must be a positive whole number' }]);
          },
          async (r) => {
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
    .command('correct <customerId> <file>')
    .description('send corrected data (JSON) to a registration in phase needs-correction')
    .option('--accept-warnings', 'go ahead although the campaign pre-vetting warns Twilio may reject it')
    .action(async (customerId: string, file: string, opts: { acceptWarnings?: boolean }) => {
      let correction: unknown;
      await withRegistrar(
        () => {
          correction = readJson(file);
          const review = reviewCorrectionCampaign(check(parseRegistrationCorrection(correction)));
          if (review.blocking.length > 0) throw new ValidationError(findingsAsIssues(review.blocking));
          checkWarnings(review.warnings, opts.acceptWarnings);
        },
        async (r) => {
          const result = await r.submitCorrection(customerId, correction, {
            acceptWarnings: opts.acceptWarnings,
          });
          acceptedWarnings(result.campaignWarnings);
          deps.out(`Correction accepted (the registration was in phase ${result.phase})`);
        },
      );
    });

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
