import { columnValueError } from '../errors';
import type { ColumnTypeName } from '../state/model';
import { boardRelationColumn } from './board-relation-column';
import { checkboxColumn } from './checkbox-column';
import type { ColumnTypeRules } from './column-type';
import { countryColumn } from './country-column';
import { dateColumn } from './date-column';
import { dropdownColumn } from './dropdown-column';
import { emailColumn } from './email-column';
import { linkColumn } from './link-column';
import { longTextColumn } from './long-text-column';
import { numbersColumn } from './numbers-column';
import { peopleColumn } from './people-column';
import { phoneColumn } from './phone-column';
import { statusColumn } from './status-column';
import { textColumn } from './text-column';
import { timelineColumn } from './timeline-column';

export type ValueColumnType = Exclude<ColumnTypeName, 'name'>;

const RULES: Record<ValueColumnType, ColumnTypeRules<unknown>> = {
  text: textColumn,
  long_text: longTextColumn,
  numbers: numbersColumn,
  status: statusColumn,
  dropdown: dropdownColumn,
  date: dateColumn,
  timeline: timelineColumn,
  people: peopleColumn,
  email: emailColumn,
  phone: phoneColumn,
  link: linkColumn,
  checkbox: checkboxColumn,
  board_relation: boardRelationColumn,
  country: countryColumn,
};

export const EMULATED_COLUMN_TYPES = Object.keys(RULES) as ValueColumnType[];

export function isValueColumnType(type: string): type is ValueColumnType {
  return Object.prototype.hasOwnProperty.call(RULES, type);
}

export function rulesFor(type: ColumnTypeName): ColumnTypeRules<unknown> {
  if (type === 'name') throw columnValueError('name', 'the name column has no column value');
  return RULES[type];
}

/** `error_data.column_type` before 2025-04 used class names (reference 1.4); internal name -> legacy name. */
export function legacyErrorType(internalType: string): string {
  for (const rules of Object.values(RULES)) if (rules.internalType === internalType) return rules.legacyErrorType;
  return internalType;
}
