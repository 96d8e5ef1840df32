import { findObjectDrift, type ObjectReading } from '../../src/migration/reconcile-compare';
import type { MondayColumnValue, MondayItem } from '../../src/monday/monday.port';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { newRecord, type SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { SObjectRecord } from '../../src/salesforce/salesforce.port';
import { exampleResolvedMapping } from '../support/sandbox-schemas';

const OPP_BOARD = '9378000526';
const LEAD_BOARD = '9378000505';
const OPP_ID = '006000000000001AAA';
const EARLY = '2026-01-01T10:00:00.000Z';
const LATE = '2026-01-01T12:00:00.000Z';

const STAGE_INDEX: Record<string, number> = { 'Follow-up': 0, Quote: 3, MOU: 1 };
const stage = (text: string): MondayColumnValue => ({ id: 'stage', type: 'status', value: JSON.stringify({ index: STAGE_INDEX[text] }), text });
const idColumn = (id: string): MondayColumnValue => ({ id: 'salesforce_id', type: 'text', value: JSON.stringify(id), text: id });

function item(id: string, boardId: string, name: string, columns: MondayColumnValue[], updatedAt = EARLY): MondayItem {
  const defaults: MondayColumnValue[] = boardId === OPP_BOARD ? [{ id: 'probability', type: 'numbers', value: '"10"', text: '10' }] : [];
  const columnValues = [...defaults.filter((d) => !columns.some((c) => c.id === d.id)), ...columns];
  return { id, name, boardId, groupId: 'topics', state: 'active', createdAt: EARLY, updatedAt, columnValues };
}

function opportunity(fields: Record<string, unknown>, lastModified = EARLY): SObjectRecord {
  return { Id: OPP_ID, Name: 'Deal', StageName: 'Follow-up', Probability: 10, LastModifiedDate: lastModified, SystemModstamp: lastModified, ...fields };
}

/** A linked pair whose stage the sync last saw as `seen` on each side, agreed `agreed`. */
function linkedState(agreed: string, seen: { salesforce: string; monday: string }): SyncRecord {
  const record = newRecord('opportunity', OPP_BOARD, { salesforceId: OPP_ID, mondayItemId: '501' });
  record.id = 1;
  record.fields.stage = { agreed, agreedAt: 1, agreedFrom: 'salesforce', salesforce: { value: seen.salesforce, at: 1 }, monday: { value: seen.monday, at: 1 } };
  return record;
}

describe('reconcile comparison (pure)', () => {
  const mapping = exampleResolvedMapping();
  const context: SyncContext = { mapping, links: new LinkIndex(), users: new EmailUserDirectory() };
  const reading = (object: string, parts: Partial<ObjectReading>): ObjectReading => ({
    object: mapping.byKey.get(object) as ObjectReading['object'],
    records: [],
    inScope: () => true,
    items: [],
    removedItems: [],
    removedRecords: [],
    syncRecords: [],
    deadCreates: new Map(),
    ...parts,
  });
  const opportunityDrift = (record: SObjectRecord, mondayItem: MondayItem, sync: SyncRecord) =>
    findObjectDrift(reading('opportunity', { records: [record], items: [mondayItem], syncRecords: [sync] }), context);

  it('the side that changed since the sync last saw it wins, even when the other side was edited later', () => {
    const found = opportunityDrift(opportunity({ StageName: 'Quote' }), item('501', OPP_BOARD, 'Deal', [stage('Follow-up'), idColumn(OPP_ID)], LATE), linkedState('Follow-up', { salesforce: 'Follow-up', monday: 'Follow-up' }));
    expect(found.report.drifts).toEqual([expect.objectContaining({ kind: 'value_differs', column: 'stage', salesforceValue: 'Quote', mondayValue: 'Follow-up', fix: 'salesforce' })]);
    expect(found.corrections).toEqual([{ side: 'salesforce', record: expect.objectContaining({ Id: OPP_ID }), fields: ['StageName'] }]);
  });

  it('when neither side changed unseen, the side holding the agreed value wins (a write that failed is redone)', () => {
    const found = opportunityDrift(opportunity({ StageName: 'Follow-up' }, LATE), item('501', OPP_BOARD, 'Deal', [stage('Quote'), idColumn(OPP_ID)]), linkedState('Quote', { salesforce: 'Follow-up', monday: 'Quote' }));
    expect(found.report.drifts).toEqual([expect.objectContaining({ column: 'stage', fix: 'monday' })]);
    expect(found.corrections).toEqual([{ side: 'monday', item: expect.objectContaining({ id: '501' }), columns: ['stage'] }]);
  });

  it('when both sides changed unseen, the later change wins', () => {
    const sync = linkedState('Follow-up', { salesforce: 'Follow-up', monday: 'Follow-up' });
    const mondayLater = opportunityDrift(opportunity({ StageName: 'Quote' }, EARLY), item('501', OPP_BOARD, 'Deal', [stage('MOU'), idColumn(OPP_ID)], LATE), sync);
    const salesforceLater = opportunityDrift(opportunity({ StageName: 'Quote' }, LATE), item('501', OPP_BOARD, 'Deal', [stage('MOU'), idColumn(OPP_ID)], EARLY), sync);
    expect(mondayLater.report.drifts[0]).toMatchObject({ fix: 'monday' });
    expect(salesforceLater.report.drifts[0]).toMatchObject({ fix: 'salesforce' });
  });

  it('field authority decides before any timestamp', () => {
    const probability: MondayColumnValue = { id: 'probability', type: 'numbers', value: '"90"', text: '90' };
    const found = opportunityDrift(opportunity({}), item('501', OPP_BOARD, 'Deal', [stage('Follow-up'), probability, idColumn(OPP_ID)], LATE), linkedState('Follow-up', { salesforce: 'Follow-up', monday: 'Follow-up' }));
    expect(found.report.drifts).toEqual([expect.objectContaining({ column: 'probability', salesforceValue: 10, mondayValue: 90, fix: 'salesforce' })]);
  });

  it('an item is missing on Salesforce only when the create policy and its condition say it should exist', () => {
    const status = (text: string): MondayColumnValue => ({ id: 'lead_status', type: 'status', value: '{"index":1}', text });
    const found = findObjectDrift(reading('lead', { items: [item('601', LEAD_BOARD, 'Qualified Co', [status('Qualified')]), item('602', LEAD_BOARD, 'New Co', [status('New')])] }), context);
    expect(found.report.drifts).toEqual([expect.objectContaining({ kind: 'missing_on_salesforce', itemId: '601', fix: 'monday' })]);
  });

  it('a Salesforce Id column that names no record, and a link the column contradicts, are both reported', () => {
    const found = findObjectDrift(
      reading('opportunity', {
        records: [opportunity({})],
        items: [item('501', OPP_BOARD, 'Deal', [stage('Follow-up'), idColumn('006000000000777AAA')]), item('502', OPP_BOARD, 'Ghost', [idColumn('006000000000999AAA')])],
        syncRecords: [linkedState('Follow-up', { salesforce: 'Follow-up', monday: 'Follow-up' })],
      }),
      context,
    );
    expect(found.report.drifts).toEqual([
      expect.objectContaining({ kind: 'link_disagrees', itemId: '501', salesforceId: OPP_ID, fix: 'salesforce' }),
      expect.objectContaining({ kind: 'salesforce_id_not_found', itemId: '502', salesforceId: '006000000000999AAA' }),
    ]);
  });

  it('a record whose command is in flight (or whose create waits) is neither compared nor corrected: what either side shows may be half of our write', () => {
    const differing = [opportunity({ StageName: 'Quote' }), item('501', OPP_BOARD, 'Deal', [stage('Follow-up'), idColumn(OPP_ID)], LATE), linkedState('Follow-up', { salesforce: 'Follow-up', monday: 'Follow-up' })] as const;
    const compare = (busy: Set<number>) => findObjectDrift(reading('opportunity', { records: [differing[0]], items: [differing[1]], syncRecords: [differing[2]], busy }), context);
    expect(compare(new Set()).report.drifts).toHaveLength(1);
    const held = compare(new Set([1]));
    expect(held.report.drifts).toEqual([]);
    expect(held.corrections).toEqual([]);

    // Our monday create for a new record is in flight: its item (Id column set, link not recorded) is no drift.
    const creating = newRecord('opportunity', OPP_BOARD, { salesforceId: OPP_ID });
    creating.id = 2;
    creating.creating = 'monday';
    const unlinkedItem = item('777', OPP_BOARD, 'Deal', [stage('Follow-up'), idColumn(OPP_ID)]);
    const read = (busy: Set<number>) => findObjectDrift(reading('opportunity', { records: [opportunity({})], items: [unlinkedItem], syncRecords: [creating], busy }), context);
    expect(read(new Set()).report.drifts).toEqual([expect.objectContaining({ kind: 'not_linked', itemId: '777' })]);
    expect(read(new Set([2])).report.drifts).toEqual([]);
    expect(read(new Set([2])).corrections).toEqual([]);
  });
});
