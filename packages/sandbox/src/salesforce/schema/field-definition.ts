/**
 * The shape of an emulated sObject: what describe serves (reference 2.2) and what validation,
 * SOQL and change events read. Object files under ./objects are data built with the helpers below.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

export type FieldValue = string | number | boolean | null;

export interface PicklistEntry {
  value: string;
  defaultValue: boolean;
}

export interface FieldDefinition {
  name: string;
  type: FieldType;
  label: string;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  custom: boolean;
  calculated: boolean;
  nameField: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: PicklistEntry[];
  restrictedPicklist: boolean;
  /**
   * Numbers: total digits and digits after the point (describe `precision`/`scale`; `digits` for int).
   * A value needing more than precision - scale integer digits is NUMBER_OUTSIDE_VALID_RANGE; extra
   * decimals are rounded half up. Defaults: int 9 digits, currency/percent 18,2, double 18,0.
   */
  precision?: number;
  scale?: number;
  /** Change events nest this field under a compound field (reference 5.6): Name.FirstName, Address.City. */
  compound?: { field: string; component: string };
  /** Value a create gets when the field is not given (besides picklist defaults). */
  defaultValue?: FieldValue;
  /** Never part of a change event body (IsDeleted, SystemModstamp, derived values). */
  excludedFromChangeEvents: boolean;
}

export interface ObjectDefinition {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDefinition[];
}

type FieldOptions = Partial<Omit<FieldDefinition, 'name' | 'type'>>;

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDefinition {
  const custom = name.endsWith('__c');
  return {
    name,
    type,
    label: labelOf(name),
    length: 0,
    nillable: type !== 'boolean',
    createable: true,
    updateable: true,
    defaultedOnCreate: type === 'boolean',
    externalId: false,
    unique: false,
    custom,
    calculated: false,
    nameField: false,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    restrictedPicklist: false,
    excludedFromChangeEvents: false,
    ...options,
  };
}

export const text = (name: string, length: number, options: FieldOptions = {}) =>
  field(name, 'string', { length, ...options });
export const textArea = (name: string, length: number, options: FieldOptions = {}) =>
  field(name, 'textarea', { length, ...options });
export const email = (name: string, options: FieldOptions = {}) => field(name, 'email', { length: 80, ...options });
export const phone = (name: string, options: FieldOptions = {}) => field(name, 'phone', { length: 40, ...options });
export const url = (name: string, options: FieldOptions = {}) => field(name, 'url', { length: 255, ...options });
export const bool = (name: string, options: FieldOptions = {}) => field(name, 'boolean', options);
export const int = (name: string, options: FieldOptions = {}) => field(name, 'int', options);

export function numericPrecision(f: FieldDefinition): { precision: number; scale: number } {
  if (f.type === 'int') return { precision: f.precision ?? 9, scale: 0 };
  return { precision: f.precision ?? 18, scale: f.scale ?? (f.type === 'double' ? 0 : 2) };
}
export const double = (name: string, options: FieldOptions = {}) => field(name, 'double', options);
export const currency = (name: string, options: FieldOptions = {}) => field(name, 'currency', options);
export const percent = (name: string, options: FieldOptions = {}) => field(name, 'percent', options);
export const date = (name: string, options: FieldOptions = {}) => field(name, 'date', options);
export const datetime = (name: string, options: FieldOptions = {}) => field(name, 'datetime', options);

/** A picklist; the first value marked with `*` is the default (e.g. `'*Open - Not Contacted'`). */
export function picklist(name: string, values: string[], options: FieldOptions = {}): FieldDefinition {
  return field(name, 'picklist', { length: 255, picklistValues: entries(values), ...options });
}

export function multiPicklist(name: string, values: string[], options: FieldOptions = {}): FieldDefinition {
  return field(name, 'multipicklist', { length: 4099, picklistValues: entries(values), ...options });
}

function entries(values: string[]): PicklistEntry[] {
  return values.map((v) => ({ value: v.replace(/^\*/, ''), defaultValue: v.startsWith('*') }));
}

export function lookup(name: string, referenceTo: string[], options: FieldOptions = {}): FieldDefinition {
  const relationshipName = name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
  return field(name, 'reference', { length: 18, referenceTo, relationshipName, ...options });
}

export const readOnly: FieldOptions = { createable: false, updateable: false };
export const required: FieldOptions = { nillable: false };

/** Id, owner and audit fields every object carries (reference 7). */
export function systemFields(options: { owner: boolean }): FieldDefinition[] {
  const audit = { ...readOnly, nillable: false, defaultedOnCreate: true };
  const fields = [
    field('Id', 'id', { ...audit, length: 18, label: 'Record ID' }),
    bool('IsDeleted', { ...audit, excludedFromChangeEvents: true }),
    datetime('CreatedDate', audit),
    lookup('CreatedById', ['User'], audit),
    datetime('LastModifiedDate', audit),
    lookup('LastModifiedById', ['User'], audit),
    datetime('SystemModstamp', { ...audit, excludedFromChangeEvents: true }),
  ];
  if (options.owner) {
    fields.push(lookup('OwnerId', ['User'], { nillable: false, defaultedOnCreate: true, label: 'Owner ID' }));
  }
  return fields;
}

/** FirstName/LastName/Salutation, which change events nest under the compound `Name`. */
export function personName(): FieldDefinition[] {
  const component = (c: string) => ({ compound: { field: 'Name', component: c } });
  return [
    picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'], { length: 40, ...component('Salutation') }),
    text('FirstName', 40, component('FirstName')),
    text('LastName', 80, { ...required, ...component('LastName') }),
    text('Name', 121, { ...readOnly, nillable: false, calculated: true, nameField: true, excludedFromChangeEvents: true }),
  ];
}

/** Street/City/... fields under a compound address (`BillingAddress.City` in change events). */
export function address(prefix: string, compoundName: string): FieldDefinition[] {
  const component = (c: string) => ({ compound: { field: compoundName, component: c } });
  return [
    textArea(`${prefix}Street`, 255, component('Street')),
    text(`${prefix}City`, 40, component('City')),
    text(`${prefix}State`, 80, component('State')),
    text(`${prefix}PostalCode`, 20, component('PostalCode')),
    text(`${prefix}Country`, 80, component('Country')),
  ];
}

export function defineObject(
  base: Omit<ObjectDefinition, 'createable' | 'updateable' | 'deletable' | 'custom'> &
    Partial<Pick<ObjectDefinition, 'createable' | 'updateable' | 'deletable'>>,
): ObjectDefinition {
  return {
    createable: true,
    updateable: true,
    deletable: true,
    custom: base.name.endsWith('__c'),
    ...base,
  };
}
