import type { RecordLinks, UserDirectory } from '../mapping/converters/converter.types';
import type { ResolvedMapping } from '../mapping/resolved-mapping';

/** Everything `decide` may read besides the record and the event: pure lookups, no I/O. */
export interface SyncContext {
  mapping: ResolvedMapping;
  links: RecordLinks;
  users: UserDirectory;
  /**
   * The caller owns the records decide makes for it: a decision changes a record it made in place,
   * its field states too, instead of a private copy (record-ownership.ts). Replay, within a write
   * window; a decision that throws may then leave a record half-changed, so such a caller must
   * discard them (replay starts over, copying).
   */
  ownsRecords?: boolean;
}
