import type { FieldMapping, Mapping, ObjectMapping } from '../mapping';
import { salesforceFieldsOf } from '../mapping/mapping.types';
import type { SObjectDescribe } from '../salesforce/salesforce.port';
import type { CandidateKind } from './candidate';

/** Which mapped fields of one object the duplicate search reads, by their role. */
export interface ObjectProfile {
  readonly object: ObjectMapping;
  readonly kind: CandidateKind;
  readonly emailFields: readonly FieldMapping[];
  readonly phoneFields: readonly FieldMapping[];
  readonly firstName: FieldMapping | null;
  readonly lastName: FieldMapping | null;
  /** Lead `Company` (a mapped field, or the name field when the item name is the company). */
  readonly companyField: string | null;
  readonly website: FieldMapping | null;
  /** A mapped lookup to the mapped object of Salesforce Account (a Contact's AccountId). */
  readonly organisationRef: { field: FieldMapping; objectKey: string } | null;
  /** Country of national numbers: the first phone field's phoneCountry, else defaults.phoneCountry. */
  readonly phoneCountry: string | undefined;
  /** Every Salesforce field the search reads (SOQL select list). */
  readonly salesforceFields: readonly string[];
}

/**
 * The roles of an object's mapped fields, from the mapping and the object's describe: e-mail and
 * phone fields by their Salesforce type, people by a LastName field, organisations otherwise.
 */
export function objectProfile(mapping: Mapping, object: ObjectMapping, describe: SObjectDescribe): ObjectProfile {
  const typeOf = new Map(describe.fields.map((f) => [f.name, f.type]));
  const single = object.fields.filter((f) => typeof f.salesforce === 'string' && f.reference === undefined);
  const named = (name: string) => single.find((f) => f.salesforce === name) ?? null;
  const emailFields = single.filter((f) => typeOf.get(f.salesforce as string) === 'email');
  const phoneFields = single.filter((f) => typeOf.get(f.salesforce as string) === 'phone');
  const kind: CandidateKind = typeOf.has('LastName') ? 'person' : 'organisation';
  const accountKey = mapping.objects.find((o) => o.salesforce === 'Account')?.key;
  const refField = accountKey ? object.fields.find((f) => f.reference === accountKey && typeof f.salesforce === 'string') : undefined;
  const companyField = kind === 'organisation' ? object.name : typeOf.has('Company') ? 'Company' : null;
  const website = single.find((f) => typeOf.get(f.salesforce as string) === 'url') ?? null;
  const fields = new Set(['Id', 'CreatedDate', object.name, ...object.fields.flatMap((f) => salesforceFieldsOf(f))]);
  for (const name of ['FirstName', 'LastName', companyField]) if (name && typeOf.has(name)) fields.add(name);
  return {
    object,
    kind,
    emailFields,
    phoneFields,
    firstName: named('FirstName'),
    lastName: named('LastName'),
    companyField,
    website,
    organisationRef: refField && accountKey ? { field: refField, objectKey: accountKey } : null,
    phoneCountry: phoneFields.find((f) => f.phoneCountry)?.phoneCountry ?? mapping.defaults?.phoneCountry,
    salesforceFields: [...fields],
  };
}
