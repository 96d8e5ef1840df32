import type { Pool } from 'pg';

/** The Opportunities board of the example mapping (test/support/sandbox-schemas). */
export const OPPORTUNITIES_BOARD = '9378000526';

/**
 * bench/replay's log, generated in SQL: `pairs` `system.record_linked` events for opportunity
 * pairs, then `total - pairs` alternating monday stage changes and Salesforce amount changes on
 * them. Used by the bench and by experiments that time one part of the replay on the same log.
 */
export async function generateReplayLog(pool: Pool, total: number, pairs: number): Promise<void> {
  const id18 = (i: string) => `'006' || lpad((${i})::text, 12, '0') || 'AAA'`;
  await pool.query(
    `INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
     SELECT 'system', 'link-' || i, 'salesforce:Opportunity:' || ${id18('i')}, 'system.record_linked', 'unknown',
            jsonb_build_object('objectKey', 'opportunity', 'salesforceObject', 'Opportunity', 'salesforceId', ${id18('i')},
              'mondayBoardId', '${OPPORTUNITIES_BOARD}', 'mondayItemId', (900000000 + i)::text, 'via', 'backfill',
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
                   'triggerUuid', 'change-' || j, 'boardId', ${OPPORTUNITIES_BOARD}::bigint, 'pulseId', 900000000 + 1 + j % $2, 'columnId', 'stage', 'columnType', 'color',
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
}
