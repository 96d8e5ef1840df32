import { salesforceString } from './salesforce-scalar-codec';
import type { MondayLabel } from '../live-schema';
import {
  invalid,
  isEmptyInternal,
  isRecord,
  parseReadValue,
  then,
  unknownWebhookShape,
  value,
  type ConverterSpec,
} from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import { mapFromLabel, mapLabelsToMulti, mapMultiToLabels, mapToLabel, splitMulti } from './values-map';

const NUMERIC = /^\d+$/;

/**
 * picklist <-> status through `values`.
 *   write {"label":"Done"} (or {"index":id} for a numeric-looking label: monday reads those as ids)
 *   read  value {"index":1,...} + text "Done"       webhook {"label":{"index":1,"text":"Done",...}}
 */
export function statusConverter(spec: ConverterSpec): FieldConverter {
  const labels = spec.column.settings.statusLabels ?? [];
  const fromLabel = (label: string | null): Converted<SalesforceValue> =>
    value(label === null || label === '' ? null : mapFromLabel(spec, label));
  return {
    pair: `${spec.field.type}<->status`,
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string') return invalid(spec, 'WRONG_TYPE', sf, 'is not a picklist value (text)');
      const label = mapToLabel(spec, sf);
      const known = labels.find((l) => l.label === label);
      if (NUMERIC.test(label)) {
        if (known) return value({ index: known.id });
        // monday would read {"label":"10"} as label id 10: possibly another label, a wrong value
        return invalid(spec, 'UNSUPPORTED_VALUE', sf, `is the numeric label "${label}", which column ${spec.column.id} does not have; monday would take it for a label id; add the label on the board`);
      }
      return value({ label });
    },
    fromMondayApi(read: MondayColumnRead) {
      return then(parseReadValue(spec, read), (parsed) => {
        if (parsed === null) return fromLabel(null);
        const index = isRecord(parsed) ? parsed.index : undefined;
        const known = index === undefined || index === null ? undefined : labels.find((l) => l.id === Number(index));
        if (known) return fromLabel(known.label);
        if (read.text !== null) return fromLabel(read.text);
        return invalid(spec, 'UNKNOWN_LABEL_ID', parsed, 'names a status label the board settings do not list; reload the board schema');
      });
    },
    fromMondayWebhook(internal) {
      if (isEmptyInternal(internal)) return fromLabel(null);
      const label = isRecord(internal) ? internal.label : undefined;
      if (isRecord(label) && typeof label.text === 'string') return fromLabel(label.text);
      if (isRecord(label) && label.index !== undefined) {
        const known = labels.find((l) => l.id === Number(label.index));
        if (known) return fromLabel(known.label);
      }
      return unknownWebhookShape(spec, internal);
    },
    equals: (a, b) => salesforceString(a) === salesforceString(b),
  };
}

/**
 * picklist <-> dropdown (one label) and multipicklist <-> dropdown (`;`-joined), through `values`.
 *   write {"labels":["A","B"]}     read value {"ids":[1,2]} + text "A, B"     webhook {"chosenValues":[{"id":1,"name":"A"}]} [X]
 */
export function dropdownConverter(spec: ConverterSpec): FieldConverter {
  const labels = spec.column.settings.dropdownLabels ?? [];
  const multi = spec.field.type === 'multipicklist';
  const fromLabels = (chosen: readonly string[], raw: unknown): Converted<SalesforceValue> => {
    if (multi) return value(mapLabelsToMulti(spec, chosen));
    if (chosen.length > 1) return invalid(spec, 'MULTIPLE_VALUES', raw, `has ${chosen.length} labels, but ${spec.field.name} holds one value; choose one label`);
    return value(chosen[0] === undefined ? null : mapFromLabel(spec, chosen[0]));
  };
  return {
    pair: `${spec.field.type}<->dropdown`,
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string') return invalid(spec, 'WRONG_TYPE', sf, 'is not a picklist value (text)');
      return value({ labels: multi ? mapMultiToLabels(spec, sf) : [mapToLabel(spec, sf)] });
    },
    fromMondayApi(read: MondayColumnRead) {
      return then(parseReadValue(spec, read), (parsed) => {
        if (parsed === null) return fromLabels([], parsed);
        const ids = isRecord(parsed) && Array.isArray(parsed.ids) ? parsed.ids.map(Number) : undefined;
        if (!ids) return invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a dropdown value {"ids":[...]}');
        const names = namesOf(ids, labels);
        if (names) return fromLabels(names, parsed);
        // A label added after the board schema was read: fall back to the text when it splits cleanly.
        const split = read.text ? read.text.split(', ') : [];
        if (split.length === ids.length) return fromLabels(split, parsed);
        return invalid(spec, 'UNKNOWN_LABEL_ID', parsed, 'names dropdown labels the board settings do not list; reload the board schema');
      });
    },
    fromMondayWebhook(internal) {
      if (isEmptyInternal(internal)) return fromLabels([], internal);
      const chosen = isRecord(internal) ? internal.chosenValues : undefined;
      if (chosen === null) return fromLabels([], internal);
      if (Array.isArray(chosen) && chosen.every((c) => isRecord(c) && typeof c.name === 'string')) {
        return fromLabels(chosen.map((c) => String((c as Record<string, unknown>).name)), internal);
      }
      return unknownWebhookShape(spec, internal);
    },
    equals: multi
      ? (a, b) => sameSet(typeof a === 'string' ? splitMulti(a) : [], typeof b === 'string' ? splitMulti(b) : [])
      : (a, b) => salesforceString(a) === salesforceString(b),
  };
}

function namesOf(ids: readonly number[], labels: readonly MondayLabel[]): string[] | undefined {
  const names: string[] = [];
  for (const id of ids) {
    const known = labels.find((l) => l.id === id);
    if (!known) return undefined;
    names.push(known.label);
  }
  return names;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((v) => right.has(v));
}
