import type { RecordLinks, UserDirectory } from '../mapping/converters/converter.types';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { SyncRecord } from './sync-record';

/** Everything `decide` may read besides the record and the event: pure lookups, no I/O. */
export interface SyncContext {
  mapping: ResolvedMapping;
  links: RecordLinks;
  users: UserDirectory;
  /**
   * Records the caller owns: a decision changes such a record in place instead of a private copy
   * (writableRecord). Replay owns the versions its current window made; a decision that throws may
   * then leave one half-changed, so such a caller must discard them (replay starts over, copying).
   */
  owns?: (record: SyncRecord) => boolean;
}
