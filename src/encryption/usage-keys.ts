import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CustomerAddress, RegistrationRequest } from '../domain/registration';
import type { BrandUsageKeys } from '../shared/brand-usage';

/**
 * The brand-usage count (src/workflows/brand-usage.ts) compares mobile numbers, emails and
 * addresses without keeping them: each is an HMAC-SHA256 under a key of the ISV's that Temporal
 * never sees, so the workflow's state and history hold nothing a phone number could be guessed
 * back from. The key must stay the same for as long as the count should hold: it is separate from
 * the payload keys, which rotate.
 */
export function parseBrandUsageKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new Error(`must decode to 32 bytes, got ${key.length}`);
  return key;
}

/** `A2P_BRAND_USAGE_KEY` when set, else the key file under the data directory (made on first use). */
export function loadBrandUsageKey(spec: string | undefined, dataDir: string): Buffer {
  if (spec) return parseBrandUsageKey(spec);
  const path = resolve(dataDir, 'brand-usage-key');
  if (existsSync(path)) return parseBrandUsageKey(readFileSync(path, 'utf8'));
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // Exclusive: of two processes starting at once, one writes the key and both use it.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parseBrandUsageKey(readFileSync(path, 'utf8'));
  }
}

const normalise = (value: string | undefined) => (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

function digest(key: Buffer, kind: string, value: string): string {
  return createHmac('sha256', key).update(`${kind}\n${value}`).digest('hex');
}

/** The address as TCR would recognise it again: its fields, case and spacing aside. */
export function addressIdentity(address: CustomerAddress): string {
  return [
    address.street,
    address.streetSecondary,
    address.city,
    address.region,
    address.postalCode,
    address.isoCountry,
  ]
    .map(normalise)
    .join('|');
}

export function brandUsageKeys(
  key: Buffer,
  values: { mobile?: string; email?: string; address?: CustomerAddress },
): BrandUsageKeys {
  const keys: BrandUsageKeys = {};
  if (values.mobile) keys.mobile = digest(key, 'mobile', values.mobile.replace(/[^+\d]/g, ''));
  if (values.email) keys.email = digest(key, 'email', normalise(values.email));
  if (values.address) keys.address = digest(key, 'address', addressIdentity(values.address));
  return keys;
}

/** The keys of a whole registration request. */
export function requestBrandUsageKeys(key: Buffer, request: RegistrationRequest): BrandUsageKeys {
  return brandUsageKeys(key, {
    mobile: request.soleProprietor.mobilePhoneNumber,
    email: request.soleProprietor.email,
    address: request.address,
  });
}
