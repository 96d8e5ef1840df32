import type { SalesforceCall } from './salesforce-call';
import { asJson } from './salesforce-records';
import { SalesforceError } from './salesforce.error';
import type { MergeInput, MergeOutcome } from './salesforce.port';
import { recordErrorToSalesforceError, type SalesforceApiErrorBody } from './to-salesforce-error';

/**
 * SOAP `merge()` through the jsforce connection's `request` (transport hooks, usage metrics).
 * jsforce's own `soap.merge` wraps the request in `<mergeRequests>`, which the partner WSDL does
 * not name; this sends the WSDL's `<request>` element (addendum 6.1), nulls as `fieldsToNull`.
 */
export async function mergeRecords(call: SalesforceCall, input: MergeInput): Promise<MergeOutcome> {
  const context = { operation: 'merge' as const, object: input.object, recordId: input.masterId };
  if (input.mergeIds.length < 1 || input.mergeIds.length > 2) {
    throw new SalesforceError({ ...context, code: 'VALIDATION', message: `merge takes 1 or 2 records besides the master, got ${input.mergeIds.length}`, fields: ['mergeIds'] });
  }
  return call.run(context, async () => {
    const fields = Object.entries(input.masterFields ?? {}).filter(([name]) => name !== 'Id' && name !== 'attributes');
    const masterRecord =
      element('type', input.object) +
      fields.filter(([, v]) => v === null).map(([name]) => element('fieldsToNull', name)).join('') +
      element('Id', input.masterId) +
      fields.filter(([, v]) => v !== null && v !== undefined).map(([name, v]) => element(name, String(v))).join('');
    const request = `<request><masterRecord>${masterRecord}</masterRecord>${input.mergeIds.map((id) => element('recordToMergeIds', id)).join('')}</request>`;
    const raw = await call.conn.request({
      method: 'POST',
      url: `/services/Soap/u/${call.conn.version}`,
      body: envelope(call.conn.accessToken ?? '', `<merge>${request}</merge>`),
      headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: '""' },
    });
    const response = lookup(raw, [/(^|:)Envelope$/, /(^|:)Body$/, /(^|:)mergeResponse$/]);
    const result = asJson(Array.isArray(response.result) ? response.result[0] : response.result);
    if (result.success !== true && result.success !== 'true') {
      throw recordErrorToSalesforceError(listOf(result.errors) as SalesforceApiErrorBody[], context);
    }
    return {
      masterId: typeof result.id === 'string' ? result.id : input.masterId,
      mergedIds: listOf(result.mergedRecordIds).filter((v): v is string => typeof v === 'string'),
      updatedRelatedIds: listOf(result.updatedRelatedIds).filter((v): v is string => typeof v === 'string'),
    };
  });
}

function envelope(sessionId: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Header xmlns="urn:partner.soap.sforce.com"><SessionHeader>${element('sessionId', sessionId)}</SessionHeader></soapenv:Header>` +
    `<soapenv:Body xmlns="urn:partner.soap.sforce.com">${body}</soapenv:Body></soapenv:Envelope>`
  );
}

function element(name: string, text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<${name}>${escaped}</${name}>`;
}

/** Walks xml2js output by element names (namespace prefixes vary). */
function lookup(value: unknown, path: readonly RegExp[]): Record<string, unknown> {
  let current = asJson(value);
  for (const pattern of path) {
    const key = Object.keys(current).find((k) => pattern.test(k));
    current = asJson(key === undefined ? undefined : current[key]);
  }
  return current;
}

/** XML answers a repeated element as an array and a single one as a value. */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
