import type { ResolvedMapping } from '../../src/mapping/resolved-mapping';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from './sandbox-schemas';
import { itemSnapshot } from './sync-events';

/** The example mapping with the opportunity's `delete` policy set, as a decision context. */
export function contextWithDeletePolicy(policy: 'delete' | 'archive' | 'none'): SyncContext {
  const mapping: ResolvedMapping = exampleResolvedMapping();
  const opportunity = mapping.byKey.get('opportunity');
  if (!opportunity) throw new Error('the example mapping has no opportunity');
  opportunity.mapping = { ...opportunity.mapping, delete: policy };
  return { mapping, links: new LinkIndex(), users: new EmailUserDirectory() };
}

/** An unknown opportunity item is read (at 1,000 ms) and a Salesforce create decided for it. */
export function creatingFromItem(context: SyncContext, boardId: string, itemId: string, name: string): SyncRecord {
  const read = decide(null, itemSnapshot(boardId, itemId, name, { stage: 'Follow-up' }, 1_000), context);
  expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create' })]);
  return read.record as SyncRecord;
}
