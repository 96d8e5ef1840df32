import { FieldDefinition, numericPrecision } from './field-definition';
import { SchemaRegistry, SObjectSchema } from './schema-registry';

/** DescribeSObjectResult / DescribeGlobalResult in the REST shape (reference 2.2). */
export function describeGlobal(registry: SchemaRegistry, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: registry.all().map((s) => ({
      ...objectSummary(s),
      urls: objectUrls(s, version),
    })),
  };
}

export function describeObject(
  schema: SObjectSchema,
  registry: SchemaRegistry,
  version: string,
): Record<string, unknown> {
  return {
    ...objectSummary(schema),
    fields: schema.fields.map(describeField),
    childRelationships: childRelationships(schema, registry),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: objectUrls(schema, version),
  };
}

function objectSummary(s: SObjectSchema): Record<string, unknown> {
  const d = s.definition;
  return {
    activateable: false,
    createable: d.createable,
    custom: d.custom,
    customSetting: false,
    deletable: d.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: d.keyPrefix,
    label: d.label,
    labelPlural: d.labelPlural,
    layoutable: true,
    mergeable: d.name === 'Lead' || d.name === 'Contact' || d.name === 'Account',
    mruEnabled: true,
    name: d.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: d.deletable,
    updateable: d.updateable,
  };
}

function objectUrls(s: SObjectSchema, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${s.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function describeField(f: FieldDefinition): Record<string, unknown> {
  const numeric = f.type === 'currency' || f.type === 'double' || f.type === 'percent';
  return {
    autoNumber: false,
    byteLength: f.length * 3,
    calculated: f.calculated,
    caseSensitive: false,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.defaultValue ?? (f.type === 'boolean' && f.createable ? false : null),
    defaultedOnCreate: f.defaultedOnCreate,
    digits: f.type === 'int' ? numericPrecision(f).precision : 0,
    externalId: f.externalId,
    filterable: f.type !== 'textarea' || f.length <= 255,
    groupable: f.type !== 'textarea' && !numeric,
    idLookup: f.type === 'id' || f.externalId || f.unique,
    label: f.label,
    length: f.length,
    name: f.name,
    nameField: f.nameField,
    nillable: f.nillable,
    permissionable: f.custom,
    picklistValues: f.picklistValues.map((p) => ({
      active: true,
      defaultValue: p.defaultValue,
      label: p.value,
      validFor: null,
      value: p.value,
    })),
    precision: numeric ? numericPrecision(f).precision : 0,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedPicklist: f.restrictedPicklist,
    scale: numeric ? numericPrecision(f).scale : 0,
    soapType: soapType(f),
    sortable: f.type !== 'textarea' || f.length <= 255,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
  };
}

function soapType(f: FieldDefinition): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
      return 'xsd:int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    default:
      return 'xsd:string';
  }
}

function childRelationships(schema: SObjectSchema, registry: SchemaRegistry): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const child of registry.all()) {
    for (const f of child.fields) {
      if (f.type !== 'reference' || !f.referenceTo.includes(schema.name)) continue;
      if (f.name === 'CreatedById' || f.name === 'LastModifiedById') continue;
      out.push({
        cascadeDelete: false,
        childSObject: child.name,
        field: f.name,
        relationshipName: child.name === 'Task' ? 'Tasks' : child.definition.labelPlural.replace(/\s/g, ''),
      });
    }
  }
  return out;
}
