import { MondayError } from './monday.error';
import type { MondayAccount, MondayDailyCalls, MondayBoard, MondayColumn, MondayColumnValue, MondayItem, MondayItemState, MondayUser, MondayWebhook } from './monday.port';

/**
 * API answers -> port types. monday's shapes are trusted loosely: a missing optional field becomes
 * null, a missing id is a PERMANENT error (the document and the schema disagree).
 */
export function parseUser(raw: unknown): MondayUser {
  const r = record(raw, 'user');
  return { id: id(r.id, 'user.id'), name: str(r.name) ?? '', email: str(r.email) ?? '' };
}

export function parseAccount(raw: unknown): MondayAccount {
  const r = record(raw, 'account');
  const code = str(r.country_code)?.trim().toUpperCase();
  return { id: id(r.id, 'account.id'), countryCode: code && /^[A-Z]{2}$/.test(code) ? code : null };
}

/** `platform_api`: the limit, and the usage of `today` (YYYY-MM-DD, UTC) when monday has a figure for it. */
export function parseDailyCalls(raw: unknown, today: string): MondayDailyCalls {
  const r = record(raw, 'platform_api');
  const limit = isRecord(r.daily_limit) ? num(r.daily_limit.total) : null;
  const analytics = isRecord(r.daily_analytics) ? r.daily_analytics : {};
  const day = list(analytics.by_day).find((d) => isRecord(d) && d.day === today);
  return { limit, usedToday: isRecord(day) ? num(day.usage) : null, lastUpdated: str(analytics.last_updated) ?? null };
}

export function parseColumn(raw: unknown): MondayColumn {
  const r = record(raw, 'column');
  return { id: id(r.id, 'column.id'), title: str(r.title) ?? '', type: str(r.type) ?? 'unsupported', settings: parseSettings(r.settings_str) };
}

export function parseBoard(raw: unknown): MondayBoard {
  const r = record(raw, 'board');
  const columns = list(r.columns).filter((c) => !(isRecord(c) && c.archived === true));
  return {
    id: id(r.id, 'board.id'),
    name: str(r.name) ?? '',
    columns: columns.map(parseColumn),
    groups: list(r.groups).map((g) => {
      const group = record(g, 'group');
      return { id: id(group.id, 'group.id'), title: str(group.title) ?? '' };
    }),
  };
}

export function parseItem(raw: unknown, boardIdHint?: string): MondayItem {
  const r = record(raw, 'item');
  const board = isRecord(r.board) ? str(r.board.id) : null;
  const group = isRecord(r.group) ? str(r.group.id) : null;
  return {
    id: id(r.id, 'item.id'),
    name: str(r.name) ?? '',
    boardId: board ?? boardIdHint ?? '',
    groupId: group,
    state: parseState(r.state),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    columnValues: list(r.column_values).map(parseColumnValue),
  };
}

export function parseColumnValue(raw: unknown): MondayColumnValue {
  const r = record(raw, 'column value');
  const value: MondayColumnValue = {
    id: id(r.id, 'column_value.id'),
    type: str(r.type) ?? 'unsupported',
    value: typeof r.value === 'string' ? r.value : r.value === null || r.value === undefined ? null : JSON.stringify(r.value),
    text: str(r.text),
  };
  if (Array.isArray(r.linked_item_ids)) value.linkedItemIds = r.linked_item_ids.map(String);
  return value;
}

export function parseWebhook(raw: unknown): MondayWebhook {
  const r = record(raw, 'webhook');
  return { id: id(r.id, 'webhook.id'), boardId: str(r.board_id) ?? '', event: str(r.event) ?? '', config: parseJsonObject(r.config) };
}

/** `settings_str` is a JSON string; an unreadable one is `{}` (the column is still usable). */
export function parseSettings(raw: unknown): Record<string, unknown> {
  return parseJsonObject(raw) ?? {};
}

function parseJsonObject(raw: unknown): Record<string, unknown> | null {
  if (isRecord(raw)) return raw;
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function parseState(raw: unknown): MondayItemState {
  return raw === 'archived' || raw === 'deleted' ? raw : 'active';
}

export function list(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw.filter((x) => x !== null && x !== undefined) : [];
}

export function record(raw: unknown, what: string): Record<string, unknown> {
  if (!isRecord(raw)) throw new MondayError('PERMANENT', `monday returned no ${what} where one was expected`);
  return raw;
}

function id(raw: unknown, what: string): string {
  if (typeof raw === 'string' && raw !== '') return raw;
  if (typeof raw === 'number') return String(raw);
  throw new MondayError('PERMANENT', `monday returned no ${what}`);
}

function str(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  return null;
}

function num(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
