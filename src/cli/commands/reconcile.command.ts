import { loadConfig } from '../../config';
import { enablePersonalData } from '../../personal-data';
import { formatReconcileTable } from '../../migration/reconcile-format';
import { reconcile, ReconcileError } from '../../migration/reconcile';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

export interface ReconcileCommandOptions {
  object?: string;
  fix?: boolean;
  json?: boolean;
}

/**
 * `crm-sync reconcile [--object KEY] [--fix] [--json]`: compares both CRMs through the mapping and
 * prints the drift (a table, or the report as JSON). Exits 0 whether or not drift was found; with
 * --fix the corrective snapshots go into the event log for the running service to act on.
 */
export async function reconcileCommand(options: ReconcileCommandOptions): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') throw new CliError('no credentials are set: `crm-sync reconcile` compares the real CRMs (point it at `crm-sync sandbox` with its variables)');
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync reconcile` (the links and the event log live there)');
  const context = await openCommandContext(config, { database: { max: 4, applicationName: 'crm-sync reconcile' }, mapping: true, salesforce: true, monday: true });
  try {
    // --fix appends snapshots: their personal values are stored encrypted when the key is set.
    await enablePersonalData(context.pool, config.personalData, context.mapping);
    const report = await reconcile(
      { db: context.pool, salesforce: context.salesforce, monday: context.monday, mapping: context.mapping },
      {
        objectKey: options.object,
        fix: options.fix === true,
        // Progress goes to stderr so `--json` output stays one parseable document.
        onObject: (object) => process.stderr.write(`compared ${object.objectKey}: ${object.comparedPairs} linked pairs, ${object.drifts.length} drift(s)\n`),
      },
    );
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReconcileTable(report));
  } catch (error) {
    throw error instanceof ReconcileError ? new CliError(error.message) : error;
  } finally {
    await context.close();
  }
}
