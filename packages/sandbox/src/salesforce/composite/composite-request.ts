import { EmulatorContext } from '../context';
import { SalesforceApiError } from '../errors';
import { Transaction } from '../store/transaction';
import { runSubrequest, SubrequestResult } from './composite-subrequest';

const MAX_SUBREQUESTS = 25;
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}/g;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

/**
 * `POST /composite` (reference 3.2): subrequests run in order in one transaction (one change-event
 * transaction, one API call), `@{ref.field}` references substituted from earlier results; with
 * allOrNone a failure rolls everything back and the others answer PROCESSING_HALTED.
 */
export function runComposite(ctx: EmulatorContext, tx: Transaction, raw: unknown): { compositeResponse: unknown[] } {
  const { allOrNone, requests } = parseEnvelope(raw);
  const results = new Map<string, SubrequestResult>();
  const failedRefs = new Set<string>();
  const responses: Array<SubrequestResult & { referenceId: string }> = [];
  let failedAt = -1;
  for (const [index, sub] of requests.entries()) {
    if (failedAt >= 0 && allOrNone) {
      responses.push({ httpStatusCode: 400, body: halted(ROLLED_BACK), httpHeaders: {}, referenceId: sub.referenceId });
      continue;
    }
    const substituted = substitute({ url: sub.url, body: sub.body }, results, failedRefs);
    const result: SubrequestResult =
      'error' in substituted
        ? { httpStatusCode: 400, body: halted(substituted.error), httpHeaders: {} }
        : runSubrequest(ctx, tx, sub.method.toUpperCase(), substituted.url, substituted.body);
    results.set(sub.referenceId, result);
    if (result.httpStatusCode >= 400) {
      failedRefs.add(sub.referenceId);
      if (failedAt < 0) failedAt = index;
    }
    responses.push({ ...result, referenceId: sub.referenceId });
  }
  if (allOrNone && failedAt >= 0) {
    tx.rollback();
    for (const [i, r] of responses.entries()) {
      if (i < failedAt) responses[i] = { httpStatusCode: 400, body: halted(ROLLED_BACK), httpHeaders: {}, referenceId: r.referenceId };
    }
  }
  return { compositeResponse: responses };
}

function parseEnvelope(raw: unknown): { allOrNone: boolean; requests: Subrequest[] } {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!Array.isArray(body.compositeRequest)) {
    throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'compositeRequest must be an array');
  }
  if (body.compositeRequest.length > MAX_SUBREQUESTS) {
    throw SalesforceApiError.of(400, 'LIMIT_EXCEEDED', `Composite Request limit exceeded: ${MAX_SUBREQUESTS} subrequests`);
  }
  const seen = new Set<string>();
  const requests = body.compositeRequest.map((r: unknown) => {
    const s = (r ?? {}) as Partial<Subrequest>;
    if (typeof s.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') {
      throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'Each subrequest needs method, url and referenceId');
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(s.referenceId) || seen.has(s.referenceId)) {
      throw SalesforceApiError.of(400, 'INVALID_INPUT', `Invalid referenceId: ${s.referenceId}`);
    }
    seen.add(s.referenceId);
    return s as Subrequest;
  });
  return { allOrNone: body.allOrNone === true, requests };
}

function substitute(
  input: { url: string; body: unknown },
  results: Map<string, SubrequestResult>,
  failedRefs: Set<string>,
): { url: string; body: unknown } | { error: string } {
  let problem: string | null = null;
  const replace = (text: string, inJson: boolean) =>
    text.replace(REFERENCE, (whole, ref: string, path: string) => {
      const result = results.get(ref);
      if (!result || failedRefs.has(ref)) {
        problem ??= `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ${ref} is invalid or the referenced subrequest failed.`;
        return whole;
      }
      const value = walk(result.body, path);
      if (value === undefined || value === null || typeof value === 'object') {
        problem ??= `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`;
        return whole;
      }
      return inJson ? JSON.stringify(String(value)).slice(1, -1) : String(value);
    });
  const url = replace(input.url, false);
  const body = input.body === undefined ? undefined : JSON.parse(replace(JSON.stringify(input.body), true));
  return problem ? { error: problem } : { url, body };
}

function walk(value: unknown, path: string): unknown {
  let current = value;
  for (const m of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = m[1] ?? Number(m[2]);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
