import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type PayloadCodec, type Payload, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const METADATA_ENCODING_KEY = 'encoding';
const METADATA_KEY_ID = 'encryption-key-id';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export interface EncryptionKey {
  id: string;
  /** 32 bytes: AES-256-GCM. */
  key: Buffer;
}

/**
 * AES-256-GCM payload codec. Each payload is serialized whole (metadata and data) and encrypted
 * with the active key; the key id travels in the outer metadata, so a key ring can decrypt
 * history written under earlier keys while new payloads use the newest one.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keysById: Map<string, Buffer>;

  constructor(
    private readonly activeKey: EncryptionKey,
    previousKeys: EncryptionKey[] = [],
  ) {
    this.keysById = new Map([...previousKeys, activeKey].map((k) => [k.id, k.key]));
    for (const { id, key } of [activeKey, ...previousKeys]) {
      if (key.length !== 32) throw new ValueError(`Encryption key ${id} must be 32 bytes, got ${key.length}`);
    }
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => ({
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [METADATA_KEY_ID]: Buffer.from(this.activeKey.id),
        },
        data: encrypt(temporal.api.common.v1.Payload.encode(payload).finish(), this.activeKey.key),
      })),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
        const keyIdBytes = payload.metadata?.[METADATA_KEY_ID];
        if (!keyIdBytes) throw new ValueError('Encrypted payload has no key id');
        const keyId = Buffer.from(keyIdBytes).toString();
        const key = this.keysById.get(keyId);
        if (!key) throw new ValueError(`No encryption key with id "${keyId}" is configured`);
        if (!payload.data) throw new ValueError('Encrypted payload has no data');
        return temporal.api.common.v1.Payload.decode(decrypt(payload.data, key));
      }),
    );
  }
}

function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(sealed: Uint8Array, key: Buffer): Uint8Array {
  const buf = Buffer.from(sealed);
  if (buf.length < IV_LENGTH + TAG_LENGTH) throw new ValueError('Encrypted payload is too short');
  const iv = buf.subarray(0, IV_LENGTH);
  const tag = buf.subarray(buf.length - TAG_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(IV_LENGTH, buf.length - TAG_LENGTH)), decipher.final()]);
}
