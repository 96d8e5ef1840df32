import type { ClaimedCommand } from '../../src/outbox/claim';
import { commandFailedEvent, commandSucceededEvent } from '../../src/outbox/result-events';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';

const claimedOf = (command: OutboxCommand): ClaimedCommand => ({ id: 7, recordId: 3, command, causedBy: 1, attempts: 1, dispatch: 1, progress: null, lastError: null, createdAt: new Date(0) });
const update: OutboxCommand = { kind: 'salesforce.update', target: 'salesforce', objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: '006000000000001AAA', fields: { StageName: 'Quote' }, values: { stage: 'Quote' }, seq: 4 };

/** Issue 16: the dispatcher copies a command's number into its outcome, which the projector reads. */
describe('outcome events carry the command number', () => {
  it("a succeeded or failed update's event repeats its seq", () => {
    expect(commandSucceededEvent(claimedOf(update), { stage: 'Quote' }, undefined, new Date(2), new Date(1)).payload).toMatchObject({ seq: 4, commandId: 7 });
    expect(commandFailedEvent(claimedOf(update), { code: 'TRANSIENT', message: 'x' }, false, new Date(2)).payload).toMatchObject({ seq: 4, deadLettered: false });
  });

  it('a command without a number (a create, or one written before numbering) gives an event without one', () => {
    const { seq: _seq, ...unnumbered } = update as OutboxCommand & { seq: number };
    expect(commandSucceededEvent(claimedOf(unnumbered as OutboxCommand), {}, undefined, new Date(2), new Date(1)).payload).not.toHaveProperty('seq');
  });
});
