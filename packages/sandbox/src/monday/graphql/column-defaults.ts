import { boardRelationSettings } from '../column-types/board-relation-column';
import { statusSettings } from '../column-types/status-labels';
import { invalidArgument } from '../errors';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * create_column `defaults` -> settings: status `{"labels":{"1":"Done"}}`, dropdown
 * `{"settings":{"labels":[{"id":1,"name":"A"}]}}` or `{"labels":[...]}`, board_relation `{"boardIds":[...]}`.
 */
export function columnDefaults(type: string, raw: unknown): Record<string, unknown> | null {
  if (raw === null) return null;
  if (!isRecord(raw)) throw invalidArgument('defaults must be a JSON object');
  const source = isRecord(raw.settings) ? raw.settings : raw;
  if (type === 'status' && isRecord(source.labels)) {
    const labels: Record<number, string> = {};
    for (const [id, text] of Object.entries(source.labels)) labels[Number(id)] = String(text);
    return { ...statusSettings(labels, Array.isArray(source.done_colors) ? source.done_colors.map(Number) : [1]) };
  }
  if (type === 'dropdown' && Array.isArray(source.labels)) {
    return {
      labels: source.labels.map((l, i) => (isRecord(l) ? { id: Number(l.id ?? i + 1), name: String(l.name ?? l.label ?? '') } : { id: i + 1, name: String(l) })),
    };
  }
  if (type === 'board_relation' && Array.isArray(source.boardIds)) {
    return { ...boardRelationSettings(source.boardIds.map(Number), source.allowMultipleItems !== false) };
  }
  return null;
}
