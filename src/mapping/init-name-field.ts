import type { SalesforceFieldSchema, SalesforceObjectSchema } from './live-schema';

export interface NameFieldChoice {
  /** The Salesforce field mirrored into the item name. */
  readonly name: string;
  /** Why this one, when it is not the obvious `Name` (written as a comment next to `name:`). */
  readonly note?: string;
}

const NAME_TYPES = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox'];

/**
 * The field `crm-sync init` mirrors into the item name: Company for Leads (the seed's board lists
 * organisations), an updateable Name, else the read-only Name (one-way) when the board has a column
 * for LastName, else LastName, else a required text field such as Subject.
 * `matched` holds the fields the board's columns already carry.
 */
export function chooseNameField(object: SalesforceObjectSchema, matched: ReadonlySet<string>): NameFieldChoice {
  const field = (name: string): SalesforceFieldSchema | undefined => object.fields.find((f) => f.name === name && NAME_TYPES.includes(f.type));
  const company = field('Company');
  if (object.name === 'Lead' && company) return { name: company.name, note: 'a Lead item is named after the organisation' };
  const name = field('Name');
  if (name?.updateable) return { name: name.name };
  const lastName = field('LastName');
  if (name && lastName && !matched.has(lastName.name)) {
    return { name: lastName.name, note: 'Name is computed by Salesforce; LastName is required to create a record, so the item name carries it' };
  }
  if (name) return { name: name.name, note: `${object.name}.Name is computed by Salesforce, so the item name is one-way (Salesforce -> monday)` };
  for (const candidate of ['Subject', 'Title', 'CaseNumber']) {
    const found = field(candidate);
    if (found) return { name: found.name };
  }
  const required = object.fields.find((f) => NAME_TYPES.includes(f.type) && f.createable && !f.nillable && !f.defaultedOnCreate);
  const fallback = required ?? object.fields.find((f) => NAME_TYPES.includes(f.type) && f.updateable);
  if (fallback) return { name: fallback.name, note: `${object.name} has no Name field; choose the field that names a record` };
  return { name: 'Name', note: `${object.name} has no text field to name items by; choose one` };
}
