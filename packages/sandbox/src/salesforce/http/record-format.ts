import { SObjectSchema } from '../schema/schema-registry';
import { SObjectRecord } from '../store/record-store';

/** A record as REST returns it: `attributes` first, then the fields (all, or the requested ones). */
export function restRecord(
  schema: SObjectSchema,
  record: SObjectRecord,
  version: string,
  fields?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributesOf(schema, record.Id as string, version) };
  if (fields) {
    for (const name of fields) {
      const f = schema.field(name);
      if (f) out[f.name] = record[f.name] ?? null;
    }
    out.Id = record.Id; // Salesforce always answers the Id of the record read
  } else {
    for (const f of schema.fields) out[f.name] = record[f.name] ?? null;
  }
  return out;
}

export function attributesOf(schema: SObjectSchema, id: string, version: string): { type: string; url: string } {
  return { type: schema.name, url: `/services/data/v${version}/sobjects/${schema.name}/${id}` };
}
