import { operatorViews, workflowListUrl } from '../shared/views';

/**
 * What `npm start` prints once everything is up: where the operator views are in the Web UI,
 * the `a2p` commands that answer "who is stuck and why", and, on the sandbox, how to act as the
 * customer. Each view link opens the filtered list; the `savedQuery` one also keeps it under
 * the Web UI's Saved Views (open it once per browser).
 */
export function stackBanner(options: {
  uiUrl: string;
  namespace: string;
  sandboxUrl?: string;
  settleDelayMs: number;
  now: Date;
}): string[] {
  const views = operatorViews(options.now);
  const width = Math.max(...views.map((v) => v.name.length));
  return [
    'ready. Ctrl-C stops everything.',
    `Web UI ${options.uiUrl}: who is stuck (open a link; the second keeps it under Saved Views):`,
    ...views.flatMap((v) => [
      `  ${v.name.padEnd(width)}  ${workflowListUrl(options.uiUrl, options.namespace, v)}`,
      `  ${''.padEnd(width)}  ${workflowListUrl(options.uiUrl, options.namespace, v, true)}`,
    ]),
    'From a shell in this checkout (npx a2p <command>):',
    '  a2p register <file.json>            start a registration',
    '  a2p list --stuck [--older-than 3d]  who waits on a person or a long review, why, and the command that un-sticks it',
    '  a2p status <customerId>             where one registration is, what it waits for, its errors and fees',
    '  a2p correct --template <customerId> the correction being asked for, as JSON to fill in',
    ...(options.sandboxUrl
      ? [
          `Sandbox ${options.sandboxUrl} (it never answers an OTP by itself here; you are the customer):`,
          '  a2p sandbox otp <customerId>        reply to the OTP as the customer',
          '  a2p sandbox numbers                 which of its five numbers are free for a new registration',
        ]
      : []),
    `Each submission is followed by Twilio's advised pause of ${Math.round(options.settleDelayMs / 1000)} s ` +
      '(A2P_SETTLE_DELAY); the Current Details say when it ends.',
  ];
}
