import { mondayItemIdOf, type MondayItemEvent } from '../../src/event-store';
import { mondayWebhookToEvent } from '../../src/ingest/monday/monday-webhook.to-event';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { samplePayloads } from '../support/monday-webhooks';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { recorded } from '../support/sync-events';

const LEADS_BOARD = 9378000505;

/** Issue 13, defect 1: each monday event type names its item in its own field (reference 7.4/7.5). */
describe('mondayItemIdOf', () => {
  it.each([
    ['create_pulse', '8409778368'],
    ['update_column_value', '7786784079'],
    ['update_name', '7786784003'],
    ['delete_pulse', '8409778368'],
    ['archive_pulse', '8409778368'],
    ['restore_pulse', '8409778368'],
    ['move_pulse_into_group', '7786784190'],
    ['create_update', '1771812728'],
  ] as const)('reads the item of %s from the field it carries', (sample, itemId) => {
    const event = mondayWebhookToEvent(samplePayloads[sample](), null);
    expect(mondayItemIdOf(event as MondayItemEvent)).toBe(itemId);
    expect(event.stream).toBe(`monday:item:${itemId}`);
  });

  it('deleting and archiving two items the sync never saw tombstones each under its own id', () => {
    const context = { mapping: exampleResolvedMapping(), links: new LinkIndex(), users: new EmailUserDirectory() };
    const removal = (type: 'delete_pulse' | 'archive_pulse', itemId: number) =>
      recorded(mondayWebhookToEvent({ ...samplePayloads[type](), boardId: LEADS_BOARD, itemId }, null));
    const deleted = decide(null, removal('delete_pulse', 9400000001), context);
    const archived = decide(null, removal('archive_pulse', 9400000002), context);
    expect(deleted.record).toMatchObject({ mondayItemId: '9400000001', deleted: { side: 'monday' } });
    expect(archived.record).toMatchObject({ mondayItemId: '9400000002', deleted: { side: 'monday' } });
  });
});
