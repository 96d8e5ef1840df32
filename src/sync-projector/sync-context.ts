import type { RecordLinks, UserDirectory } from '../mapping/converters/converter.types';
import type { ResolvedMapping } from '../mapping/resolved-mapping';

/** Everything `decide` may read besides the record and the event: pure lookups, no I/O. */
export interface SyncContext {
  mapping: ResolvedMapping;
  links: RecordLinks;
  users: UserDirectory;
}
