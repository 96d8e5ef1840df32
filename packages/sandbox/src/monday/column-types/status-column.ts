import { columnValueError } from '../errors';
import type { ColumnContext } from './column-type';
import { defineColumnType } from './column-type';
import { isClearing, isRecord } from './parse-helpers';
import { addStatusLabel, EMPTY_STATUS_ID, labelIdByText, readStatusSettings, STATUS_COLORS, statusSettings } from './status-labels';

const INTERNAL = 'color';

function byIndex(raw: unknown, ctx: ColumnContext): number | null {
  const id = Number(raw);
  const settings = readStatusSettings(ctx.column);
  const text = settings.labels[String(id)];
  if (Number.isInteger(id) && id === EMPTY_STATUS_ID && !text) return null;
  if (!Number.isInteger(id) || text === undefined) {
    throw columnValueError(INTERNAL, 'index does not exist in column', { column_value: raw });
  }
  return id;
}

function byLabel(text: string, ctx: ColumnContext): number | null {
  if (text === '') return null;
  const settings = readStatusSettings(ctx.column);
  const existing = labelIdByText(settings, text);
  if (existing !== undefined) return existing;
  if (!ctx.createLabelsIfMissing) {
    throw columnValueError(INTERNAL, 'label does not exist in column', { column_value: text });
  }
  const created = addStatusLabel(settings, text);
  if (created === undefined) throw columnValueError(INTERNAL, 'the column has no free label slot');
  ctx.column.revision += 1;
  return created;
}

function writeJson(input: unknown, ctx: ColumnContext): number | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return byLabel(input, ctx);
  if (typeof input === 'number') return byIndex(input, ctx);
  if (isRecord(input)) {
    if (input.index !== undefined && input.index !== null) return byIndex(input.index, ctx);
    if (typeof input.label === 'string') return byLabel(input.label, ctx);
    if (input.label === null) return null;
  }
  throw columnValueError(INTERNAL, 'status takes {"label": "..."} or {"index": N}', { column_value: input });
}

/** Numeric-looking simple strings are label ids (reference 5.1: numeric labels must be written by index). */
function writeSimple(input: string, ctx: ColumnContext): number | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? byIndex(trimmed, ctx) : byLabel(trimmed, ctx);
}

function labelText(id: number, ctx: ColumnContext): string {
  return readStatusSettings(ctx.column).labels[String(id)] ?? '';
}

function isDone(id: number, ctx: ColumnContext): boolean {
  return readStatusSettings(ctx.column).done_colors.includes(id);
}

function style(id: number, ctx: ColumnContext): { color: string; border: string; var_name: string } {
  return readStatusSettings(ctx.column).labels_colors[String(id)] ?? STATUS_COLORS[EMPTY_STATUS_ID];
}

/** status: write label or index (label id), read `{"index","post_id","changed_at"}`, text = label (5.1, 5.3). */
export const statusColumn = defineColumnType<number>({
  type: 'status',
  internalType: INTERNAL,
  legacyErrorType: 'ColorColumn',
  defaultSettings: () => ({ ...statusSettings() }),
  writeJson,
  writeSimple,
  value: (id, changedAt) => ({ index: id, post_id: null, changed_at: changedAt }),
  text: (id, ctx) => (id === undefined ? null : labelText(id, ctx)),
  typed: (id, changedAt, ctx) => {
    const index = id ?? EMPTY_STATUS_ID;
    const s = style(index, ctx);
    return {
      index,
      label: id === undefined ? null : labelText(id, ctx),
      is_done: id === undefined ? false : isDone(id, ctx),
      label_style: { color: s.color, border: s.border },
      update_id: null,
      updated_at: changedAt,
    };
  },
  webhookValue: (id, _changedAt, ctx) => ({
    label: { index: id, text: labelText(id, ctx), style: style(id, ctx), is_done: isDone(id, ctx) },
    post_id: null,
  }),
  matchKeys: (id) => [id ?? EMPTY_STATUS_ID],
  sortKey: (id, ctx) => (id === undefined ? null : labelText(id, ctx)),
});
