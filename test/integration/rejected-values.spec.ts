import { claimCommands } from '../../src/outbox/claim';
import { isRejectedValue, listDeadLetters, retryDeadLetter } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { insertCommands } from '../../src/sync-projector/sync-records.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const rejected: OutboxCommand = {
  kind: 'sync.rejected_value',
  target: 'monday',
  objectKey: 'account',
  salesforceObject: 'Account',
  salesforceId: '001000000000001AAA',
  boardId: '1234567890',
  itemId: '42',
  field: 'phone_main',
  message: 'Phone <-> phone_main: "call me maybe" is not a valid phone number for US; correct it in Salesforce',
};

describe('a value the target cannot take is stored as a dead letter, once', () => {
  let db: TestDatabase;
  let recordId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO sync_records (object_key, salesforce_id, monday_board_id, monday_item_id, last_position)
       VALUES ('account', '001000000000001AAA', '1234567890', '42', 1) RETURNING id`,
    );
    recordId = Number(rows[0]!.id);
  });
  afterAll(() => db.drop());

  it('is dead at once with the message and a hint, never claimed, and its retry is refused', async () => {
    await insertCommands(db.pool, [{ recordId, command: rejected, causedBy: 1 }]);
    const letters = await listDeadLetters(db.pool, recordKeysByIds);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      kind: 'sync.rejected_value',
      target: 'monday',
      record: { salesforceId: '001000000000001AAA', mondayItemId: '42' },
      error: { code: 'INVALID_VALUE', message: rejected.message },
      hint: expect.stringContaining('mapping'),
    });
    expect(await claimCommands(db.pool, { limit: 10, leaseMs: 60_000, claimToken: '00000000-0000-4000-8000-000000000001' })).toEqual([]);
    expect(await retryDeadLetter(db.pool, letters[0]!.id)).toBe(false);
    expect(await isRejectedValue(db.pool, letters[0]!.id)).toBe(true);
  });

  it('the same rejected value read again (a snapshot, a catch-up) adds no second dead letter; another value does', async () => {
    await insertCommands(db.pool, [{ recordId, command: rejected, causedBy: 2 }]);
    expect(await listDeadLetters(db.pool, recordKeysByIds)).toHaveLength(1);
    await insertCommands(db.pool, [{ recordId, command: { ...rejected, message: rejected.message.replace('call me maybe', 'ring me') }, causedBy: 3 }]);
    expect(await listDeadLetters(db.pool, recordKeysByIds)).toHaveLength(2);
  });
});
