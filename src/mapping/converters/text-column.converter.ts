import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import type { ScalarCodec } from './salesforce-scalar-codec';
import { mapFromLabel, mapLabelsToMulti, mapMultiToLabels, mapToLabel, splitMulti } from './values-map';

/** monday limits: long text holds 2,000 characters; an item name 1 to 255. */
const LONG_TEXT_MAX = 2000;
const ITEM_NAME_MAX = 255;

/**
 * A Salesforce scalar shown as text in a monday text, long_text or item name column. Picklist
 * values go through `values` like labels do.
 *   text       write "Sample"             read value "\"Sample\""               webhook {"value":"Sample"}
 *   long_text  write {"text":"a\nb"}      read value {"text":"a\nb",...}        webhook {"text":"a\nb"} [?]
 *   name       write "Item" (as column `name`)  read text                        webhook (update_name) {"name":"Item"}
 */
export function textColumnConverter(spec: ConverterSpec, codec: ScalarCodec): FieldConverter {
  const kind = spec.column.type;
  const multi = spec.field.type === 'multipicklist';
  const toShown = (text: string): string => (multi ? mapMultiToLabels(spec, text).join(';') : mapToLabel(spec, text));
  const fromShown = (text: string): string => (multi ? (mapLabelsToMulti(spec, splitMulti(text)) ?? '') : mapFromLabel(spec, text));
  const fromText = (text: string | null): Converted<SalesforceValue> => {
    const mapped = text === null ? '' : codec.family === 'string' ? fromShown(text) : text;
    const result = codec.fromText(mapped);
    return result.ok ? value(result.value) : invalid(spec, result.code, text, result.hint);
  };
  return {
    pair: `${spec.field.type}<->${kind}`,
    toMonday(sf): Converted<MondayWriteValue> {
      const text = codec.toText(sf);
      if (!text.ok) return invalid(spec, text.code, sf, text.hint);
      const shown = text.value === null ? null : codec.family === 'string' ? toShown(text.value) : text.value;
      if (kind === 'name') {
        if (shown === null || shown.trim() === '') return invalid(spec, 'REQUIRED_VALUE', sf, 'is empty, and a monday item needs a name');
        if (shown.length > ITEM_NAME_MAX) return invalid(spec, 'TOO_LONG', sf, `is longer than the ${ITEM_NAME_MAX} characters of a monday item name`);
        return value(shown);
      }
      if (shown === null) return value(null);
      if (kind === 'long_text') {
        if (shown.length > LONG_TEXT_MAX) return invalid(spec, 'TOO_LONG', sf, `is longer than the ${LONG_TEXT_MAX} characters a long text column holds`);
        return value({ text: shown });
      }
      return value(shown);
    },
    fromMondayApi(read: MondayColumnRead) {
      if (kind === 'name') return fromText(read.text ?? null);
      return then(parseReadValue(spec, read), (parsed) => {
        if (parsed === null) return fromText(null);
        if (typeof parsed === 'string') return fromText(parsed);
        if (typeof parsed === 'number') return fromText(String(parsed));
        if (isRecord(parsed) && typeof parsed.text === 'string') return fromText(parsed.text);
        return fromText(read.text ?? null);
      });
    },
    fromMondayWebhook(internal: unknown) {
      if (isEmptyInternal(internal)) return fromText(null);
      if (typeof internal === 'string') return fromText(internal);
      if (isRecord(internal)) {
        for (const key of ['value', 'text', 'name']) {
          const candidate = internal[key];
          if (typeof candidate === 'string') return fromText(candidate);
          if (typeof candidate === 'number') return fromText(String(candidate));
        }
      }
      return unknownWebhookShape(spec, internal);
    },
    equals: codec.equals,
  };
}
