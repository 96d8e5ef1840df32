/**
 * The minimal live schemas the mapping is checked and converted against. The monday and Salesforce
 * clients adapt their API answers to these shapes (monday `boards { columns groups }`, Salesforce
 * `describe`); nothing here talks to either API.
 */

export interface MondayLabel {
  /** Label id: the value written as `{"index": id}` / `{"ids": [id]}` and returned in read values. */
  readonly id: number;
  readonly label: string;
}

/** The parts of a column's settings the converters need (see parseColumnSettings). */
export interface MondayColumnSettings {
  readonly statusLabels?: readonly MondayLabel[];
  readonly dropdownLabels?: readonly MondayLabel[];
  /** board_relation: the boards this column may link to. */
  readonly boardIds?: readonly string[];
}

export interface MondayColumnSchema {
  readonly id: string;
  readonly title: string;
  /** `ColumnType` of the API: text, long_text, numbers, status, dropdown, date, people, board_relation, ... */
  readonly type: string;
  readonly settings: MondayColumnSettings;
}

export interface MondayGroupSchema {
  readonly id: string;
  readonly title: string;
}

export interface MondayBoardSchema {
  readonly id: string;
  readonly name: string;
  readonly columns: readonly MondayColumnSchema[];
  readonly groups: readonly MondayGroupSchema[];
}

export interface SalesforcePicklistValue {
  readonly value: string;
  readonly active: boolean;
  readonly label?: string;
}

/** One entry of describe's `fields` (salesforce.md 2.2). */
export interface SalesforceFieldSchema {
  readonly name: string;
  readonly label: string;
  /** string, textarea, email, phone, url, picklist, multipicklist, combobox, double, currency, percent, int, long, boolean, date, datetime, reference, id, ... */
  readonly type: string;
  readonly length: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly defaultedOnCreate: boolean;
  readonly picklistValues: readonly SalesforcePicklistValue[];
  readonly restrictedPicklist: boolean;
  readonly externalId: boolean;
  readonly referenceTo: readonly string[];
  readonly relationshipName: string | null;
  readonly scale?: number;
}

export interface SalesforceObjectSchema {
  readonly name: string;
  readonly label?: string;
  readonly fields: readonly SalesforceFieldSchema[];
}

/** The monday account behind the token (`account { country_code }`). */
export interface MondayAccountSchema {
  /** ISO 3166-1 alpha-2 code as monday returns it; null when the account has none. */
  readonly countryCode: string | null;
}

export interface LiveSchemas {
  readonly mondayBoards: readonly MondayBoardSchema[];
  readonly salesforceObjects: readonly SalesforceObjectSchema[];
  /** Absent when it was not read (older cached contexts, tests): its country is then unknown. */
  readonly mondayAccount?: MondayAccountSchema;
}

/**
 * Reads a column's `settings_str` (or the typed `settings` of API 2025-10+, already parsed or as a
 * JSON string) into MondayColumnSettings. Unknown or malformed settings give `{}`.
 *   status   {"labels":{"0":"Working on it","1":"Done"}}          or {"labels":[{"id":1,"label":"Done"}]}
 *   dropdown {"labels":[{"id":1,"name":"Linux"}]}                   or {"labels":[{"id":1,"label":"Linux"}]}
 *   board_relation {"boardIds":[8439544375]}
 */
export function parseColumnSettings(type: string, settings: unknown): MondayColumnSettings {
  let parsed: unknown = settings;
  if (typeof settings === 'string') {
    try {
      parsed = JSON.parse(settings);
    } catch {
      return {};
    }
  }
  if (!isRecord(parsed)) return {};
  if (type === 'status' || type === 'color') return { statusLabels: labelsOf(parsed.labels) };
  if (type === 'dropdown') return { dropdownLabels: labelsOf(parsed.labels) };
  if (type === 'board_relation') {
    const ids = Array.isArray(parsed.boardIds) ? parsed.boardIds : Array.isArray(parsed.board_ids) ? parsed.board_ids : [];
    return { boardIds: ids.map(String) };
  }
  return {};
}

function labelsOf(labels: unknown): MondayLabel[] {
  if (Array.isArray(labels)) {
    return labels.flatMap((entry) => {
      if (!isRecord(entry)) return [];
      const text = typeof entry.label === 'string' ? entry.label : typeof entry.name === 'string' ? entry.name : undefined;
      const id = Number(entry.id);
      return text !== undefined && Number.isInteger(id) ? [{ id, label: text }] : [];
    });
  }
  if (isRecord(labels)) {
    return Object.entries(labels).flatMap(([id, text]) =>
      typeof text === 'string' && /^\d+$/.test(id) ? [{ id: Number(id), label: text }] : [],
    );
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `boards { id name columns { id title type settings_str } groups { id title } }` answer -> MondayBoardSchema. */
export function mondayBoardFromApi(board: {
  readonly id: string | number;
  readonly name: string;
  readonly columns?: readonly { readonly id: string; readonly title: string; readonly type: string; readonly settings_str?: string; readonly settings?: unknown }[];
  readonly groups?: readonly { readonly id: string; readonly title: string }[];
}): MondayBoardSchema {
  return {
    id: String(board.id),
    name: board.name,
    columns: (board.columns ?? []).map((c) => ({ id: c.id, title: c.title, type: c.type, settings: parseColumnSettings(c.type, c.settings_str ?? c.settings ?? '{}') })),
    groups: (board.groups ?? []).map((g) => ({ id: g.id, title: g.title })),
  };
}

/** A REST describe answer (salesforce.md 2.2) -> SalesforceObjectSchema; missing flags take Salesforce's defaults. */
export function salesforceObjectFromDescribe(describe: unknown): SalesforceObjectSchema {
  const d = isRecord(describe) ? describe : {};
  const fields = Array.isArray(d.fields) ? d.fields.filter(isRecord) : [];
  return {
    name: String(d.name ?? ''),
    ...(typeof d.label === 'string' ? { label: d.label } : {}),
    fields: fields.map((f) => ({
      name: String(f.name),
      label: String(f.label ?? f.name),
      type: String(f.type),
      length: Number(f.length ?? 0),
      nillable: f.nillable !== false,
      createable: f.createable !== false,
      updateable: f.updateable !== false,
      defaultedOnCreate: f.defaultedOnCreate === true,
      picklistValues: (Array.isArray(f.picklistValues) ? f.picklistValues.filter(isRecord) : []).map((p) => ({
        value: String(p.value),
        active: p.active !== false,
        ...(typeof p.label === 'string' ? { label: p.label } : {}),
      })),
      restrictedPicklist: f.restrictedPicklist === true,
      externalId: f.externalId === true,
      referenceTo: Array.isArray(f.referenceTo) ? f.referenceTo.map(String) : [],
      relationshipName: typeof f.relationshipName === 'string' ? f.relationshipName : null,
      ...(typeof f.scale === 'number' ? { scale: f.scale } : {}),
    })),
  };
}
