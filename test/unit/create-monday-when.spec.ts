import type { Mapping, ObjectMapping } from '../../src/mapping';
import { loadMapping } from '../../src/mapping';
import { snapshotEvent } from '../../src/migration/backfill-snapshot-events';
import { findObjectDrift, type ObjectReading } from '../../src/migration/reconcile-compare';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { resolveMapping } from '../../src/mapping/resolved-mapping';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { recorded, salesforceChanged } from '../support/sync-events';

const OPP_ID = '006000000000001AAA';
const OTHER_ID = '006000000000002AAA';

/** The example mapping with seed 001's rule: an opportunity gets an item only once it is Closed Won. */
function closedWonOnly(): Mapping {
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const objects = mapping.objects.map((o): ObjectMapping =>
    o.key === 'opportunity' ? { ...o, create: { ...o.create, monday: { enabled: true, when: { column: 'stage', in: ['Closed Won'] } } } } : o,
  );
  return { ...mapping, objects };
}

describe('create.monday.when (issue 14: validated, then ignored)', () => {
  const resolved = resolveMapping(closedWonOnly(), sandboxSchemas());
  const context: SyncContext = { mapping: resolved, links: new LinkIndex(), users: new EmailUserDirectory() };

  it('real time: a new opportunity gets no item until a later change makes it Closed Won; the item then carries every value seen meanwhile', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Harbor Grant', StageName: 'Follow-up', CloseDate: '2027-03-01', Amount: 100 }, at: 1_000 }), context);
    expect(created.commands).toEqual([]);
    expect(created.outcome).toMatchObject({ outcome: 'skipped', reason: 'condition_false' });

    const edited = decide(created.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { Amount: 250 }, at: 2_000 }), context);
    expect(edited.commands).toEqual([]);

    const won = decide(edited.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Closed Won' }, at: 3_000 }), context);
    expect(won.commands).toEqual([
      expect.objectContaining({ kind: 'monday.create_item', salesforceId: OPP_ID, name: 'Harbor Grant', columnValues: expect.objectContaining({ stage: { label: 'Closed Won' }, amount: '250', salesforce_id: OPP_ID }) }),
    ]);
    expect((won.record as SyncRecord).creating).toBe('monday');
  });

  it('backfill: only the Closed Won snapshots create items', () => {
    const snapshot = (id: string, stage: string) =>
      recorded(snapshotEvent('Opportunity', { Id: id, Name: `Deal ${id}`, StageName: stage, CloseDate: '2027-03-01', SystemModstamp: '2026-01-01T10:00:00.000Z' }, 'backfill'));
    expect(decide(null, snapshot(OPP_ID, 'Follow-up'), context).outcome).toMatchObject({ outcome: 'skipped', reason: 'condition_false' });
    expect(decide(null, snapshot(OTHER_ID, 'Closed Won'), context).commands).toEqual([expect.objectContaining({ kind: 'monday.create_item', salesforceId: OTHER_ID })]);
  });

  it('a converted Lead\'s opportunity always gets its item (the conversion asks for it)', () => {
    const event = recorded({
      ...snapshotEvent('Opportunity', { Id: OPP_ID, Name: 'Converted', StageName: 'Follow-up', CloseDate: '2027-03-01', SystemModstamp: '2026-01-01T10:00:00.000Z' }, 'backfill'),
      type: 'salesforce.record_snapshot',
      source: 'salesforce',
    } as never);
    const withReason = { ...event, payload: { ...(event.payload as object), reason: 'lead_conversion' } } as typeof event;
    expect(decide(null, withReason, context).commands).toEqual([expect.objectContaining({ kind: 'monday.create_item' })]);
  });

  it('reconcile: a record the condition keeps off monday is no drift; a Closed Won one without an item is', () => {
    const reading: ObjectReading = {
      object: resolved.byKey.get('opportunity') as ObjectReading['object'],
      records: [
        { Id: OPP_ID, Name: 'Open deal', StageName: 'Follow-up' },
        { Id: OTHER_ID, Name: 'Won deal', StageName: 'Closed Won' },
      ],
      inScope: () => true,
      items: [],
      removedItems: [],
      removedRecords: [],
      syncRecords: [],
      deadCreates: new Map(),
    };
    const found = findObjectDrift(reading, context);
    expect(found.report.drifts).toEqual([expect.objectContaining({ kind: 'missing_on_monday', salesforceId: OTHER_ID })]);
  });
});
