import { DataSource } from 'typeorm';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../../config';
import { enablePersonalData } from '../../personal-data';
import { DataQualityModule, DuplicateClusterFinder, MergeRequestService } from '../../data-quality/data-quality.module';
import { clustersDocument, DuplicatesError, type DuplicatesProgress } from '../../data-quality/duplicates';
import { formatClusters } from '../../data-quality/format-clusters';
import { describeMergePlan, type ClusterMergePlan } from '../../data-quality/merge-cluster';
import { parseMemberRef } from '../../data-quality/merge-plan';
import type { MergeProgress, MergeRequest } from '../../data-quality/merge-request';
import { CliError } from '../cli-error';
import { MONDAY_CLIENT, openCommandContext, SYNC_MAPPING } from '../command-context';
import { poolOf } from '../../database/data-source';
import type { Mapping } from '../../mapping';
import type { MondayPort } from '../../monday';
import { JsforceSalesforceClient } from '../../salesforce';

export interface DuplicatesCommandOptions {
  object?: string;
  json?: boolean;
  merge?: string;
  master?: string;
  dryRun?: boolean;
  /** Seconds to wait for the running service to finish the merge (0: only request it). */
  wait?: string;
}

const DEFAULT_WAIT_SECONDS = 120;

/**
 * `crm-sync duplicates [--object KEY] [--json]` lists clusters of probable duplicates across both
 * CRMs; `--merge CLUSTER_ID [--master CRM:ID] [--dry-run] [--wait SECONDS]` asks the running sync to
 * merge one (system.merge_requested) and waits for its commands. Progress goes to stderr so stdout
 * stays one document.
 */
export async function duplicatesCommand(options: DuplicatesCommandOptions): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') throw new CliError('no credentials are set: `crm-sync duplicates` reads the real CRMs (point it at `crm-sync sandbox` with its variables)');
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync duplicates` (the links live there)');
  const master = options.master === undefined ? undefined : parseMemberRef(options.master);
  if (options.master !== undefined && !master) throw new CliError(`--master takes CRM:ID, e.g. salesforce:00Q5e00000AbCdEAAV or monday:1234567890 (got "${options.master}")`);
  if (!options.merge && (options.master || options.dryRun || options.wait !== undefined)) throw new CliError('--master, --dry-run and --wait go with --merge CLUSTER_ID');
  const waitSeconds = options.wait === undefined ? DEFAULT_WAIT_SECONDS : Number(options.wait);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) throw new CliError(`--wait takes whole seconds, 0 or more (got "${options.wait}")`);
  const context = await openCommandContext(config, {
    database: { max: 2, applicationName: 'crm-sync duplicates' },
    mapping: true,
    salesforce: true,
    monday: true,
    modules: [
      DataQualityModule.forRootAsync({
        inject: [DataSource, SYNC_MAPPING, JsforceSalesforceClient, MONDAY_CLIENT],
        useFactory: (dataSource: DataSource, mapping: Mapping, salesforce: JsforceSalesforceClient, monday: MondayPort) => ({ db: poolOf(dataSource), salesforce, monday, mapping }),
      }),
    ],
  });
  const { pool, mapping } = context;
  const progress = progressBar();
  try {
    // Reads the log and the sync's records decrypted; a merge request is appended like any event.
    await enablePersonalData(pool, config.personalData, mapping);
    if (options.merge) {
      const merges = context.get(MergeRequestService);
      const input = { clusterId: options.merge, objectKey: options.object, master: master ?? undefined };
      if (options.dryRun) {
        const plan = await merges.plan(input, progress.listener);
        progress.stop();
        process.stdout.write(options.json ? `${JSON.stringify({ dryRun: true, ...planDocument(plan) }, null, 2)}\n` : formatPlan('Dry run: would merge', plan));
        return;
      }
      const { plan, request } = await merges.request(input, 'cli', progress.listener);
      progress.stop();
      if (!options.json) process.stdout.write(formatPlan('Merge requested:', plan));
      const outcome = waitSeconds > 0 ? await merges.awaitFinished(request.position, waitSeconds * 1000) : await merges.progress(request.position);
      process.stdout.write(options.json ? `${JSON.stringify({ dryRun: false, ...planDocument(plan), request, progress: outcome }, null, 2)}\n` : formatOutcome(request, outcome));
      if (outcome.finished && !outcome.succeeded) throw new CliError(`merge of ${plan.cluster.id} did not finish cleanly: ${failureText(outcome)} (see the console's dead letters)`);
      return;
    }
    const searches = await context.get(DuplicateClusterFinder).find(options.object, progress.listener);
    progress.stop();
    const oversized = searches.reduce((n, s) => n + s.oversizedBlocks, 0);
    if (oversized > 0) process.stderr.write(`note: ${oversized} name block(s) over 1,000 records were not compared by name (e-mail and phone were)\n`);
    const document = clustersDocument(searches);
    process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : formatClusters(document.clusters));
  } catch (error) {
    progress.stop();
    throw error instanceof DuplicatesError ? new CliError(error.message) : error;
  } finally {
    await context.close();
  }
}

function planDocument({ cluster, plan, repoints }: ClusterMergePlan) {
  return { clusterId: cluster.id, object: cluster.object, master: plan.master, plan, repoints };
}

function formatPlan(title: string, merge: ClusterMergePlan): string {
  const { plan } = merge;
  return `${title} ${plan.clusterId} (${plan.objectKey}) into ${plan.master.crm}:${plan.master.id}\n${describeMergePlan(merge).map((l) => `  ${l}\n`).join('')}`;
}

function formatOutcome(request: MergeRequest, outcome: MergeProgress): string {
  const lines = [`Request: event ${request.position}`];
  if (!outcome.decided) lines.push('  not picked up by the sync yet: is `crm-sync start` running? It carries the merge out when it is.');
  else if (outcome.decided.outcome !== 'projected') lines.push(`  the sync refused it: ${outcome.decided.reason ?? outcome.decided.outcome}`);
  for (const c of outcome.commands) lines.push(`  ${c.kind} #${c.id}: ${c.status}${c.attempts > 1 ? ` after ${c.attempts} attempts` : ''}${c.status !== 'done' && c.lastError ? ` (${c.lastError})` : ''}`);
  if (outcome.decided && !outcome.finished) lines.push('  still in progress: the running service carries on (see the record history in the console)');
  if (outcome.succeeded) lines.push('Merged.');
  return `${lines.join('\n')}\n`;
}

function failureText(outcome: MergeProgress): string {
  if (outcome.decided && outcome.decided.outcome !== 'projected') return `the sync refused it (${outcome.decided.reason})`;
  const dead = outcome.commands.filter((c) => c.status === 'dead');
  return `${dead.length} command(s) dead-lettered: ${dead.map((c) => `${c.kind} #${c.id}${c.lastError ? `: ${c.lastError}` : ''}`).join('; ')}`;
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
