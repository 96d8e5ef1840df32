import { columnValueError } from '../errors';
import type { ColumnContext } from './column-type';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, splitList } from './parse-helpers';

const INTERNAL = 'multiple-person';

export interface PersonOrTeam {
  id: number;
  kind: 'person' | 'team';
}

function validate(entries: PersonOrTeam[], ctx: ColumnContext, input: unknown): PersonOrTeam[] | null {
  for (const e of entries) {
    // The emulated account has no teams; unknown users are rejected rather than stored.
    if (e.kind !== 'person' || !ctx.users.has(e.id)) {
      throw columnValueError(INTERNAL, `${e.kind} ${e.id} does not exist in this account`, { column_value: input });
    }
  }
  const seen = new Set<number>();
  const unique = entries.filter((e) => !seen.has(e.id) && seen.add(e.id));
  return unique.length === 0 ? null : unique;
}

function writeJson(input: unknown, ctx: ColumnContext): PersonOrTeam[] | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return writeSimple(input, ctx);
  if (isRecord(input) && Array.isArray(input.personsAndTeams)) {
    const entries = input.personsAndTeams.map((raw): PersonOrTeam => {
      if (!isRecord(raw) || (raw.kind !== 'person' && raw.kind !== 'team') || !Number.isInteger(Number(raw.id))) {
        throw columnValueError(INTERNAL, 'each entry needs "id" and "kind" (person or team)', { column_value: input });
      }
      return { id: Number(raw.id), kind: raw.kind };
    });
    return validate(entries, ctx, input);
  }
  throw columnValueError(INTERNAL, 'people takes {"personsAndTeams": [{"id": N, "kind": "person"}]}', { column_value: input });
}

function writeSimple(input: string, ctx: ColumnContext): PersonOrTeam[] | null {
  const parts = splitList(input);
  if (parts.some((p) => !/^\d+$/.test(p))) throw columnValueError(INTERNAL, 'people takes comma-separated user ids', { column_value: input });
  return validate(parts.map((p) => ({ id: Number(p), kind: 'person' })), ctx, input);
}

function names(list: PersonOrTeam[], ctx: ColumnContext): string {
  return list.map((p) => ctx.users.get(p.id)?.name ?? '').join(', ');
}

/** people: write/read `personsAndTeams`, replaces the whole list, text = names (5.1). */
export const peopleColumn = defineColumnType<PersonOrTeam[]>({
  type: 'people',
  internalType: INTERNAL,
  legacyErrorType: 'MultiplePersonColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple,
  value: (list, changedAt) => ({ changed_at: changedAt, personsAndTeams: list }),
  text: (list, ctx) => (list ? names(list, ctx) : ''),
  typed: (list, changedAt) => ({ persons_and_teams: (list ?? []).map((p) => ({ id: String(p.id), kind: p.kind })), updated_at: changedAt }),
  webhookValue: (list, changedAt) => ({ personsAndTeams: list, changed_at: changedAt }),
  matchKeys: (list) => (list ? list.map((p) => `person-${p.id}`) : ['person-0']),
  sortKey: (list, ctx) => (list ? names(list, ctx) : null),
});
