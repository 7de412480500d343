#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { createRegistrarClient, type RegistrarClient, ValidationError } from './client';
import { formatList, formatProgress } from './cli/format';
import { ConfigError } from './config';
import {
  parseExternalCampaignRequest,
  parseRegistrationCorrection,
  parseRegistrationRequest,
  type Parsed,
} from './domain';

function readJsonOrExit(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    console.error(`Cannot read ${file} as JSON: ${(err as Error).message}`);
    process.exit(1);
  }
}

function check(parsed: Parsed<unknown>): void {
  if (!parsed.ok) throw new ValidationError(parsed.issues);
}

/** Runs one command with a connected client; maps known errors to exit codes and messages. */
async function withClient(
  run: (client: RegistrarClient) => Promise<void>,
  validate?: () => void,
): Promise<void> {
  let client: RegistrarClient | undefined;
  try {
    // Bad input is reported before anything connects to Temporal, let alone Twilio.
    validate?.();
    client = await createRegistrarClient();
    await run(client);
  } catch (err) {
    if (err instanceof ValidationError) {
      console.error(err.message);
      process.exitCode = 1;
    } else if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 2;
    } else {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    }
  } finally {
    await client?.close();
  }
}

const program = new Command('a2p').description('A2P 10DLC registrations on Temporal');

program
  .command('register <file>')
  .description('start a Sole Proprietor registration from a JSON request')
  .action((file: string) => {
    const request = readJsonOrExit(file);
    return withClient(
      async (c) => {
        const started = await c.startRegistration(request);
        console.log(`${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId}`);
      },
      () => check(parseRegistrationRequest(request)),
    );
  });

program
  .command('status <id>')
  .description("a registration's progress (customer id), or an external campaign's (--external)")
  .option('--json', 'print the raw progress')
  .option('--external', 'the id is a TCR campaign id')
  .action((id: string, opts: { json?: boolean; external?: boolean }) =>
    withClient(async (c) => {
      if (opts.external) {
        console.log(JSON.stringify(await c.getExternalCampaignProgress(id), null, 2));
        return;
      }
      const progress = await c.getProgress(id);
      console.log(opts.json ? JSON.stringify(progress, null, 2) : formatProgress(progress));
    }),
  );

program
  .command('list')
  .description('registrations by phase and status')
  .option('--phase <phase>')
  .option('--brand-status <status>')
  .option('--campaign-status <status>')
  .option('--json', 'print JSON')
  .action((opts: { phase?: string; brandStatus?: string; campaignStatus?: string; json?: boolean }) =>
    withClient(async (c) => {
      const rows = await c.listRegistrations(opts);
      console.log(opts.json ? JSON.stringify(rows, null, 2) : formatList(rows));
    }),
  );

program
  .command('resend-otp <customerId>')
  .description('ask Twilio to send the customer a fresh OTP now')
  .action((customerId: string) =>
    withClient((c) => c.resendOtp(customerId).then(() => console.log('OTP re-send requested'))),
  );

program
  .command('correct <customerId> <file>')
  .description('send corrected data to a registration in phase needs-correction')
  .action((customerId: string, file: string) => {
    const correction = readJsonOrExit(file);
    return withClient(
      async (c) => {
        const result = await c.submitCorrection(customerId, correction);
        console.log(`Correction accepted (was in phase ${result.phase})`);
      },
      () => check(parseRegistrationCorrection(correction)),
    );
  });

program
  .command('cancel <customerId>')
  .description('cancel a registration; it removes what it can')
  .action((customerId: string) =>
    withClient((c) => c.cancelRegistration(customerId).then(() => console.log('Cancellation requested'))),
  );

program
  .command('external <campaignId>')
  .description('connect a TCR-registered campaign to a Messaging Service')
  .option('--service <sid>', 'an existing Messaging Service (MG…); default: create one')
  .requiredOption('--numbers <sids...>', 'phone number SIDs (PN…) for the sender pool')
  .action((campaignId: string, opts: { service?: string; numbers: string[] }) => {
    const request = { campaignId, messagingServiceSid: opts.service, phoneNumberSids: opts.numbers };
    return withClient(
      async (c) => {
        const started = await c.startExternalCampaign(request);
        console.log(`${started.alreadyStarted ? 'Already running' : 'Started'}: ${started.workflowId}`);
      },
      () => check(parseExternalCampaignRequest(request)),
    );
  });

program
  .command('deregister <id>')
  .description('undo a registration (customer id) or an external campaign (--external)')
  .option('--external', 'the id is a TCR campaign id')
  .option('--delete-messaging-service', 'delete the Messaging Service too')
  .action((id: string, opts: { external?: boolean; deleteMessagingService?: boolean }) =>
    withClient(async (c) => {
      const result = await c.deregister(opts.external ? { campaignId: id } : { customerId: id }, {
        deleteMessagingService: opts.deleteMessagingService,
      });
      console.log(`Removed: ${result.removed.join('; ') || 'nothing'}`);
      if (result.remaining.length) console.log(`Remaining: ${result.remaining.join('; ')}`);
    }),
  );

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
