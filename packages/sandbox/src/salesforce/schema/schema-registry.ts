import { FieldDefinition, ObjectDefinition } from './field-definition';
import { account } from './objects/account';
import { contact } from './objects/contact';
import { grant } from './objects/grant';
import { lead } from './objects/lead';
import { opportunity } from './objects/opportunity';
import { task } from './objects/task';
import { user } from './objects/user';

/** An object definition with the case-insensitive lookups every request needs (kept O(1)). */
export class SObjectSchema {
  readonly name: string;
  readonly keyPrefix: string;
  private readonly byLowerName = new Map<string, FieldDefinition>();
  private readonly byRelationship = new Map<string, FieldDefinition>();
  readonly requiredOnCreate: FieldDefinition[];
  readonly externalIdFields: FieldDefinition[];
  readonly nameField: FieldDefinition;

  constructor(readonly definition: ObjectDefinition) {
    this.name = definition.name;
    this.keyPrefix = definition.keyPrefix;
    for (const f of definition.fields) {
      this.byLowerName.set(f.name.toLowerCase(), f);
      if (f.relationshipName) this.byRelationship.set(f.relationshipName.toLowerCase(), f);
    }
    this.requiredOnCreate = definition.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate);
    this.externalIdFields = definition.fields.filter((f) => f.externalId || f.type === 'id');
    const nameField = definition.fields.find((f) => f.nameField);
    if (!nameField) throw new Error(`${definition.name} has no name field`);
    this.nameField = nameField;
  }

  get fields(): FieldDefinition[] {
    return this.definition.fields;
  }

  field(name: string): FieldDefinition | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  relationship(name: string): FieldDefinition | undefined {
    return this.byRelationship.get(name.toLowerCase());
  }
}

export class SchemaRegistry {
  private readonly byLowerName = new Map<string, SObjectSchema>();
  private readonly byPrefix = new Map<string, SObjectSchema>();

  constructor(definitions: ObjectDefinition[] = DEFAULT_OBJECTS) {
    for (const d of definitions) {
      const schema = new SObjectSchema(d);
      this.byLowerName.set(d.name.toLowerCase(), schema);
      this.byPrefix.set(d.keyPrefix, schema);
    }
  }

  get(name: string): SObjectSchema | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  byKeyPrefix(id: string): SObjectSchema | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  all(): SObjectSchema[] {
    return [...this.byLowerName.values()];
  }
}

export const DEFAULT_OBJECTS: ObjectDefinition[] = [account, contact, lead, opportunity, task, user, grant];
