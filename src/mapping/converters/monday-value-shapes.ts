import type { MondayColumnSchema } from '../live-schema';
import type { JsonValue, MondayColumnRead, MondayWriteValue } from './converter.types';

/**
 * What monday gives back for a value written with change_multiple_column_values: the API read
 * (`value` JSON string + `text`, monday.md 5.1) and the webhook's internal `event.value` (7.5).
 * Pure; used by the converter property tests and usable by an emulator. `[?]` shapes follow the
 * reference where it is unconfirmed.
 */
export interface ShapeOptions {
  /** `changed_at` stamped into read values. */
  readonly changedAt?: string;
  /** Display names of people, for `text`. */
  readonly personName?: (id: number) => string;
}

export class UnwritableValueError extends Error {
  constructor(column: MondayColumnSchema, write: MondayWriteValue, why: string) {
    super(`monday would reject ${JSON.stringify(write)} for ${column.type} column ${column.id}: ${why}`);
    this.name = 'UnwritableValueError';
  }
}

type Obj = { readonly [key: string]: JsonValue };
const isObj = (v: MondayWriteValue): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The API read of a written value. Throws UnwritableValueError where monday would reject the write. */
export function readBackValue(column: MondayColumnSchema, write: MondayWriteValue, options: ShapeOptions = {}): MondayColumnRead {
  const changedAt = options.changedAt ?? '2026-01-01T00:00:00.000Z';
  const empty: MondayColumnRead = column.type === 'board_relation' ? { value: null, text: null, linkedItemIds: [] } : { value: null, text: emptyText(column.type) };
  if (write === null) return empty;
  const stamp = (o: Record<string, JsonValue>) => JSON.stringify({ ...o, changed_at: changedAt });
  const reject = (why: string): never => {
    throw new UnwritableValueError(column, write, why);
  };
  switch (column.type) {
    case 'text':
      return typeof write === 'string' ? { value: JSON.stringify(write), text: write } : reject('text takes a string');
    case 'name':
      return typeof write === 'string' ? { value: null, text: write } : reject('name takes a string');
    case 'numbers':
      return typeof write === 'string' || typeof write === 'number' ? { value: JSON.stringify(String(write)), text: String(write) } : reject('numbers take a string');
    case 'long_text':
      return isObj(write) && typeof write.text === 'string' ? { value: stamp({ text: write.text }), text: write.text } : reject('long_text takes {"text"}');
    case 'status': {
      const label = statusLabelOf(column, write) ?? reject('label does not exist in column');
      return { value: stamp({ index: label.id, post_id: null }), text: label.label };
    }
    case 'dropdown': {
      const labels = dropdownLabelsOf(column, write) ?? reject('label does not exist in column');
      return labels.length === 0 ? empty : { value: JSON.stringify({ ids: labels.map((l) => l.id) }), text: labels.map((l) => l.label).join(', ') };
    }
    case 'date':
      if (!isObj(write) || typeof write.date !== 'string') return reject('date takes {"date"}');
      return {
        value: stamp({ date: write.date, time: typeof write.time === 'string' ? write.time : null }),
        text: typeof write.time === 'string' ? `${write.date} ${write.time}` : write.date,
      };
    case 'timeline':
      return isObj(write) && typeof write.from === 'string' && typeof write.to === 'string'
        ? { value: stamp({ from: write.from, to: write.to }), text: `${write.from} - ${write.to}` }
        : reject('timeline takes {"from","to"}');
    case 'people': {
      const people = isObj(write) && Array.isArray(write.personsAndTeams) ? (write.personsAndTeams as Obj[]) : reject('people take {"personsAndTeams"}');
      const name = options.personName ?? ((id: number) => `User ${id}`);
      return { value: stamp({ personsAndTeams: people }), text: people.map((p) => name(Number(p.id))).join(', ') };
    }
    case 'email':
      return isObj(write) && typeof write.email === 'string' && typeof write.text === 'string'
        ? { value: stamp({ email: write.email, text: write.text }), text: write.text }
        : reject('email takes {"email","text"}');
    case 'phone':
      return isObj(write) && typeof write.phone === 'string'
        ? { value: stamp({ phone: write.phone, countryShortName: write.countryShortName ?? '' }), text: write.phone }
        : reject('phone takes {"phone","countryShortName"}');
    case 'link':
      return isObj(write) && typeof write.url === 'string'
        ? { value: stamp({ url: write.url, text: write.text ?? write.url }), text: `${String(write.text ?? write.url)} - ${write.url}` }
        : reject('link takes {"url","text"}');
    case 'checkbox':
      return isObj(write) && (write.checked === 'true' || write.checked === true)
        ? { value: stamp({ checked: true }), text: 'v' }
        : reject('checkbox takes {"checked":"true"}');
    case 'board_relation': {
      const ids = isObj(write) && Array.isArray(write.item_ids) ? write.item_ids.map(String) : reject('board_relation takes {"item_ids"}');
      return { value: null, text: null, linkedItemIds: ids };
    }
    case 'country':
      return isObj(write) && typeof write.countryCode === 'string'
        ? { value: stamp({ countryCode: write.countryCode, countryName: write.countryName ?? '' }), text: String(write.countryName ?? '') }
        : reject('country takes {"countryCode","countryName"}');
    default:
      return reject('column type not modelled');
  }
}

/** The `event.value` of the update_column_value webhook that the same write triggers. */
export function webhookValueFor(column: MondayColumnSchema, write: MondayWriteValue, options: ShapeOptions = {}): unknown {
  if (write === null) return null;
  const changed_at = options.changedAt ?? '2026-01-01T00:00:00.000Z';
  const read = readBackValue(column, write, options);
  const parsed = read.value === null ? null : (JSON.parse(read.value) as Record<string, unknown>);
  switch (column.type) {
    case 'text':
      return { value: write };
    case 'name':
      return { name: write };
    case 'numbers':
      return { value: Number(write), unit: null }; // [?]
    case 'status': {
      const label = statusLabelOf(column, write)!;
      return { label: { index: label.id, text: label.label, style: { color: '#00c875', border: '#00b461', var_name: 'green-shadow' }, is_done: false }, post_id: null };
    }
    case 'dropdown':
      return { chosenValues: (dropdownLabelsOf(column, write) ?? []).map((l) => ({ id: l.id, name: l.label })) }; // [X]
    case 'date':
      return { date: parsed?.date, icon: null, time: parsed?.time ?? null, changed_at };
    case 'board_relation':
      return { linkedPulseIds: (read.linkedItemIds ?? []).map((id) => ({ linkedPulseId: Number(id) })), changed_at };
    default:
      // people as documented; long_text, timeline, email, phone, link, checkbox, country assumed equal to the read value [?]
      return parsed;
  }
}

function emptyText(type: string): string | null {
  return type === 'status' || type === 'dropdown' ? null : '';
}

function statusLabelOf(column: MondayColumnSchema, write: MondayWriteValue) {
  if (!isObj(write)) return undefined;
  const labels = column.settings.statusLabels ?? [];
  if (write.index !== undefined) return labels.find((l) => l.id === Number(write.index));
  // monday treats a numeric-looking label as an index
  if (typeof write.label === 'string' && /^\d+$/.test(write.label)) return labels.find((l) => l.id === Number(write.label));
  return labels.find((l) => l.label === write.label);
}

function dropdownLabelsOf(column: MondayColumnSchema, write: MondayWriteValue) {
  if (!isObj(write)) return undefined;
  const labels = column.settings.dropdownLabels ?? [];
  const wanted = Array.isArray(write.labels) ? write.labels.map((l) => labels.find((x) => x.label === l)) : Array.isArray(write.ids) ? write.ids.map((id) => labels.find((x) => x.id === Number(id))) : undefined;
  if (!wanted || wanted.some((l) => l === undefined)) return undefined;
  return wanted as { id: number; label: string }[];
}
