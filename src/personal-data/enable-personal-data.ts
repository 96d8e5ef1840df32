import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import type { Mapping } from '../mapping/mapping.types';
import { usePersonalData } from './active';
import { DataKeyStore } from './data-key-store';
import { KeyEncryptionKey } from './key-encryption-key';
import { personalFieldPolicy } from './personal-fields';
import { PersonalDataProtector } from './protector';

/** Start-up refused: the key is missing or is not the one the database's personal data was encrypted with. */
export class PersonalDataKeyError extends Error {
  readonly code = 'PII_KEY_INVALID';
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
    this.name = 'PersonalDataKeyError';
  }
}

/**
 * Turns personal-data encryption on for this process when PII_ENCRYPTION_KEY is set (after the
 * migrations ran). Refuses to start without the key when the database already holds encrypted
 * data (new events would be stored in clear next to them), and with a key that unwraps none of its
 * data keys (a wrong key would otherwise make every value read as erased).
 */
export async function enablePersonalData(pool: Pool, keys: AppConfig['personalData'], mapping: Mapping | null): Promise<PersonalDataProtector | null> {
  const { rows } = await pool.query<{ n: number; kek_id: string | null }>(
    'SELECT count(*)::int AS n, (array_agg(kek_id ORDER BY id))[1] AS kek_id FROM personal_data_keys',
  );
  const existing = rows[0] ?? { n: 0, kek_id: null };
  if (!keys) {
    usePersonalData(null);
    if (existing.n > 0) {
      throw new PersonalDataKeyError(
        `PII_ENCRYPTION_KEY is required: this database holds personal data encrypted with it (${existing.n} data keys); set PII_ENCRYPTION_KEY or PII_ENCRYPTION_KEY_FILE`,
        'PII_ENCRYPTION_KEY',
      );
    }
    return null;
  }
  const kek = new KeyEncryptionKey(keys.key);
  const previous = keys.previousKey ? new KeyEncryptionKey(keys.previousKey) : null;
  if (existing.kek_id !== null && existing.kek_id !== kek.id && existing.kek_id !== previous?.id) {
    const { rows: wrapped } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys WHERE kek_id = ANY($1::text[])', [
      [kek.id, previous?.id ?? kek.id],
    ]);
    if (wrapped[0].n === 0) {
      throw new PersonalDataKeyError(
        `PII_ENCRYPTION_KEY is not the key this database's personal data was encrypted with (key id ${kek.id}; its data keys were wrapped by key id ${existing.kek_id}). ` +
          'Set the original key; to change keys set the new one as PII_ENCRYPTION_KEY, the old one as PII_ENCRYPTION_KEY_PREVIOUS, and run crm-sync keys rotate',
        'PII_ENCRYPTION_KEY',
      );
    }
  }
  const protector = new PersonalDataProtector(new DataKeyStore(pool, kek, previous), personalFieldPolicy(mapping));
  usePersonalData(protector);
  return protector;
}
