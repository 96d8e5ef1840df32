/** `crm-sync backfill --mode` (interface.md section 5). */
export type BackfillMode = 'auto' | 'mutations' | 'bulk';

/** How a board's creates are sent: mutations, or one of monday's bulk-import operations. */
export type CreatePath = 'mutations' | 'ingest_items' | 'backfill_items';

export const BACKFILL_MODES: readonly BackfillMode[] = ['auto', 'mutations', 'bulk'];

/** Creates at or below this count go through mutations in `auto` (a job's fixed cost is not worth it). */
export const DEFAULT_BULK_THRESHOLD = 500;

export interface CreatePathFacts {
  mode: BackfillMode;
  /** The configured monday API version has bulk import (2026-07 or later). */
  bulkAvailable: boolean;
  /** Items this run would create on the board. */
  creates: number;
  threshold: number;
  /** The token's user is an account admin (backfill_items is admin-only). */
  tokenIsAdmin: boolean;
  /** No item of the board is linked to a record yet: a first load, before anyone works on the board. */
  boardNewToSync: boolean;
}

export class BackfillModeError extends Error {
  constructor(readonly mode: string) {
    super(`--mode ${mode}: bulk import needs MONDAY_API_VERSION 2026-07 or later`);
    this.name = 'BackfillModeError';
  }
}

export function parseBackfillMode(raw: string | undefined): BackfillMode {
  const value = raw ?? 'auto';
  if ((BACKFILL_MODES as readonly string[]).includes(value)) return value as BackfillMode;
  throw new Error(`--mode must be one of ${BACKFILL_MODES.join(', ')}, got "${value}"`);
}

/**
 * Which path a board's creates take. Updates always go through mutations (the caller never asks).
 * backfill_items only for an admin's token on a board crm-sync has not linked anything on: it fires no
 * automations or webhooks and skips the Activity Log, right for a first load and wrong once people work
 * on the board; otherwise ingest_items, which draws on the 19,000 items/hour budget.
 */
export function chooseCreatePath(facts: CreatePathFacts): CreatePath {
  if (facts.mode === 'mutations' || facts.creates === 0) return 'mutations';
  if (!facts.bulkAvailable) {
    if (facts.mode === 'bulk') throw new BackfillModeError(facts.mode);
    return 'mutations';
  }
  if (facts.mode === 'auto' && facts.creates <= facts.threshold) return 'mutations';
  return facts.tokenIsAdmin && facts.boardNewToSync ? 'backfill_items' : 'ingest_items';
}

/** Rows per job of each operation (addendum 1.1). */
export const ROWS_PER_JOB: Record<Exclude<CreatePath, 'mutations'>, number> = { ingest_items: 10_000, backfill_items: 20_000 };

/** Splits `creates` into jobs of at most the operation's row limit. */
export function jobSizes(path: Exclude<CreatePath, 'mutations'>, creates: number): number[] {
  const size = ROWS_PER_JOB[path];
  const jobs: number[] = [];
  for (let left = creates; left > 0; left -= size) jobs.push(Math.min(size, left));
  return jobs;
}
