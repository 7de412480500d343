/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (0.0.4): every sample line, comments and blank lines skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL))
      labels[key] = raw.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** A scrape: the sum of a series over the samples whose labels include `labels`. */
export class Scrape {
  constructor(readonly samples: Sample[]) {}

  static async of(url: string): Promise<Scrape> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    return new Scrape(parsePrometheus(await response.text()));
  }

  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((total, s) => total + s.value, 0);
  }

  /** The distinct values `label` takes on `name`. */
  values(name: string, label: string): string[] {
    return [...new Set(this.samples.filter((s) => s.name === name).map((s) => s.labels[label]))].sort();
  }

  names(): Set<string> {
    return new Set(this.samples.map((s) => s.name));
  }
}

/** The metric names a Grafana dashboard's queries use (`a2p_…`, `temporal_…`). */
export function dashboardMetricNames(dashboardJson: string): string[] {
  const panels = (JSON.parse(dashboardJson) as { panels: { targets?: { expr: string }[] }[] }).panels;
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  return [...new Set(exprs.flatMap((e) => e.match(/\b(?:a2p|temporal)_[a-z0-9_]+/g) ?? []))].sort();
}
