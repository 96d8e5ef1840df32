import type { Queryable } from '../../event-store';
import { activePersonalData } from '../../personal-data/active';
import { REJECTED_BODY_PATH, rejectionSubject } from '../../personal-data/rejected-bodies';
import { storableText } from './monday-webhook.storable';

/** Bodies kept for audit are capped: a rejected 1 MiB body is evidence, not data we need whole. */
export const REJECTED_BODY_CAP = 64 * 1024;

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

export interface Rejection {
  source: 'monday';
  reason: string;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Everything is made storable first (see storableText): the body of a refused webhook is exactly
 * what may hold a raw U+0000, and failing to record the refusal would turn a 400 into a 500.
 */
export async function recordRejection(db: Queryable, rejection: Rejection): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries(rejection.headers)
      .filter(([name]) => !SECRET_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => [storableText(name), storableHeader(value)]),
  );
  const truncated = rejection.body.length > REJECTED_BODY_CAP;
  const body = storableText(truncated ? rejection.body.slice(0, REJECTED_BODY_CAP) : rejection.body);
  // A refused body cannot be read field by field: with PII_ENCRYPTION_KEY it is stored encrypted whole.
  const personalData = activePersonalData();
  const stored = personalData ? await personalData.sealText(rejectionSubject(body), REJECTED_BODY_PATH, body) : body;
  await db.query('INSERT INTO ingest_rejections (source, reason, headers, body, body_truncated) VALUES ($1, $2, $3, $4, $5)', [
    rejection.source,
    storableText(rejection.reason),
    JSON.stringify(headers),
    stored,
    truncated,
  ]);
}

function storableHeader(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableHeader);
  return value;
}
