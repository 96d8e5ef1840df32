import { listCdcPositions, type CdcChannelPosition } from '../ingest/salesforce/cdc-positions';
import { checkpointStatus, countEventsAfter, newestEvent } from '../event-store/log-status';
import type { Queryable } from '../event-store/queryable';
import { listDeadLetters, type DeadLetter } from '../outbox/dead-letters';
import { recordKeysByIds } from '../sync-projector/record-keys';
import { SYNC_PROJECTOR } from '../sync-projector/sync-projector';

// The console reads each table through its owner (docs/architecture.md "Who owns which table").
export { discardDeadLetter } from '../outbox/discard-dead-letter';
export { ENCRYPTED_NAME_SCAN, recordFields, searchKindOf, searchRecords, type RecordMatch, type SearchKind } from '../sync-projector/record-search';
export { usageSamples, type UsageSample } from '../alerts/api-usage-history';

export interface PipelineLag {
  newestPosition: number | null;
  newestRecordedAt: Date | null;
  checkpointPosition: number | null;
  checkpointUpdatedAt: Date | null;
  /** Events after the projector's checkpoint (capped at 100,000). */
  eventsBehind: number;
  cdcChannels: CdcChannelPosition[];
}

export async function pipelineLag(db: Queryable): Promise<PipelineLag> {
  const newest = await newestEvent(db);
  const checkpoint = await checkpointStatus(db, SYNC_PROJECTOR);
  const eventsBehind = await countEventsAfter(db, checkpoint?.position ?? 0, 100_000);
  const cdcChannels = await listCdcPositions(db);
  return {
    newestPosition: newest?.position ?? null,
    newestRecordedAt: newest?.recordedAt ?? null,
    checkpointPosition: checkpoint?.position ?? null,
    checkpointUpdatedAt: checkpoint?.updatedAt ?? null,
    eventsBehind,
    cdcChannels,
  };
}

export interface DeadLetterFilter {
  objectKey?: string;
  code?: string;
}

/** Dead letters matching the filter (the first 1,000 dead letters are searched). */
export async function findDeadLetters(db: Queryable, filter: DeadLetterFilter): Promise<DeadLetter[]> {
  const all = await listDeadLetters(db, recordKeysByIds, { limit: 1000 });
  return all.filter((d) => (!filter.objectKey || d.record.objectKey === filter.objectKey) && (!filter.code || errorCodeOf(d) === filter.code));
}

export function errorCodeOf(letter: DeadLetter): string {
  return typeof letter.error?.code === 'string' ? letter.error.code : 'UNKNOWN';
}
