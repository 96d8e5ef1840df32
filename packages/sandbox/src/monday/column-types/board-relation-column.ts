import { columnValueError } from '../errors';
import { versionAtLeast } from '../http/api-version';
import type { ColumnContext } from './column-type';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, unsupportedSimple } from './parse-helpers';

const INTERNAL = 'board-relation';

export interface BoardRelationSettings {
  allowMultipleItems: boolean;
  allowCreateReflectionColumn: boolean;
  boardIds: number[];
}

export function boardRelationSettings(boardIds: number[], allowMultipleItems = true): BoardRelationSettings {
  return { allowMultipleItems, allowCreateReflectionColumn: false, boardIds };
}

function writeJson(input: unknown, ctx: ColumnContext): number[] | null {
  if (isClearing(input)) return null;
  if (!isRecord(input) || !Array.isArray(input.item_ids)) {
    // linkedPulseIds is the read/webhook shape, not a write key (reference 5.1).
    throw columnValueError(INTERNAL, 'Link to item column value structure invalid', { column_value: input });
  }
  const settings = ctx.column.settings as unknown as BoardRelationSettings;
  const ids = [...new Set(input.item_ids.map((raw) => Number(raw)))];
  if (ids.length === 0) return null;
  if (ids.length > 1 && settings.allowMultipleItems === false) {
    throw columnValueError(INTERNAL, 'this column links a single item', { column_value: input });
  }
  for (const id of ids) {
    const item = Number.isInteger(id) ? ctx.items.get(id) : undefined;
    if (!item || item.state === 'deleted') throw columnValueError(INTERNAL, `item ${String(id)} does not exist`, { column_value: input });
    if (!(settings.boardIds ?? []).includes(item.boardId)) {
      throw columnValueError(INTERNAL, `board ${item.boardId} is not connected to this column`, { column_value: input });
    }
  }
  return ids;
}

function names(ids: number[], ctx: ColumnContext): string {
  return ids.map((id) => ctx.items.get(id)?.name ?? '').join(', ');
}

/** board_relation: write `{"item_ids":[...]}`; `value` and `text` read null from 2025-04; read linked_item_ids (5.1). */
export const boardRelationColumn = defineColumnType<number[]>({
  type: 'board_relation',
  internalType: INTERNAL,
  legacyErrorType: 'BoardRelationColumn',
  defaultSettings: () => ({ ...boardRelationSettings([]) }),
  writeJson,
  writeSimple: () => unsupportedSimple(INTERNAL),
  value: (ids, changedAt, ctx) =>
    versionAtLeast(ctx.apiVersion, '2025-04') ? null : { linkedPulseIds: ids.map((id) => ({ linkedPulseId: id })), changed_at: changedAt },
  text: () => null,
  typed: (ids, changedAt, ctx) => ({
    linked_item_ids: (ids ?? []).map(String),
    linked_item_records: ids ?? [],
    display_value: ids ? names(ids, ctx) : '',
    updated_at: changedAt,
  }),
  webhookValue: (ids, changedAt) => ({ linkedPulseIds: ids.map((id) => ({ linkedPulseId: id })), changed_at: changedAt }),
  matchKeys: (ids) => ids ?? [],
  sortKey: (ids, ctx) => (ids ? names(ids, ctx) : null),
});
