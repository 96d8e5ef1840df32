/**
 * When to read a bulk-import job's status again. monday documents no processing rate, so the first
 * job of a run is read after FIRST_POLL_MS and then when its progress percentage says it should be
 * done; each later job of the run is first read when the earlier one's pace says it is done (one
 * fetch_job_status per job while the pace holds; a slower job falls back to the projection).
 */
export const FIRST_POLL_MS = 2_000;
const MAX_POLL_MS = 60_000;

/** The wait the progress projects: as long again as `waited`, scaled by what is left (bounded). */
export function nextWait(waited: number, progressPercentage: number): number {
  const percent = Math.min(99, Math.max(1, progressPercentage));
  return Math.min(MAX_POLL_MS, Math.max(FIRST_POLL_MS, Math.ceil((waited * (100 - percent)) / percent)));
}

/** The time per row the run's last completed job took, as seen by its polls (an upper bound: the job ended before the read that saw it done). */
export class JobPace {
  private msPerRow: number | undefined;

  /** The wait before a job's first status read. */
  firstWait(rows: number): number {
    if (this.msPerRow === undefined || rows <= 0) return FIRST_POLL_MS;
    return Math.min(MAX_POLL_MS, Math.max(FIRST_POLL_MS, Math.ceil(rows * this.msPerRow)));
  }

  /** A job of `rows` rows was seen COMPLETED after `waitedMs` of waiting. */
  learn(rows: number, waitedMs: number): void {
    if (rows > 0) this.msPerRow = waitedMs / rows;
  }
}
