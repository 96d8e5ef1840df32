import { loadConfig } from '../../config';
import { enablePersonalData, erasePerson, ErasureRequestError, personalFieldPolicy, type ErasureRequest } from '../../personal-data';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

export interface EraseCommandOptions {
  email?: string;
  salesforce?: string;
  monday?: string;
}

/** `crm-sync erase (--email | --salesforce | --monday)`: forgets one person (interface.md section 5). */
export async function eraseCommand(options: EraseCommandOptions): Promise<void> {
  const given = [options.email !== undefined, options.salesforce !== undefined, options.monday !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CliError('give exactly one of --email ADDRESS, --salesforce ID or --monday ITEM_ID');
  const request: ErasureRequest =
    options.email !== undefined
      ? { via: 'email', email: options.email }
      : options.salesforce !== undefined
        ? { via: 'salesforce', salesforceId: options.salesforce.trim() }
        : { via: 'monday', itemId: (options.monday as string).trim() };
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync erase`');
  // Without the mapping file, the default personal fields only.
  const context = await openCommandContext(config, { database: { max: 2, applicationName: 'crm-sync erase' }, mapping: 'if-present' });
  const pool = context.pool;
  try {
    // Without the key, ids still find the person (their keys are destroyed without being read).
    const mapping = context.mappingIfPresent;
    const protector = config.personalData && (await enablePersonalData(pool, config.personalData, mapping));
    const report = await erasePerson(pool, protector?.keys ?? null, request, mapping ? personalFieldPolicy(mapping) : null);
    if (!report) {
      process.stdout.write('nothing to erase: no record, item or stored personal data is known for that person\n');
      return;
    }
    process.stdout.write(
      `erased ${report.subjects.join(', ')}: ${report.keysDestroyed} data key(s) destroyed (their values in the event log now read as erased); ` +
        `cleared the sync state of ${report.recordsCleared} record(s), ${report.decisionsCleared} decision detail(s) and the values of ${report.commandsCleared} command(s)` +
        `${report.commandsCancelled ? `, cancelled ${report.commandsCancelled} unsent command(s)` : ''}; recorded as event ${report.position ?? '(duplicate)'}\n`,
    );
    if (!protector) process.stdout.write('note: PII_ENCRYPTION_KEY is not set, so events stored without encryption still hold this person\'s values in clear\n');
  } catch (error) {
    throw error instanceof ErasureRequestError ? new CliError(error.message) : error;
  } finally {
    await context.close();
  }
}
