export { EncryptionCodec, type EncryptionKey } from './codec';
export { createDataConverter } from './data-converter';
export {
  formatKeyRing,
  generateKey,
  loadKeyRing,
  loadOrCreateKeyFile,
  parseKeyRing,
  type KeyRing,
} from './keys';
export {
  addressIdentity,
  brandUsageKeys,
  loadBrandUsageKey,
  parseBrandUsageKey,
  requestBrandUsageKeys,
} from './usage-keys';
