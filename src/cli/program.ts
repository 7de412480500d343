import { readFileSync } from 'node:fs';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import { type RegistrarClient, RegistrationExistsError, ValidationError } from '../client';
import { ConfigError } from '../config';
import {
  parseExternalCampaignRequest,
  parseRegistrationCorrection,
  parseRegistrationRequest,
  type Parsed,
} from '../domain';
import { formatDeregistration, formatExternalProgress, formatList, formatProgress } from './format';

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

function check(parsed: Parsed<unknown>): void {
  if (!parsed.ok) throw new ValidationError(parsed.issues);
}

/** Each known failure as the operator should read it, and the exit code it ends with. */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError) return { message: err.message, code: EXIT.config };
  if (err instanceof ValidationError || err instanceof InputError || err instanceof RegistrationExistsError)
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

  program
    .command('register <file>')
    .description('start the Sole Proprietor registration described by a JSON request file')
    .action(async (file: string) => {
      let request: unknown;
      await withRegistrar(
        () => {
          request = readJson(file);
          check(parseRegistrationRequest(request));
        },
        async (r) => {
          const started = await r.startRegistration(request);
          deps.out(
            `${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId} (run ${started.runId})`,
          );
        },
      );
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
    .action(async (customerId: string, file: string) => {
      let correction: unknown;
      await withRegistrar(
        () => {
          correction = readJson(file);
          check(parseRegistrationCorrection(correction));
        },
        async (r) => {
          const result = await r.submitCorrection(customerId, correction);
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
