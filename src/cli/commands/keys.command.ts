import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../../config';
import { enablePersonalData, encryptExisting, KeyEncryptionKey, rotateDataKeys } from '../../personal-data';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

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
  const context = await openCommandContext(config, { database: { max: 2, applicationName: 'crm-sync keys rotate' } });
  const pool = context.pool;
  try {
    const report = await rotateDataKeys(pool, current, previous, (done) => process.stderr.write(`rewrapped ${done} data keys\n`));
    process.stdout.write(
      `rewrapped ${report.rewrapped} data key(s) with key id ${current.id}; ${report.alreadyCurrent} were already wrapped by it. ` +
        'PII_ENCRYPTION_KEY_PREVIOUS is no longer needed.\n',
    );
  } catch (error) {
    throw error instanceof Error && /neither PII_ENCRYPTION_KEY/.test(error.message) ? new CliError(error.message) : error;
  } finally {
    await context.close();
  }
}

/**
 * `crm-sync keys encrypt-existing`: after PII_ENCRYPTION_KEY was set on a database that already
 * held personal data in clear, encrypts it (events, refused webhooks, the sync's tables) in batches,
 * with a progress bar on stderr. Stopped, it continues where it stopped when run again.
 */
export async function keysEncryptExistingCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync keys encrypt-existing`');
  if (!config.personalData) throw new CliError('PII_ENCRYPTION_KEY (or PII_ENCRYPTION_KEY_FILE) is required for `crm-sync keys encrypt-existing`: it is the key to encrypt with');
  // The mapping's `pii: true` fields are personal too: without the file, the default fields only.
  const context = await openCommandContext(config, { database: { max: 2, applicationName: 'crm-sync keys encrypt-existing' }, mapping: 'if-present' });
  const pool = context.pool;
  const bar = new SingleBar({ format: 'encrypt-existing |{bar}| {value}/{total} events | {eta_formatted} left', etaBuffer: 50, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  try {
    const protector = await enablePersonalData(pool, config.personalData, context.mappingIfPresent);
    if (!protector) throw new CliError('PII_ENCRYPTION_KEY is required for `crm-sync keys encrypt-existing`');
    const report = await encryptExisting(pool, protector, ({ done, total }) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
    bar.stop();
    started = false;
    process.stdout.write(
      `encrypted the personal values of ${report.events} event(s)${report.resumedAfter ? ` (resumed after position ${report.resumedAfter})` : ''}, ` +
        `${report.rejections} refused webhook body(ies), ${report.records} sync record(s), ${report.decisions} decision detail(s) and ${report.commands} outbox command(s); ` +
        'nothing personal is left in clear\n',
    );
  } finally {
    if (started) bar.stop();
    await context.close();
  }
}
