import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One personal value stored encrypted: AES-256-GCM under the subject's data key, a fresh random
 * 96-bit nonce per value, and the subject and the value's place in the payload as associated data,
 * so a ciphertext copied to another person or another field does not decrypt.
 */
export interface Envelope {
  $enc: 'v1';
  /** The person (subject) whose data key encrypts it. */
  s: string;
  /** Id of that data key (personal_data_keys.id). */
  k: number;
  iv: string;
  ct: string;
  tag: string;
}

export function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && (value as { $enc?: unknown }).$enc === 'v1' && typeof (value as { k?: unknown }).k === 'number';
}

/** Associated data: the subject and the field's path in the payload (e.g. `fields.Email`). */
function associatedData(subject: string, path: string): Buffer {
  return Buffer.from(`crm-sync/v1\u0000${subject}\u0000${path}`, 'utf8');
}

export function sealValue(key: Buffer, keyId: number, subject: string, path: string, value: unknown): Envelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(subject, path));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null', 'utf8'), cipher.final()]);
  return { $enc: 'v1', s: subject, k: keyId, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export class EnvelopeDecryptError extends Error {
  readonly code = 'PII_DECRYPT_FAILED';
  constructor(
    readonly subject: string,
    readonly path: string,
  ) {
    super(`personal value of ${subject} at ${path} does not decrypt with its data key (moved, altered, or a wrong key)`);
    this.name = 'EnvelopeDecryptError';
  }
}

export function openValue(key: Buffer, envelope: Envelope, path: string): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(associatedData(envelope.s, path));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    throw new EnvelopeDecryptError(envelope.s, path);
  }
}
