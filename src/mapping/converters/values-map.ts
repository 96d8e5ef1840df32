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
  return salesforceValuesByLabel(spec.values).get(label) ?? label;
}

/**
 * Each `values:` map read backwards (monday label -> Salesforce value; the first entry naming a
 * label wins, as a scan of the map in order finds it), built once per map: the maps are readonly.
 * Scanning `Object.entries` per converted label made a pair array per entry per monday change
 * (docs/benchmarks.md, "Issue 21, sixth round").
 */
const BY_LABEL = new WeakMap<ConverterSpec['values'], ReadonlyMap<string, string>>();

function salesforceValuesByLabel(values: ConverterSpec['values']): ReadonlyMap<string, string> {
  let byLabel = BY_LABEL.get(values);
  if (!byLabel) {
    const built = new Map<string, string>();
    for (const [salesforceValue, label] of Object.entries(values)) if (!built.has(label)) built.set(label, salesforceValue);
    BY_LABEL.set(values, (byLabel = built));
  }
  return byLabel;
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
