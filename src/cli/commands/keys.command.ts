import { loadConfig } from '../../config';
import { KeyEncryptionKey, rotateDataKeys } from '../../personal-data';
import { CliError } from '../cli-error';
import { cliPool } from '../cli-pool';

/**
 * `crm-sync keys rotate`: PII_ENCRYPTION_KEY is the new key, PII_ENCRYPTION_KEY_PREVIOUS the old
 * one; every data key is rewrapped with the new one (events are not touched). Run it again until it
 * reports nothing left; then PII_ENCRYPTION_KEY_PREVIOUS can be removed.
 */
export async function keysRotateCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync keys rotate`');
  if (!config.personalData) throw new CliError('PII_ENCRYPTION_KEY (the new key) is required for `crm-sync keys rotate`');
  const current = new KeyEncryptionKey(config.personalData.key);
  const previous = config.personalData.previousKey ? new KeyEncryptionKey(config.personalData.previousKey) : null;
  const pool = cliPool(config.databaseUrl, { max: 2, applicationName: 'crm-sync keys rotate', secretValues: config.secretValues });
  try {
    const report = await rotateDataKeys(pool, current, previous, (done) => process.stderr.write(`rewrapped ${done} data keys\n`));
    process.stdout.write(
      `rewrapped ${report.rewrapped} data key(s) with key id ${current.id}; ${report.alreadyCurrent} were already wrapped by it. ` +
        'PII_ENCRYPTION_KEY_PREVIOUS is no longer needed.\n',
    );
  } catch (error) {
    throw error instanceof Error && /neither PII_ENCRYPTION_KEY/.test(error.message) ? new CliError(error.message) : error;
  } finally {
    await pool.end();
  }
}
