/**
 * How many fetch_job_status reads a run's bulk-import jobs take: the first job is read after 2 s and
 * then when its progress projects the end; a later job is first read when the earlier one's pace
 * says it is done, so at a steady pace it takes one read.
 */
import type { BulkImportJobStatus, MondayBulkImport } from '../../src/monday/bulk-import.port';
import { JobPace, nextWait } from '../../src/migration/bulk-import-pace';
import { pollToEnd } from '../../src/migration/bulk-import-polling';

/** Jobs that apply `rowsPerSecond` rows from their start, on a clock the polls' waits move, and each status read by `lagMs` (a loaded machine). */
function linearJobs(rowsPerSecond: number, lagMs = 0) {
  let now = 0;
  const jobs = new Map<string, { startedAt: number; rows: number }>();
  let reads = 0;
  const status = (jobId: string): BulkImportJobStatus => {
    const job = jobs.get(jobId) as { startedAt: number; rows: number };
    const done = Math.min(job.rows, Math.floor(((now - job.startedAt) / 1000) * rowsPerSecond));
    const completed = done === job.rows;
    return {
      state: completed ? 'COMPLETED' : 'PROCESSING',
      progressPercentage: completed ? 100 : Math.floor((done / job.rows) * 100),
      counts: { submitted: job.rows, invalid: 0, skipped: 0, created: done, updated: 0, failed: 0 },
      failureReason: null,
      failureMessage: null,
      fullyImported: completed,
      reportUrl: completed ? `report/${jobId}` : null,
    };
  };
  const bulk = {
    jobStatus: (jobId: string) => {
      reads += 1;
      now += lagMs;
      return Promise.resolve(status(jobId));
    },
  } as unknown as MondayBulkImport;
  const sleep = (ms: number) => {
    now += ms;
    return Promise.resolve();
  };
  return {
    start: (jobId: string, rows: number) => jobs.set(jobId, { startedAt: now, rows }),
    reads: () => reads,
    now: () => now,
    settings: (pace: JobPace) => ({ bulk, sleep, now: () => now, kind: 'backfill' as const, pace }),
  };
}

describe('bulk-import job polling', () => {
  it('reads the first job three times at most, each later job of the same pace once, and waits less than a tenth longer than the job', async () => {
    const world = linearJobs(500);
    const pace = new JobPace();
    const readsPerJob: number[] = [];
    for (const jobId of ['1', '2', '3', '4', '5']) {
      world.start(jobId, 20_000);
      const before = world.reads();
      const startedAt = world.now();
      const status = await pollToEnd(world.settings(pace), jobId, 20_000);
      expect(status.state).toBe('COMPLETED');
      readsPerJob.push(world.reads() - before);
      // 20,000 rows at 500 a second: 40 s.
      expect(world.now() - startedAt).toBeLessThan(44_000);
    }
    expect(readsPerJob[0]).toBeLessThanOrEqual(3);
    expect(readsPerJob.slice(1)).toEqual([1, 1, 1, 1]);
  });

  it('a smaller last job is read when its own rows should be done, not the full job time', async () => {
    const world = linearJobs(500);
    const pace = new JobPace();
    world.start('1', 20_000);
    await pollToEnd(world.settings(pace), '1', 20_000);
    world.start('2', 5_000);
    const startedAt = world.now();
    const before = world.reads();
    await pollToEnd(world.settings(pace), '2', 5_000);
    expect(world.reads() - before).toBe(1);
    expect(world.now() - startedAt).toBeLessThan(12_000);
  });

  it('a job slower than the last falls back to the progress projection, and the next job waits for the slower pace', async () => {
    const pace = new JobPace();
    pace.learn(20_000, 40_000);
    const slow = linearJobs(250);
    slow.start('1', 20_000);
    const status = await pollToEnd(slow.settings(pace), '1', 20_000);
    expect(status.state).toBe('COMPLETED');
    expect(slow.reads()).toBeGreaterThan(1);
    expect(pace.firstWait(20_000)).toBeGreaterThanOrEqual(60_000);
  });

  it('on a loaded machine (each read 30 s late) later jobs still take one read: the pace counts the lag as job time', async () => {
    const world = linearJobs(500, 30_000);
    const pace = new JobPace();
    const readsPerJob: number[] = [];
    for (const jobId of ['1', '2', '3']) {
      world.start(jobId, 20_000);
      const before = world.reads();
      await pollToEnd(world.settings(pace), jobId, 20_000);
      readsPerJob.push(world.reads() - before);
    }
    expect(readsPerJob).toEqual([2, 1, 1]);
  });

  it('without a pace the first read is after 2 s; the projection waits what is left, within 2 s and 60 s', () => {
    expect(new JobPace().firstWait(20_000)).toBe(2_000);
    expect(nextWait(2_000, 5)).toBe(38_000);
    expect(nextWait(40_000, 99)).toBe(2_000);
    expect(nextWait(2_000, 0)).toBe(60_000);
  });
});
