import type { Pool } from 'pg';
import type { NewEvent } from '../../event-store';
import type { ChangeEventMessage } from '../../salesforce';
import { storeChangeEvents } from './cdc-positions';
import { changeMessageToEvents } from './change-message.to-events';

/**
 * A CDC message is replayable, so its commit need not wait for the WAL flush: a Postgres crash can
 * lose only the last few hundred ms of these commits, and it loses the events and their replay id
 * together (invariant 5), so the restart resumes from the older stored id and Salesforce delivers
 * them again (idempotency keys make that once). Anything derived from these events commits
 * synchronously, which flushes them first; the leader-lock connection dies with the server, so the
 * subscription is rebuilt from the stored ids. Webhooks are not replayable and keep synchronous commits.
 */
const BEGIN_REPLAYABLE = 'BEGIN; SET LOCAL synchronous_commit TO off';

/**
 * One adapter delivery (messages of one channel, in replay-id order) in ONE transaction: every
 * message's events and the last message's replay id. One commit per delivery instead of one per
 * message is what lets a burst through (bench/cdc). Returns the events stored (duplicates included).
 */
export async function storeChangeBatch(pool: Pool, messages: readonly ChangeEventMessage[], clientName: string): Promise<NewEvent[]> {
  const last = messages[messages.length - 1];
  if (!last) return [];
  const channels = new Set(messages.map((m) => m.channel));
  if (channels.size > 1) throw new Error(`a CDC batch must hold one channel, got ${[...channels].join(', ')}`);
  const events = messages.flatMap((message) => changeMessageToEvents(message, clientName));
  const client = await pool.connect();
  try {
    await client.query(BEGIN_REPLAYABLE);
    await storeChangeEvents(client, last.channel, last.replayId, events);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return events;
}
