import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './codec';
import type { KeyRing } from './keys';

/**
 * The one data converter the worker, the client, the webhook server and the tests share: every
 * payload (registration data, signals, query results, failures) is AES-GCM encrypted before it
 * reaches the Temporal server.
 */
export function createDataConverter(ring: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(ring.active, ring.previous)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
