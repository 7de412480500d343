import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DYNAMIC_CONFIG_FILE, parseEnvFile, TEMPORAL_ENV_FILE } from '../../cluster/cluster';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';

const root = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
const compose = read('docker-compose.yml');
const ensureScript = read('scripts/ensure-temporal-cluster');

/**
 * docker-compose.yml cannot run here, so what keeps it honest is that it is made of the same
 * pieces the cluster test tier runs: the server version the script builds, the dynamic config and
 * server settings files the tier starts the server with, the schema script, and the setup code
 * that registers the one list of search attributes.
 */
describe('docker-compose.yml runs what the cluster tier tests', () => {
  const version = /^TEMPORAL_VERSION="([^"]+)"/m.exec(ensureScript)?.[1];
  const pgMajor = /^PG_MAJOR="([^"]+)"/m.exec(ensureScript)?.[1];

  test('the same Temporal server version as the binary the tier builds, and the same PostgreSQL major', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compose).toContain(`image: temporalio/server:${version}\n`);
    expect(compose).toContain(`image: temporalio/admin-tools:${version}\n`);
    expect(compose).toContain(`image: postgres:${pgMajor}\n`);
    expect(compose).not.toMatch(/auto-setup/);
  });

  test('the dynamic config file and server settings the tier starts its server with', () => {
    expect(DYNAMIC_CONFIG_FILE).toBe(resolve(root, 'docker/dynamicconfig.yaml'));
    expect(TEMPORAL_ENV_FILE).toBe(resolve(root, 'docker/temporal.env'));
    const mount = /- \.\/docker\/dynamicconfig\.yaml:(\S+):ro/.exec(compose)?.[1];
    expect(mount).toBeDefined();
    expect(compose).toContain(`DYNAMIC_CONFIG_FILE_PATH: ${mount}\n`);
    expect(compose).toContain('env_file: docker/temporal.env\n');
    expect(parseEnvFile(read('docker/temporal.env'))).toMatchObject({ DB: 'postgres12' });
  });

  test('the schema script the ensure script runs, and the setup code the tier calls', () => {
    expect(ensureScript).toContain('docker/temporal-schema.sh');
    expect(compose).toMatch(/- \.\/docker\/temporal-schema\.sh:(\S+):ro/);
    expect(compose).toContain("command: ['node', 'dist/src/stack/cluster-setup.js']");
    // No second copy of the search attributes' names to fall out of step with src/shared.
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(compose).not.toContain(key.name);
  });

  test('the dynamic config keeps the ExternalCampaign queue on one partition (003 pacing)', () => {
    const config = read('docker/dynamicconfig.yaml');
    for (const key of ['matching.numTaskqueueReadPartitions', 'matching.numTaskqueueWritePartitions'])
      expect(config).toMatch(
        new RegExp(
          `${key.replace(/\./g, '\\.')}:\\n  - value: 1\\n    constraints:\\n      taskQueueName: a2p-external-campaign-api`,
        ),
      );
  });
});

describe('env files as compose reads them', () => {
  test('KEY=VALUE lines; comments and blank lines skipped; anything else is an error', () => {
    expect(parseEnvFile('# note\n\nA=1\nB=x=y\n')).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseEnvFile('not a pair')).toThrow(/KEY=VALUE/);
  });
});
