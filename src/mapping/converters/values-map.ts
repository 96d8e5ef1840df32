import type { ConverterSpec } from './converter-kit';

/**
 * The `values:` map of a field: Salesforce value -> monday label, used both ways. A value without
 * an entry passes through unchanged (the target may still reject it: the dispatcher dead-letters
 * that with the field, the value and the fix).
 */
export function mapToLabel(spec: ConverterSpec, salesforceValue: string): string {
  return Object.hasOwn(spec.values, salesforceValue) ? (spec.values[salesforceValue] ?? salesforceValue) : salesforceValue;
}

export function mapFromLabel(spec: ConverterSpec, label: string): string {
  for (const [salesforceValue, mapped] of Object.entries(spec.values)) if (mapped === label) return salesforceValue;
  return label;
}

/** A multi-select picklist value `A;B` maps entry by entry. */
export function mapMultiToLabels(spec: ConverterSpec, joined: string): string[] {
  return splitMulti(joined).map((v) => mapToLabel(spec, v));
}

export function mapLabelsToMulti(spec: ConverterSpec, labels: readonly string[]): string | null {
  return labels.length === 0 ? null : labels.map((l) => mapFromLabel(spec, l)).join(';');
}

export function splitMulti(joined: string): string[] {
  return joined.split(';').filter((v) => v !== '');
}
