import type { WriteOptions } from './salesforce.port';

/** `Sforce-Duplicate-Rule-Header: allowSave=true` when the object allows duplicates (REST, API 52.0+). */
export function duplicateRuleHeaders(options: WriteOptions | undefined): Record<string, string> {
  return options?.allowDuplicates ? { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } : {};
}
