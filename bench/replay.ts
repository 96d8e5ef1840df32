/**
 * bench/replay: events per second rebuilt by `crm-sync replay` from a large log (issue 7 target:
 * 50,000 events/s from a 1,000,000-event log). The log is generated in SQL: N linked opportunity
 * pairs, then alternating monday stage changes and Salesforce amount changes on them.
 *
 *   npx tsx bench/replay.ts [--events 1000000] [--pairs 10000]
 */
import { Pool } from 'pg';
import { loadMapping } from '../src/mapping';
import { replayProjection } from '../src/migration/replay';
import { saveCachedContext } from '../src/projectors/sync-context-cache';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../test/support/sandbox-schemas';
import { createBenchDatabase } from './support/bench-database';
import { numberOption } from './support/bench-options';
import { log, report, round } from './support/bench-report';

const OPPORTUNITIES = '9378000526';

async function main(): Promise<void> {
  const total = numberOption('events', 1_000_000);
  const pairs = numberOption('pairs', 10_000);
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await saveCachedContext(pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
    log(`generating ${total} events over ${pairs} linked pairs`);
    const id18 = (i: string) => `'006' || lpad((${i})::text, 12, '0') || 'AAA'`;
    await pool.query(
      `INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT 'system', 'link-' || i, 'salesforce:Opportunity:' || ${id18('i')}, 'system.record_linked', 'unknown',
              jsonb_build_object('objectKey', 'opportunity', 'salesforceObject', 'Opportunity', 'salesforceId', ${id18('i')},
                'mondayBoardId', '${OPPORTUNITIES}', 'mondayItemId', (900000000 + i)::text, 'via', 'backfill',
                'values', jsonb_build_object('stage', 'Follow-up', 'amount', 1000)),
              to_timestamp(1700000000)
       FROM generate_series(1, $1::int) AS i`,
      [pairs],
    );
    await pool.query(
      `INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT CASE WHEN j % 2 = 0 THEN 'monday' ELSE 'salesforce' END,
              'change-' || j,
              CASE WHEN j % 2 = 0 THEN 'monday:item:' || (900000000 + 1 + j % $2)::text ELSE 'salesforce:Opportunity:' || ${id18('1 + j % $2')} END,
              CASE WHEN j % 2 = 0 THEN 'monday.column_changed' ELSE 'salesforce.record_changed' END,
              'user',
              CASE WHEN j % 2 = 0 THEN jsonb_build_object('type', 'update_column_value', 'triggerTime', '2026-01-01T00:00:00Z', 'userId', 5001,
                     'triggerUuid', 'change-' || j, 'boardId', ${OPPORTUNITIES}::bigint, 'pulseId', 900000000 + 1 + j % $2, 'columnId', 'stage', 'columnType', 'color',
                     'value', jsonb_build_object('label', jsonb_build_object('index', 0, 'text', (ARRAY['Follow-up','Quote','MOU'])[1 + (j / 2) % 3])),
                     'changedAt', 1700000000 + j)
                   ELSE jsonb_build_object('object', 'Opportunity', 'recordId', ${id18('1 + j % $2')}, 'changeType', 'UPDATE',
                     'fields', jsonb_build_object('Amount', 1000 + j), 'changedFields', jsonb_build_array('Amount'), 'changeOrigin', '',
                     'commitTimestamp', (1700000000 + j)::bigint * 1000, 'commitUser', '005000000000001AAA', 'transactionKey', 't' || j,
                     'sequenceNumber', 1, 'channel', '/data/OpportunityChangeEvent', 'replayId', j)
              END,
              to_timestamp(1700000000 + j)
       FROM generate_series(1, $1::int) AS j`,
      [total - pairs, pairs],
    );
    const mapping = loadMapping(EXAMPLE_MAPPING);
    const started = process.hrtime.bigint();
    let lastLogged = 0;
    let peakRss = process.memoryUsage().rss;
    const result = await replayProjection(pool, db.url, mapping, ({ handled }) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (handled - lastLogged >= 100_000) {
        lastLogged = handled;
        log(`${handled} / ${total}`);
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = result.handled / seconds;
    report({
      bench: 'replay',
      targets: { 'events_per_s >= 50000': rate >= 50_000 },
      rows: [{ events: result.handled, pairs, seconds: round(seconds, 1), events_per_s: Math.round(rate), peak_rss_mb: round(peakRss / 2 ** 20, 0) }],
      notes: ['replay runs in this process against a local Postgres; decisions are pure, commands are dropped'],
    });
  } finally {
    await pool.end();
    await db.drop();
  }
}

void main();
