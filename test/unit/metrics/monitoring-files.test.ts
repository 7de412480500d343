import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_METRIC_NAMES } from '../../../src/shared/metrics';
import { dashboardMetricNames } from '../../helpers/prometheus';

const root = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
const yaml = (path: string) => parse(read(path)) as Record<string, unknown>;

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

describe('the monitoring files docker-compose mounts', () => {
  const compose = yaml('docker-compose.yml') as {
    services: Record<string, { environment?: Record<string, string>; volumes?: string[]; ports?: string[] }>;
  };
  const dashboard = read('docker/grafana/dashboards/a2p-registrar.json');

  test('Prometheus scrapes the worker and the webhook server on the ports they are configured with', () => {
    const prometheus = yaml('docker/prometheus/prometheus.yml') as {
      scrape_configs: {
        job_name: string;
        dns_sd_configs?: { names: string[]; port: number }[];
        static_configs?: { targets: string[] }[];
      }[];
    };
    const jobs = Object.fromEntries(prometheus.scrape_configs.map((j) => [j.job_name, j]));
    const workerPort = compose.services.worker.environment?.A2P_METRICS_BIND_ADDRESS.split(':').pop();
    const webhookPort =
      compose.services.webhooks.environment?.A2P_WEBHOOK_METRICS_BIND_ADDRESS.split(':').pop();
    expect(jobs.worker.dns_sd_configs).toEqual([{ names: ['worker'], type: 'A', port: Number(workerPort) }]);
    expect(jobs.webhooks.static_configs).toEqual([{ targets: [`webhooks:${webhookPort}`] }]);
    expect(compose.services.prometheus.volumes).toContain(
      './docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  test('no metrics port is published, and the UIs only on loopback', () => {
    for (const service of ['worker', 'webhooks'])
      for (const port of compose.services[service].ports ?? []) expect(port).not.toMatch(/946[45]/);
    for (const service of ['prometheus', 'grafana'])
      for (const port of compose.services[service].ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  test('Grafana gets the datasource and the dashboard the provisioning files name', () => {
    const datasource = yaml('docker/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const provider = yaml('docker/grafana/provisioning/dashboards/a2p.yml') as {
      providers: { options: { path: string } }[];
    };
    expect(datasource.datasources).toEqual([
      expect.objectContaining({ uid: 'a2p-prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    expect(compose.services.grafana.volumes).toEqual(
      expect.arrayContaining([
        './docker/grafana/provisioning:/etc/grafana/provisioning:ro',
        `./docker/grafana/dashboards:${provider.providers[0].options.path}:ro`,
      ]),
    );
    const panels = (JSON.parse(dashboard) as { panels: Panel[] }).panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of panels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({
        panel: panel.title,
        uid: 'a2p-prometheus',
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  test('every a2p_ series the dashboard queries is one the service exposes, and it shows each of them', () => {
    const used = dashboardMetricNames(dashboard);
    const exposed = new Set(
      SERVICE_METRIC_NAMES.flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]),
    );
    const own = used.filter((n) => n.startsWith('a2p_'));
    expect(own.filter((n) => !exposed.has(n))).toEqual([]);
    const base = new Set(own.map((n) => n.replace(/_bucket$/, '')));
    expect(SERVICE_METRIC_NAMES.filter((n) => !base.has(n))).toEqual([]);
    // The SDK's series it uses are checked against a live scrape in test/e2e/metrics.test.ts.
    expect(used.filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(0);
  });
});
