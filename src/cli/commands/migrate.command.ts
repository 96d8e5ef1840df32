import { loadConfig } from '../../config';
import { migrate } from '../../database/migrate';
import { CliError } from '../cli-error';
import { cliDataSource } from '../cli-pool';

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync migrate` (`crm-sync start` migrates the embedded database itself)');
  const dataSource = await cliDataSource(config.databaseUrl, { max: 1, applicationName: 'crm-sync migrate', secretValues: config.secretValues });
  try {
    const result = await migrate(dataSource);
    process.stdout.write(
      result.applied.length > 0 ? `applied: ${result.applied.join(', ')}\n` : `up to date (${result.alreadyApplied.length} migrations)\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}
