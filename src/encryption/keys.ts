import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EncryptionKey } from './codec';

export interface KeyRing {
  active: EncryptionKey;
  previous: EncryptionKey[];
}

/**
 * Parses `A2P_ENCRYPTION_KEYS`: comma-separated `id:base64key` entries, newest first. The first is
 * used to encrypt; the rest still decrypt history written before a rotation.
 */
export function parseKeyRing(spec: string): KeyRing {
  const keys = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): EncryptionKey => {
      const sep = entry.indexOf(':');
      if (sep <= 0) throw new Error('each entry must look like <key-id>:<base64 32-byte key>');
      const id = entry.slice(0, sep);
      const key = Buffer.from(entry.slice(sep + 1), 'base64');
      if (key.length !== 32) throw new Error(`key "${id}" must decode to 32 bytes, got ${key.length}`);
      return { id, key };
    });
  const [active, ...previous] = keys;
  if (!active) throw new Error('no key given');
  return { active, previous };
}

export function formatKeyRing(ring: KeyRing): string {
  return [ring.active, ...ring.previous].map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
}

export function generateKey(
  id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`,
): EncryptionKey {
  return { id, key: randomBytes(32) };
}

/**
 * The embedded default keeps its key ring in a file under `.data/`, generated on first start, so
 * a restarted stack can still read the history it wrote.
 */
export function loadOrCreateKeyFile(path: string): KeyRing {
  if (existsSync(path)) return parseKeyRing(readFileSync(path, 'utf8').trim());
  const ring: KeyRing = { active: generateKey(), previous: [] };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${formatKeyRing(ring)}\n`, { mode: 0o600 });
  return ring;
}

/**
 * The key ring a process uses: `A2P_ENCRYPTION_KEYS` when set, otherwise the embedded default's
 * key file under the data directory (created on first use).
 */
export function loadKeyRing(spec: string | undefined, dataDir: string): KeyRing {
  return spec ? parseKeyRing(spec) : loadOrCreateKeyFile(resolve(dataDir, 'encryption-keys'));
}
