import type { Queryable } from '../../event-store';

/** Bodies kept for audit are capped: a rejected 1 MiB body is evidence, not data we need whole. */
export const REJECTED_BODY_CAP = 64 * 1024;

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

export interface Rejection {
  source: 'monday';
  reason: string;
  headers: Record<string, unknown>;
  body: string;
}

export async function recordRejection(db: Queryable, rejection: Rejection): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries(rejection.headers).filter(([name]) => !SECRET_HEADERS.has(name.toLowerCase())),
  );
  const truncated = rejection.body.length > REJECTED_BODY_CAP;
  await db.query('INSERT INTO ingest_rejections (source, reason, headers, body, body_truncated) VALUES ($1, $2, $3, $4, $5)', [
    rejection.source,
    rejection.reason,
    JSON.stringify(headers),
    truncated ? rejection.body.slice(0, REJECTED_BODY_CAP) : rejection.body,
    truncated,
  ]);
}
