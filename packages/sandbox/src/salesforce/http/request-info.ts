import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { SalesforceApiError } from '../errors';
import { WriteContext } from '../store/transaction';

/** What the hooks learned about an API request (user, version, caller's client id). */
export interface RequestInfo {
  userId: string;
  apiVersion: string;
  client: string | null;
  /** Set by a commit_then_drop fault: destroy the connection instead of answering. */
  dropResponse: boolean;
}

const infos = new WeakMap<IncomingMessage, RequestInfo>();

export function setRequestInfo(request: FastifyRequest, info: RequestInfo): void {
  infos.set(request.raw, info);
}

export function requestInfo(request: FastifyRequest): RequestInfo {
  const info = infos.get(request.raw);
  if (!info) throw SalesforceApiError.of(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  return info;
}

export function peekRequestInfo(request: FastifyRequest): RequestInfo | undefined {
  return infos.get(request.raw);
}

/** `client` from `Sforce-Call-Options` (docs separate options with `; `, jsforce with `, `: accept both). */
export function callOptionsClient(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  for (const part of value.split(/[;,]/)) {
    const [k, v] = part.split('=');
    if (k?.trim().toLowerCase() === 'client' && v !== undefined) return v.trim();
  }
  return null;
}

/** changeOrigin for a write through an API (reference 5.6). */
export function apiChangeOrigin(api: 'rest' | 'soap' | 'bulkapi', version: string, client: string | null): string {
  return `com/salesforce/api/${api}/${version}${client ? `;client=${client}` : ''}`;
}

export function restWriteContext(request: FastifyRequest, api: 'rest' | 'bulkapi' = 'rest'): WriteContext {
  const info = requestInfo(request);
  return {
    userId: info.userId,
    changeOrigin: apiChangeOrigin(api, info.apiVersion, info.client),
    client: info.client,
    duplicateRules: { allowSave: duplicateRuleAllowSave(request.headers['sforce-duplicate-rule-header']), apiVersion: info.apiVersion },
  };
}

/** `Sforce-Duplicate-Rule-Header: allowSave=true; ...` (the docs' Japanese copy uses `,`: accept both). */
export function duplicateRuleAllowSave(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  return value.split(/[;,]/).some((part) => {
    const [k, v] = part.split('=');
    return k?.trim().toLowerCase() === 'allowsave' && v?.trim().toLowerCase() === 'true';
  });
}

/** `v62.0` -> `62.0`, or null when the segment is not an API version. */
export function parseVersionSegment(segment: string | undefined): string | null {
  const m = /^v(\d{2,3}\.\d)$/.exec(segment ?? '');
  return m ? (m[1] as string) : null;
}
