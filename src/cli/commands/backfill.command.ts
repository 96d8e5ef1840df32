import { resolve } from 'node:path';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { readLiveContext } from '../../migration/read-live-context';
import { loadConfig } from '../../config';
import { enablePersonalData } from '../../personal-data';
import { migrate } from '../../database/migrate';
import { formatProblem, validateAgainstLive } from '../../mapping';
import { BackfillError, runBackfill } from '../../migration/backfill.runner';
import { BulkModeUnavailableError } from '../../migration/backfill-bulk-phase';
import { BackfillModeError, DEFAULT_BULK_THRESHOLD, parseBackfillMode, type BackfillMode } from '../../migration/backfill-create-path';
import type { BulkJobProgress } from '../../migration/bulk-import-polling';
import { exitCodeOf, formatSummary } from '../../migration/backfill-report';
import type { ObjectRunProgress } from '../../migration/backfill-object-run';
import { createLogger } from '../../observability/logger';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

export interface BackfillCommandOptions {
  object?: string;
  since?: string;
  dryRun?: boolean;
  mode?: string;
  bulkThreshold?: string;
}

/**
 * `crm-sync backfill [--object KEY] [--since ISO] [--dry-run] [--mode auto|mutations|bulk]`: runs the
 * backfill in this process until every write it caused is done or dead-lettered, with a progress bar
 * per object and per bulk-import job, then prints
 * the summary. Safe while the service runs: they share the work through Postgres. Ctrl-C stops
 * reading after the current page; the next run continues from there.
 */
export async function backfillCommand(options: BackfillCommandOptions): Promise<void> {
  if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new CliError(`--since must be an ISO date or date-time, got ${options.since}`);
  const mode = parseMode(options.mode);
  const threshold = Number(options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD);
  if (!Number.isInteger(threshold) || threshold < 0) throw new CliError(`--bulk-threshold must be a whole number of creates, got ${options.bulkThreshold}`);
  const config = loadConfig();
  if (config.mode === 'sandbox') throw new CliError('no credentials are set: `crm-sync backfill` reads the real Salesforce org and writes to the real monday account');
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync backfill` (the service and the backfill share it)');
  const logger = createLogger({ level: config.logLevel === 'debug' ? 'debug' : 'warn', secretValues: config.secretValues });
  const path = resolve(config.syncConfigPath);
  const context = await openCommandContext(config, { database: { max: 8, applicationName: 'crm-sync backfill', logger }, mapping: true, salesforce: true, monday: true });
  const { dataSource, pool, mapping } = context;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bars = new ProgressBars();
  try {
    await migrate(dataSource);
    // Snapshots, links and results it appends are stored like the service stores them (encrypted with the key).
    await enablePersonalData(pool, config.personalData, mapping);
    const { salesforce, monday } = context;
    const live = await readLiveContext(mapping, salesforce, monday);
    const errors = validateAgainstLive(mapping, live.live).filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new CliError(`the mapping does not match the live schemas:\n${errors.map((p) => `  ${formatProblem(p, path)}`).join('\n')}`);
    const summary = await runBackfill(
      { pool, databaseUrl: config.databaseUrl, salesforce, monday, logger, mapping, live },
      {
        object: options.object,
        since: options.since,
        dryRun: options.dryRun === true,
        mode,
        bulk: { threshold, onJob: (objectKey, job) => bars.job(objectKey, job) },
        signal: abort.signal,
        onProgress: (progress) => bars.update(progress),
        onObjectRead: (object) => bars.waiting(object.key),
      },
    );
    bars.stop();
    for (const line of formatSummary(summary)) process.stdout.write(`${line}\n`);
    const code = exitCodeOf(summary);
    if (code !== 0) throw new CliError(code === 3 ? 'the backfill paused before the end: run `crm-sync backfill` again to continue' : 'some writes failed and were dead-lettered: see GET /admin/dead-letters, fix the cause, then retry them there', code);
  } catch (error) {
    bars.stop();
    if (error instanceof BackfillError || error instanceof BackfillModeError || error instanceof BulkModeUnavailableError) throw new CliError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await context.close();
  }
}

function parseMode(raw: string | undefined): BackfillMode {
  try {
    return parseBackfillMode(raw);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

/** "reading (bulk)", and while Salesforce still runs the query job: its state and how long it has run. */
function readingPhase(progress: ObjectRunProgress): string {
  const job = progress.queryJob;
  if (!job || job.state === 'JobComplete') return `reading (${progress.mode})`;
  return `reading (${progress.mode}): Salesforce query job ${job.jobId} ${job.state}, ${Math.round(job.waitedMs / 1000)} s`;
}

/** One bar per object: records read of the total, rate, ETA, then "sending" while writes drain. */
class ProgressBars {
  private readonly multi = new MultiBar(
    { format: '{object} |{bar}| {value}/{total} records | {rate}/s | ETA {eta_formatted} | {phase}', hideCursor: true, etaBuffer: 20, clearOnComplete: false },
    Presets.shades_classic,
  );
  private readonly bars = new Map<string, { bar: SingleBar; startedAt: number; startValue: number }>();

  update(progress: ObjectRunProgress): void {
    let entry = this.bars.get(progress.objectKey);
    if (!entry) {
      entry = { bar: this.multi.create(progress.total, progress.read, this.payload(progress.objectKey, 0, `reading (${progress.mode})`)), startedAt: Date.now(), startValue: progress.read };
      this.bars.set(progress.objectKey, entry);
    }
    const seconds = Math.max(0.001, (Date.now() - entry.startedAt) / 1000);
    entry.bar.setTotal(progress.total);
    entry.bar.update(progress.read, this.payload(progress.objectKey, (progress.read - entry.startValue) / seconds, readingPhase(progress)));
  }

  /** One bar per bulk-import job: its progress percentage as monday reports it. */
  job(objectKey: string, job: BulkJobProgress): void {
    const key = `job:${job.jobId}`;
    let entry = this.bars.get(key);
    if (!entry) {
      entry = { bar: this.multi.create(100, 0, this.payload(objectKey, 0, '')), startedAt: Date.now(), startValue: 0 };
      this.bars.set(key, entry);
    }
    entry.bar.update(job.percent, { ...this.payload(objectKey, 0, `${job.kind}_items job ${job.jobId}: ${job.rows} rows, ${job.state}`), rate: '-' });
  }

  waiting(objectKey: string): void {
    this.bars.get(objectKey)?.bar.update({ phase: 'sending writes' });
  }

  stop(): void {
    this.multi.stop();
  }

  private payload(object: string, rate: number, phase: string) {
    return { object: object.padEnd(12), rate: Math.round(rate), phase };
  }
}
