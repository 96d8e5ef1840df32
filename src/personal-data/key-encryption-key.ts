import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The key-encryption key (KEK) from PII_ENCRYPTION_KEY: it only wraps the per-person data keys,
 * which are what encrypt values. Its id (a hash prefix, not the key) says which KEK wrapped a data
 * key, so `crm-sync keys rotate` knows which rows still need the previous one.
 */
export class KeyEncryptionKey {
  readonly id: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`a key-encryption key is 32 bytes, got ${key.length}`);
    this.id = createHash('sha256').update('crm-sync kek id').update(key).digest('hex').slice(0, 16);
  }

  wrap(dataKey: Buffer, subject: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`crm-sync data key\u0000${subject}`, 'utf8'));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]);
  }

  /** Throws when this KEK did not wrap it (or the row was altered). */
  unwrap(wrapped: Buffer, subject: string): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`crm-sync data key\u0000${subject}`, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
