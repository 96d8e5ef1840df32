import { loadConfig } from '../../config';
import { migrate } from '../../database/migrate';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync migrate` (`crm-sync start` migrates the embedded database itself)');
  const context = await openCommandContext(config, { database: { max: 1, applicationName: 'crm-sync migrate' } });
  try {
    const result = await migrate(context.dataSource);
    process.stdout.write(
      result.applied.length > 0 ? `applied: ${result.applied.join(', ')}\n` : `up to date (${result.alreadyApplied.length} migrations)\n`,
    );
  } finally {
    await context.close();
  }
}
