import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, unsupportedSimple } from './parse-helpers';

const INTERNAL = 'boolean';

/** Stored as `true`; unchecking clears the cell (read `value` null: the reference's observed behaviour). */
function writeJson(input: unknown): true | null {
  if (isClearing(input)) return null;
  if (isRecord(input) && 'checked' in input) {
    const c = input.checked;
    if (c === true || c === 'true') return true;
    if (c === false || c === 'false' || c === null) return null;
  }
  throw columnValueError(INTERNAL, 'checkbox takes {"checked": "true"}', { column_value: input });
}

/** checkbox: write `{"checked":"true"}`, clear with null, text `"v"` / `""`, no simple syntax (5.1). */
export const checkboxColumn = defineColumnType<true>({
  type: 'checkbox',
  internalType: INTERNAL,
  legacyErrorType: 'CheckboxColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple: () => unsupportedSimple(INTERNAL),
  value: (_d, changedAt) => ({ checked: true, changed_at: changedAt }),
  text: (d) => (d ? 'v' : ''),
  typed: (d, changedAt) => ({ checked: d === true, updated_at: changedAt }),
  webhookValue: (_d, changedAt) => ({ checked: true, changed_at: changedAt }),
  matchKeys: (d) => (d ? ['v', 'true', 1] : []),
  sortKey: (d) => (d ? 1 : 0),
});
