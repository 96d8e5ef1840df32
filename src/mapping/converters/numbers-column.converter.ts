import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import { numberCodec } from './salesforce-scalar-codec';

/**
 * double/currency/percent/int/long <-> numbers. Percent stays as the number shown (12.5 is 12.5%).
 *   write "3.5" (a string holding the number)   read value "\"3.5\""   webhook {"value":3.5} [?]
 */
export function numbersConverter(spec: ConverterSpec): FieldConverter {
  const codec = numberCodec(spec.field.type === 'int' || spec.field.type === 'long');
  const fromText = (text: string): Converted<SalesforceValue> => {
    const result = codec.fromText(text);
    return result.ok ? value(result.value) : invalid(spec, result.code, text, result.hint);
  };
  return {
    pair: `${spec.field.type}<->numbers`,
    toMonday(sf): Converted<MondayWriteValue> {
      const text = codec.toText(sf);
      return text.ok ? value(text.value) : invalid(spec, text.code, sf, text.hint);
    },
    fromMondayApi(read: MondayColumnRead) {
      return then(parseReadValue(spec, read), (parsed) => {
        if (parsed === null) return value(null);
        if (typeof parsed === 'string') return fromText(parsed);
        if (typeof parsed === 'number') return fromText(String(parsed));
        return invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a numbers value');
      });
    },
    fromMondayWebhook(internal) {
      if (isEmptyInternal(internal)) return value(null);
      const candidate = isRecord(internal) ? (internal.value ?? internal.number) : internal;
      if (candidate === null || candidate === '') return value(null);
      if (typeof candidate === 'number' || typeof candidate === 'string') return fromText(String(candidate));
      return unknownWebhookShape(spec, internal);
    },
    equals: codec.equals,
  };
}

/**
 * boolean <-> checkbox. Unchecking is a clear (null); an empty checkbox reads as false.
 *   write {"checked":"true"} | null    read value {"checked":true,...} text "v"    webhook {"checked":"true"} [?]
 */
export function checkboxConverter(spec: ConverterSpec): FieldConverter {
  const checkedOf = (v: unknown): boolean | undefined => {
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false' || v === null || v === undefined) return false;
    return undefined;
  };
  const fromShape = (shape: unknown, raw: unknown): Converted<SalesforceValue> => {
    if (isEmptyInternal(shape)) return value(false);
    const checked = isRecord(shape) ? checkedOf(shape.checked) : undefined;
    return checked === undefined ? invalid(spec, 'UNREADABLE_VALUE', raw, 'is not a checkbox value') : value(checked);
  };
  return {
    pair: 'boolean<->checkbox',
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === true) return value({ checked: 'true' });
      if (sf === false || sf === null) return value(null);
      return invalid(spec, 'WRONG_TYPE', sf, 'is not true or false');
    },
    fromMondayApi: (read) => then(parseReadValue(spec, read), (parsed) => fromShape(parsed, read.value)),
    fromMondayWebhook: (internal) => {
      const result = fromShape(internal, internal);
      return result.kind === 'invalid' ? unknownWebhookShape(spec, internal) : result;
    },
    equals: (a, b) => Boolean(a) === Boolean(b),
  };
}
