import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** A JWT as monday signs it for webhook deliveries (reference monday.md 7.3). */
export function mondayJwt(secret: string, claims: Record<string, unknown> = {}, options: jwt.SignOptions = {}): string {
  return jwt.sign({ accountId: 1825529, userId: 4012689, ...claims }, secret, { algorithm: 'HS256', expiresIn: 300, ...options });
}

export function triggerUuid(): string {
  return randomBytes(16).toString('hex');
}

const common = () => ({
  app: 'monday',
  triggerTime: '2025-02-05T16:28:02.630Z',
  subscriptionId: 466701503,
  isRetry: false,
  userId: 67214742,
  originalTriggerUuid: null,
  boardId: 7786783342,
  triggerUuid: triggerUuid(),
});

/** One payload per event type, shaped like the examples of reference monday.md 7.5. */
export const samplePayloads = {
  create_pulse: () => ({ ...common(), type: 'create_pulse', pulseId: 8409778368, pulseName: 'New item 1', groupId: 'topics', groupName: 'Assignments', groupColor: '#579bfc', isTopGroup: true, columnValues: {} }),
  create_subitem: () => ({ ...common(), type: 'create_pulse', pulseId: 8409778369, pulseName: 'Sub 1', groupId: 'topics', columnValues: {}, parentItemId: '8409778368', parentItemBoardId: '7786783342' }),
  update_column_value: () => ({
    ...common(), type: 'update_column_value', groupId: 'topics', pulseId: 7786784079, pulseName: 'Developer', columnId: 'status_mkmwnxnk', columnType: 'color', columnTitle: 'Status',
    value: { label: { index: 0, text: 'Working on it', style: { color: '#fdab3d', border: '#e99729', var_name: 'orange' }, is_done: false }, post_id: null },
    previousValue: null, changedAt: 1738777972.386279, isTopGroup: true,
  }),
  board_relation_changed: () => ({
    ...common(), type: 'update_column_value', pulseId: 7786784079, pulseName: 'Deal', columnId: 'board_relation_acct', columnType: 'board-relation',
    value: { linkedPulseIds: [{ linkedPulseId: 8401360357 }], changed_at: '2025-02-05T17:52:53.186Z' }, previousValue: null, changedAt: 1738777972.5,
  }),
  update_name: () => ({ ...common(), type: 'update_name', groupId: 'topics', pulseId: 7786784003, value: { name: 'New Name 2' }, previousValue: { name: 'New Name' } }),
  delete_pulse: () => ({ ...common(), type: 'delete_pulse', itemId: 8409778368, itemName: 'New item 1' }),
  archive_pulse: () => ({ ...common(), type: 'archive_pulse', itemId: 8409778368, itemName: 'New item 1' }),
  restore_pulse: () => ({ ...common(), type: 'restore_pulse', itemId: 8409778368, itemName: 'New item 1', value: { state: 1, is_undo: true }, previousValue: { state: 2 } }),
  move_pulse_into_group: () => ({
    ...common(), type: 'move_pulse_into_group', pulseId: 7786784190, sourceGroupId: 'topics', destGroupId: 'new_group_mkmwnd8t',
    destGroup: { id: 'new_group_mkmwnd8t', title: 'New Group', color: '#cab641', is_top_group: false },
  }),
  create_update: () => ({ ...common(), type: 'create_update', pulseId: 1771812728, body: '<p>create_update webhook</p>', textBody: 'create_update webhook', updateId: 1190616585, replyId: null }),
  edit_update: () => ({ ...common(), type: 'edit_update', pulseId: 1771812728, body: '<p>edited</p>', textBody: 'edited', updateId: 1190616585, replyId: null }),
  delete_update: () => ({ ...common(), type: 'delete_update', pulseId: 1771812728, body: '', textBody: '', updateId: 1190616585, replyId: null }),
  create_column: () => ({ ...common(), type: 'create_column', columnId: 'text_mkx1', columnTitle: 'Notes', columnType: 'text', createdAt: 1738777972.1, retryCount: 0 }),
};
