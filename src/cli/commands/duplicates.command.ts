import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../../config';
import { clustersDocument, DuplicatesError, findDuplicates, type DuplicatesProgress } from '../../data-quality/duplicates';
import { formatClusters } from '../../data-quality/format-clusters';
import { formatMergeReport, mergeCluster } from '../../data-quality/merge-cluster';
import { parseMemberRef } from '../../data-quality/merge-plan';
import { loadMapping } from '../../mapping';
import { createMondayClient } from '../../monday';
import { createSalesforceClient } from '../../salesforce';
import { CliError } from '../cli-error';
import { cliPool } from '../cli-pool';

export interface DuplicatesCommandOptions {
  object?: string;
  json?: boolean;
  merge?: string;
  master?: string;
  dryRun?: boolean;
}

/**
 * `crm-sync duplicates [--object KEY] [--json]` lists clusters of probable duplicates across both
 * CRMs; `--merge CLUSTER_ID [--master CRM:ID] [--dry-run]` merges one. Progress goes to stderr so
 * stdout stays one document.
 */
export async function duplicatesCommand(options: DuplicatesCommandOptions): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') throw new CliError('no credentials are set: `crm-sync duplicates` reads the real CRMs (point it at `crm-sync sandbox` with its variables)');
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync duplicates` (the links live there)');
  const master = options.master === undefined ? undefined : parseMemberRef(options.master);
  if (options.master !== undefined && !master) throw new CliError(`--master takes CRM:ID, e.g. salesforce:00Q5e00000AbCdEAAV or monday:1234567890 (got "${options.master}")`);
  if (!options.merge && (options.master || options.dryRun)) throw new CliError('--master and --dry-run go with --merge CLUSTER_ID');
  const mapping = loadMapping(resolve(config.syncConfigPath));
  const pool = cliPool(config.databaseUrl, { max: 2, applicationName: 'crm-sync duplicates', secretValues: config.secretValues });
  const progress = progressBar();
  try {
    const deps = { db: pool, salesforce: await createSalesforceClient(config.salesforce), monday: createMondayClient(config.monday), mapping };
    if (options.merge) {
      const report = await mergeCluster(deps, { clusterId: options.merge, objectKey: options.object, master: master ?? undefined, dryRun: options.dryRun === true }, progress.listener);
      progress.stop();
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatMergeReport(report));
      return;
    }
    const searches = await findDuplicates(deps, options.object, progress.listener);
    progress.stop();
    const oversized = searches.reduce((n, s) => n + s.oversizedBlocks, 0);
    if (oversized > 0) process.stderr.write(`note: ${oversized} name block(s) over 1,000 records were not compared by name (e-mail and phone were)\n`);
    const document = clustersDocument(searches);
    process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : formatClusters(document.clusters));
  } catch (error) {
    progress.stop();
    throw error instanceof DuplicatesError ? new CliError(error.message) : error;
  } finally {
    await pool.end();
  }
}

/** One bar per phase on stderr: records read (count and rate), then records clustered (of total, ETA). */
function progressBar(): { listener: DuplicatesProgress; stop: () => void } {
  const bar = new SingleBar({ format: '{phase} |{bar}| {value}/{total} records | {eta_formatted} left', stream: process.stderr, etaBuffer: 50, noTTYOutput: false }, Presets.shades_classic);
  let active = false;
  let phase = '';
  const stop = () => {
    if (active) bar.stop();
    active = false;
  };
  return {
    stop,
    listener: {
      onPhase: ({ objectKey, step }) => {
        phase = `${objectKey} ${step === 'read' ? 'reading' : 'clustering'}`;
        stop();
      },
      onRead: (count) => {
        if (!active) {
          bar.start(count, 0, { phase });
          active = true;
        }
        bar.setTotal(Math.max(count, 1));
        bar.update(count, { phase });
      },
      onCluster: (done, total) => {
        if (!active) {
          bar.start(total, 0, { phase });
          active = true;
        }
        bar.update(done, { phase });
      },
    },
  };
}
