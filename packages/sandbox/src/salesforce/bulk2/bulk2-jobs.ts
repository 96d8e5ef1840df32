import { Clock } from '../../clock';
import { IdGenerator } from '../ids/salesforce-id';
import { formatDateTime } from '../store/field-values';
import { CsvFormat } from './bulk2-csv';
import { QueryRows } from './bulk2-query-rows';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface JobBase {
  id: string;
  object: string;
  state: JobState;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  apiVersion: string;
  format: CsvFormat;
  client: string | null;
  errorMessage: string | null;
  /** GETs of the job info since it was closed: each one moves it a step toward JobComplete. */
  polls: number;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  rows: QueryRows;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
  externalIdFieldName: string | null;
  upload: string | null;
  successful: { header: string[]; rows: string[][] };
  failed: { header: string[]; rows: string[][] };
  unprocessed: { header: string[]; rows: string[][] };
  processed: number;
}

export type Bulk2Job = QueryJob | IngestJob;

/** Bulk API 2.0 jobs of the org (reference 4); ids with the AsyncApiJob prefix 750. */
export class Bulk2Jobs {
  private readonly jobs = new Map<string, Bulk2Job>();
  private readonly ids = new IdGenerator();

  constructor(
    readonly clock: Clock,
    readonly pageSize: number,
  ) {}

  newId(): string {
    return this.ids.next('750');
  }

  add(job: Bulk2Job): void {
    this.jobs.set(job.id, job);
  }

  get(id: string, kind: Bulk2Job['kind']): Bulk2Job | undefined {
    const job = this.jobs.get(id);
    return job?.kind === kind ? job : undefined;
  }

  remove(id: string): void {
    this.jobs.delete(id);
  }

  list(kind: Bulk2Job['kind']): Bulk2Job[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind);
  }

  now(): string {
    return formatDateTime(this.clock.now());
  }

  /** UploadComplete -> InProgress -> JobComplete, one step per status poll (work is done at close). */
  advance(job: Bulk2Job): void {
    if (job.state === 'UploadComplete') job.state = 'InProgress';
    else if (job.state === 'InProgress') job.state = job.errorMessage ? 'Failed' : 'JobComplete';
    job.systemModstamp = this.now();
  }

  info(job: Bulk2Job): Record<string, unknown> {
    const common = {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      lineEnding: job.format.lineEnding,
      columnDelimiter: job.format.columnDelimiter,
      retries: 0,
      totalProcessingTime: 0,
      ...(job.errorMessage && job.state === 'Failed' ? { errorMessage: job.errorMessage } : {}),
    };
    if (job.kind === 'query') {
      return { ...common, jobType: 'V2Query', numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0 };
    }
    return {
      ...common,
      externalIdFieldName: job.externalIdFieldName ?? undefined,
      contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
      jobType: 'V2Ingest',
      numberRecordsProcessed: job.state === 'JobComplete' || job.state === 'Failed' ? job.processed : 0,
      numberRecordsFailed: job.state === 'JobComplete' || job.state === 'Failed' ? job.failed.rows.length : 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
    };
  }
}
