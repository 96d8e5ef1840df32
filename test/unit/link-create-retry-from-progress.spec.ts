import { InMemoryProjection } from '../support/in-memory-projection';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

/**
 * Fault seed 3310 (issue 20): an item created at stage MOU was created in Salesforce (the create's
 * echo came), then its instance was killed before the outcome was recorded. A person set the new
 * Opportunity to Closed Lost meanwhile (CDC, kept in the record known by its Id). The create's retry
 * found its progress and linked, its link and success timed by the retry's own send, long after the
 * create had landed: both took Salesforce as holding the create's MOU, newer than the person's Closed Lost. monday's
 * late webhooks then moved the stage to Follow-up and back to MOU; MOU looked held in Salesforce, so
 * nothing was sent and Salesforce kept Closed Lost. What was seen of the record our create made,
 * before its link, was seen after the create landed: the link keeps it.
 */
const OPP_BOARD = '9378000526';
const OPP = '006000000000001AAA';
const status = (text: string, index: number) => ({ label: { index, text, style: { color: '#fff' } }, post_id: null });
const stage = (text: string, index: number, at: number) => mondayColumnChanged({ boardId: OPP_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status(text, index), at });

describe('a Salesforce create retried from its progress, linked after a person changed the new record (fault seed 3310)', () => {
  async function linkedAfterPersonsChange() {
    const projection = new InMemoryProjection(exampleResolvedMapping());
    const instance = projection.instance();
    const [create] = await projection.handle([itemSnapshot(OPP_BOARD, '501', 'Deal', { stage: 'MOU' }, 1_000)], instance);
    expect(create).toMatchObject({ kind: 'salesforce.create', fields: expect.objectContaining({ StageName: 'MOU' }) });
    // The create landed at 1.3 s (its echo), and a person set Closed Lost at 2 s; the instance died first.
    await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'MOU' }, at: 1_300, origin: 'own_echo' })], instance);
    await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, fields: { StageName: 'Closed Lost' }, at: 2_000 })], instance);
    // The retry, sent at 5 s, found the Id in its progress: the link carries the create's values.
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: '501', via: 'created_salesforce_record', values: { __name__: 'Deal', stage: 'MOU' }, at: 5_100, sentAt: 5_000 });
    const recordId = projection.record('opportunity', '501')?.id as number;
    const createSucceeded = recorded({
      type: 'system.command_succeeded',
      source: 'system',
      sourceEventId: 'command:28:2',
      stream: `salesforce:Opportunity:${OPP}`,
      origin: 'unknown',
      occurredAt: new Date(5_100),
      payload: { commandId: 28, kind: 'salesforce.create', target: 'salesforce', recordId, written: { __name__: 'Deal', stage: 'MOU' }, result: { salesforceId: OPP }, sentAt: 5_000 },
    });
    const linkCommands = await projection.handle([link, createSucceeded], instance);
    return { projection, instance, linkCommands };
  }

  it("keeps the person's Closed Lost as what Salesforce holds, and sends it to monday", async () => {
    const { projection, linkCommands } = await linkedAfterPersonsChange();
    expect(projection.record('opportunity', '501')?.fields.stage).toMatchObject({ agreed: 'Closed Lost', salesforce: { value: 'Closed Lost', at: 2_000 } });
    expect(linkCommands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', values: expect.objectContaining({ stage: 'Closed Lost' }) })]);
  });

  it("monday's later change back to MOU is sent to Salesforce, which holds Closed Lost", async () => {
    const { projection, instance } = await linkedAfterPersonsChange();
    // Late webhooks: Closed Lost on monday too (already agreed), then Follow-up, then MOU.
    expect(await projection.handle([stage('Closed Lost', 2, 1_900)], instance)).toEqual([]);
    expect(await projection.handle([stage('Follow-up', 0, 3_000)], instance)).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Follow-up' } })]);
    expect(await projection.handle([stage('MOU', 1, 4_000)], instance)).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
  });
});
