import { A2P_PHASE } from './search-attributes';

/**
 * The Web UI's ready-made operator views: visibility queries over the typed search attributes,
 * as links the embedded stack prints and docs/operations.md lists. Adding `savedQuery=<name>`
 * to a link makes the Web UI keep it under Saved Views in that browser.
 */
export interface OperatorView {
  name: string;
  query: string;
}

const RUNNING = 'ExecutionStatus = "Running"';
const DAY_MS = 86_400_000;

export function operatorViews(now: Date, reviewDays = 3): OperatorView[] {
  const before = new Date(now.getTime() - reviewDays * DAY_MS).toISOString();
  return [
    { name: 'A2P: needs correction', query: `${RUNNING} AND ${A2P_PHASE.name} = "needs-correction"` },
    {
      name: "A2P: waiting for the customer's OTP",
      query: `${RUNNING} AND ${A2P_PHASE.name} = "brand-verification"`,
    },
    {
      name: `A2P: in review for more than ${reviewDays} days`,
      // The run's start time: a registration continues as new after about 2,000 events (weeks of
      // waiting), so this undercounts the longest waits; `a2p list --stuck` reads the true "since".
      query: `${RUNNING} AND ${A2P_PHASE.name} IN ("brand", "campaign") AND StartTime < "${before}"`,
    },
  ];
}

/** The Web UI's workflow list filtered by `query`; with `save`, also kept as a Saved View. */
export function workflowListUrl(uiUrl: string, namespace: string, view: OperatorView, save = false): string {
  const params = new URLSearchParams({ query: view.query });
  if (save) params.set('savedQuery', view.name);
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?${params.toString()}`;
}
