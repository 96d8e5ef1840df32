import type { DuplicateMatch } from './salesforce.error';
import type { SalesforceApiErrorBody } from './to-salesforce-error';

/**
 * The matched record ids of a DUPLICATES_DETECTED error (addendum 6.2): `duplicateResut` (sic) in
 * real REST responses, `duplicateResult` in other captures and the SOAP type; both are read.
 * `matchResults[].matchRecords[].record.Id`. Undefined when the error names no duplicate result
 * (sObject Collections may give only `statusCode` and `message`).
 */
export function duplicateMatchOf(errors: readonly SalesforceApiErrorBody[]): DuplicateMatch | undefined {
  for (const error of errors) {
    const code = error.errorCode ?? error.statusCode;
    const raw = error.duplicateResut ?? error.duplicateResult;
    if (code !== 'DUPLICATES_DETECTED' || !isObject(raw)) continue;
    const recordIds: string[] = [];
    for (const result of Array.isArray(raw.matchResults) ? raw.matchResults : []) {
      if (!isObject(result) || !Array.isArray(result.matchRecords)) continue;
      for (const match of result.matchRecords) {
        const id = isObject(match) && isObject(match.record) ? match.record.Id : undefined;
        if (typeof id === 'string' && id !== '' && !recordIds.includes(id)) recordIds.push(id);
      }
    }
    return { rule: typeof raw.duplicateRule === 'string' ? raw.duplicateRule : null, allowSave: raw.allowSave === true, recordIds };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
