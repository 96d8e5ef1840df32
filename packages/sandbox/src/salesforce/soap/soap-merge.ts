import { SalesforceOrg } from '../org';
import { MergeRequest, MergeResult } from '../merge/record-merge';
import { xmlElement } from './soap-envelope';
import { XmlElement } from './xml-reader';

/** Requests per `merge()` call (addendum 6.1). */
export const MAX_MERGE_REQUESTS = 200;

const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);

/**
 * A `<request>` (or jsforce's `<mergeRequests>`) element: `masterRecord` with `type`, `Id`, field
 * elements (text, `xsi:nil="true"` for null) and `fieldsToNull`; one `recordToMergeIds` per loser.
 * Field text is typed by the object's schema, as the partner WSDL's xsd types would be.
 */
export function mergeRequestOf(org: SalesforceOrg, element: XmlElement): MergeRequest {
  const master = element.children.find((c) => c.name === 'masterRecord');
  const text = (e: XmlElement | undefined) => e?.text.trim() ?? '';
  const type = text(master?.children.find((c) => c.name === 'type'));
  const schema = org.registry.get(type);
  const fields: Record<string, unknown> = {};
  for (const c of master?.children ?? []) {
    if (c.name === 'type' || c.name === 'Id') continue;
    if (c.name === 'fieldsToNull') {
      fields[text(c)] = null;
      continue;
    }
    if (c.attributes['xsi:nil'] === 'true') {
      fields[c.name] = null;
      continue;
    }
    const fieldType = schema?.field(c.name)?.type;
    const value = c.text.trim();
    fields[c.name] = fieldType === 'boolean' ? value === 'true' : fieldType && NUMERIC.has(fieldType) ? Number(value) : value;
  }
  return {
    masterRecord: { type, Id: text(master?.children.find((c) => c.name === 'Id')), fields },
    recordToMergeIds: element.children.filter((c) => c.name === 'recordToMergeIds').map(text).filter((id) => id !== ''),
  };
}

/** `<result>`: no `<errors>` element on success (jsforce would read an empty one as an error). */
export function mergeResultXml(result: MergeResult): string {
  if (result.success) {
    return xmlElement('result', {
      id: result.id,
      mergedRecordIds: result.mergedRecordIds,
      success: true,
      updatedRelatedIds: result.updatedRelatedIds,
    });
  }
  return xmlElement('result', {
    errors: result.errors.map((e) => ({ fields: e.fields, message: e.message, statusCode: e.errorCode })),
    id: result.id,
    success: false,
  });
}
