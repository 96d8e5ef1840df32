import { BackfillModeError, chooseCreatePath, jobSizes, parseBackfillMode, type CreatePathFacts } from '../../src/migration/backfill-create-path';

const BASE: CreatePathFacts = { mode: 'auto', bulkAvailable: true, creates: 40_000, threshold: 500, tokenIsAdmin: true, boardNewToSync: true };

describe('which path a backfill sends its creates through (interface.md 5)', () => {
  it('auto: an admin token on a board new to crm-sync gets backfill_items for a large load', () => {
    expect(chooseCreatePath(BASE)).toBe('backfill_items');
  });

  it('auto: without an admin token, or on a board crm-sync already links items on, ingest_items', () => {
    expect(chooseCreatePath({ ...BASE, tokenIsAdmin: false })).toBe('ingest_items');
    expect(chooseCreatePath({ ...BASE, boardNewToSync: false })).toBe('ingest_items');
  });

  it('auto: small loads and API versions before 2026-07 go through mutations', () => {
    expect(chooseCreatePath({ ...BASE, creates: 500 })).toBe('mutations');
    expect(chooseCreatePath({ ...BASE, bulkAvailable: false })).toBe('mutations');
  });

  it('bulk forces bulk import even for a small load, and is an error where the API version lacks it', () => {
    expect(chooseCreatePath({ ...BASE, mode: 'bulk', creates: 3, tokenIsAdmin: false })).toBe('ingest_items');
    expect(() => chooseCreatePath({ ...BASE, mode: 'bulk', bulkAvailable: false })).toThrow(BackfillModeError);
  });

  it('mutations never uses bulk import', () => {
    expect(chooseCreatePath({ ...BASE, mode: 'mutations', creates: 100_000 })).toBe('mutations');
  });

  it('splits 100,000 creates into 5 backfill jobs or 10 ingest jobs', () => {
    expect(jobSizes('backfill_items', 100_000)).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
    expect(jobSizes('ingest_items', 25_000)).toEqual([10_000, 10_000, 5_000]);
  });

  it('--mode defaults to auto and names the accepted values when wrong', () => {
    expect(parseBackfillMode(undefined)).toBe('auto');
    expect(parseBackfillMode('bulk')).toBe('bulk');
    expect(() => parseBackfillMode('fast')).toThrow('--mode must be one of auto, mutations, bulk, got "fast"');
  });
});
