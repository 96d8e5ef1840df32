import { columnValueError } from '../errors';
import type { ColumnContext } from './column-type';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, splitList } from './parse-helpers';

const INTERNAL = 'dropdown';

export interface DropdownLabel {
  id: number;
  name: string;
}

export function dropdownSettings(names: string[]): { labels: DropdownLabel[] } {
  return { labels: names.map((name, i) => ({ id: i + 1, name })) };
}

function labelsOf(ctx: ColumnContext): DropdownLabel[] {
  const labels = ctx.column.settings.labels;
  if (!Array.isArray(labels)) {
    ctx.column.settings.labels = [];
    return ctx.column.settings.labels as DropdownLabel[];
  }
  return labels as DropdownLabel[];
}

function idsFromLabels(names: unknown[], ctx: ColumnContext): number[] {
  const labels = labelsOf(ctx);
  return names.map((raw) => {
    const name = String(raw).trim();
    const found = labels.find((l) => l.name === name);
    if (found) return found.id;
    if (!ctx.createLabelsIfMissing) {
      throw columnValueError(INTERNAL, 'the dropdown label does not exist', { column_value: name });
    }
    const id = labels.reduce((max, l) => Math.max(max, l.id), 0) + 1;
    labels.push({ id, name });
    ctx.column.revision += 1;
    return id;
  });
}

function checkIds(raw: unknown[], ctx: ColumnContext): number[] {
  const labels = labelsOf(ctx);
  return raw.map((r) => {
    const id = Number(r);
    if (!labels.some((l) => l.id === id)) throw columnValueError(INTERNAL, 'the dropdown label id does not exist', { column_value: r });
    return id;
  });
}

function distinct(ids: number[]): number[] | null {
  const unique = [...new Set(ids)];
  return unique.length === 0 ? null : unique;
}

function writeJson(input: unknown, ctx: ColumnContext): number[] | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return distinct(idsFromLabels(splitList(input), ctx));
  if (isRecord(input)) {
    if (Array.isArray(input.ids)) return distinct(checkIds(input.ids, ctx));
    if (Array.isArray(input.labels)) return distinct(idsFromLabels(input.labels, ctx));
    if (typeof input.labels === 'string') return distinct(idsFromLabels(splitList(input.labels), ctx));
  }
  throw columnValueError(INTERNAL, 'dropdown takes {"labels": [...]} or {"ids": [...]}', { column_value: input });
}

/** Simple syntax: `A, B` (labels) or `1,2` (ids), never mixed (reference 5.1). */
function writeSimple(input: string, ctx: ColumnContext): number[] | null {
  const parts = splitList(input);
  if (parts.length === 0) return null;
  const numeric = parts.filter((p) => /^\d+$/.test(p)).length;
  if (numeric === parts.length) return distinct(checkIds(parts, ctx));
  return distinct(idsFromLabels(parts, ctx));
}

function chosen(ids: number[], ctx: ColumnContext): DropdownLabel[] {
  const labels = labelsOf(ctx);
  return ids.map((id) => labels.find((l) => l.id === id) ?? { id, name: '' });
}

/** dropdown: write labels or ids, read `{"ids":[...]}`, text = `"A, B"`, null when empty (5.1). */
export const dropdownColumn = defineColumnType<number[]>({
  type: 'dropdown',
  internalType: INTERNAL,
  legacyErrorType: 'DropdownColumn',
  defaultSettings: () => ({ labels: [] }),
  writeJson,
  writeSimple,
  value: (ids) => ({ ids }),
  text: (ids, ctx) => (ids === undefined ? null : chosen(ids, ctx).map((l) => l.name).join(', ')),
  typed: (ids, _changedAt, ctx) => ({ values: ids === undefined ? [] : chosen(ids, ctx).map((l) => ({ id: String(l.id), label: l.name })) }),
  webhookValue: (ids, _changedAt, ctx) => ({ chosenValues: chosen(ids, ctx) }),
  matchKeys: (ids) => ids ?? [],
  sortKey: (ids, ctx) => (ids === undefined ? null : chosen(ids, ctx).map((l) => l.name).join(', ')),
});
