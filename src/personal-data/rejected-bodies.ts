/**
 * How the body of a refused webhook (ingest_rejections.body) is sealed: it cannot be read field by
 * field, so with PII_ENCRYPTION_KEY it is encrypted whole, under this associated-data path and the
 * subject below. The ingest seals new bodies with it; `keys encrypt-existing` seals the old ones.
 */
export const REJECTED_BODY_PATH = 'ingest_rejections.body';

/**
 * Whose body it is, when the refused text still names an item (erasing that item then erases it);
 * otherwise one subject per month, so old refusals can be shredded together.
 */
export function rejectionSubject(body: string): string {
  const item = /"(?:pulseId|itemId)"\s*:\s*"?(\d{1,20})/.exec(body);
  return item ? `monday:${item[1]}` : `ingest-rejections:${new Date().toISOString().slice(0, 7)}`;
}
