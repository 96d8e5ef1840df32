import type { ConverterSpec } from '../../src/mapping/converters/converter-kit';
import { mapFromLabel, mapLabelsToMulti, mapToLabel } from '../../src/mapping/converters/values-map';

/** Only `values` is read by the map functions. */
const specWith = (values: Record<string, string>) => ({ values: Object.freeze(values) }) as unknown as ConverterSpec;

describe('values map read backwards (monday label -> Salesforce value)', () => {
  it('gives the Salesforce value of a mapped label, and an unmapped label unchanged', () => {
    const spec = specWith({ 'Closed Won': 'Won', 'Closed Lost': 'Lost' });
    expect(mapFromLabel(spec, 'Won')).toBe('Closed Won');
    expect(mapFromLabel(spec, 'Lost')).toBe('Closed Lost');
    expect(mapFromLabel(spec, 'Closed Won')).toBe('Closed Won');
    expect(mapFromLabel(spec, 'Prospecting')).toBe('Prospecting');
  });

  it('takes the first entry naming a label when several Salesforce values share it, as a scan in order does', () => {
    const spec = specWith({ 'Needs Analysis': 'Working', 'Value Proposition': 'Working', '2': 'Two', '1': 'Two' });
    expect(mapFromLabel(spec, 'Working')).toBe('Needs Analysis');
    // Integer-like keys come first in a JavaScript object's order, ascending.
    expect(mapFromLabel(spec, 'Two')).toBe('1');
    expect(mapFromLabel(spec, 'Working')).toBe(Object.entries(spec.values).find(([, label]) => label === 'Working')?.[0]);
  });

  it('reads each map as its own (two fields with the same label mapped differently)', () => {
    const stage = specWith({ 'Closed Won': 'Done' });
    const status = specWith({ Completed: 'Done' });
    expect(mapFromLabel(stage, 'Done')).toBe('Closed Won');
    expect(mapFromLabel(status, 'Done')).toBe('Completed');
    expect(mapLabelsToMulti(status, ['Done', 'Other'])).toBe('Completed;Other');
    expect(mapToLabel(status, 'Completed')).toBe('Done');
  });
});
