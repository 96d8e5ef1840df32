import { BOARDS, cell, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

interface DeadLetter {
  kind: string;
  message: string;
  hint: string;
}

async function deadLetters(world: BackfillWorld): Promise<DeadLetter[]> {
  const { rows } = await world.db.pool.query<DeadLetter>(
    "SELECT kind, last_error->>'message' AS message, last_error->>'hint' AS hint FROM outbox WHERE status = 'dead' ORDER BY id",
  );
  return rows;
}

const emailCell = (email: string) => ({ email, text: email });

describe('crm-sync backfill onto a board that already holds some of the records (match: rules)', () => {
  let world: BackfillWorld;

  beforeAll(async () => {
    world = await startBackfillWorld();
  });
  afterAll(() => world.close());

  it('links items with the same e-mail (any case) instead of creating duplicates, fills their Id column and writes the values', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(10, 'Match', (i) => ({ Email: `Pat.Match${i}@Example.org` })));
    const typedByHand = world.mondayEmulator.control.seedItems(
      BOARDS.lead,
      [0, 1, 2, 3].map((i) => ({ name: `Pat from Match ${i}`, columnValues: { email: emailCell(`pat.match${i}@example.org`), city: 'Somewhere else' } })),
    );
    // Holds another record's Id: it belongs to that record, whatever its e-mail.
    const someoneElses = world.mondayEmulator.control.seedItems(BOARDS.lead, [
      { name: 'Claimed', columnValues: { email: emailCell('pat.match5@example.org'), salesforce_id: '00Q000000000999AAA' } },
    ]);

    const planned = await world.backfill({ object: 'lead', dryRun: true });
    expect(planned.objects[0].dryRun).toMatchObject({ linkExisting: 4, create: 6 });

    const summary = await world.backfill({ object: 'lead' });

    expect(summary.objects[0]).toMatchObject({ status: 'done', read: 10, matched: 4, created: 6, failed: 0 });
    const bySalesforceId = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => bySalesforceId.get(id)?.length === 1)).toHaveLength(10);
    expect([0, 1, 2, 3].map((i) => bySalesforceId.get(leadIds[i])?.[0].id)).toEqual(typedByHand.map((item) => item.id));
    const matched = world.mondayEmulator.control.getItem(typedByHand[2].id);
    expect(matched?.name).toBe('Match Org 2');
    expect(cell(matched!, 'city')).toBe('City 2');
    expect(cell(matched!, 'salesforce_id')).toBe(leadIds[2]);
    expect(bySalesforceId.get(leadIds[5])?.[0].id).not.toBe(someoneElses[0].id);
    expect(cell(world.mondayEmulator.control.getItem(someoneElses[0].id)!, 'salesforce_id')).toBe('00Q000000000999AAA');
    expect(await deadLetters(world)).toEqual([]);
  });

  it('never takes an item the sync links to another record, even when its Id column was cleared', async () => {
    const [first] = world.sf.control.seed(partnerLeads(1, 'Twin', () => ({ Email: 'twin@example.org' })));
    await world.backfill({ object: 'lead' });
    const firstItem = itemsBySalesforceId(world, BOARDS.lead).get(first)?.[0];
    world.mondayEmulator.control.changeColumnValues({ itemId: firstItem!.id, columnValues: { salesforce_id: '' } });
    const [second] = world.sf.control.seed(partnerLeads(1, 'Twin2', () => ({ Email: 'twin@example.org' })));

    const summary = await world.backfill({ object: 'lead' });

    expect(summary.objects[0]).toMatchObject({ matched: 0, created: 1, failed: 0 });
    const secondItem = itemsBySalesforceId(world, BOARDS.lead).get(second)?.[0];
    expect(secondItem?.id).toBeDefined();
    expect(secondItem?.id).not.toBe(firstItem?.id);
  });

  it('matches Accounts by normalised name (the item name), case and spacing aside', async () => {
    const [accountId] = world.sf.control.seed([{ type: 'Account', fields: { Name: 'Riverside  Food Bank', BillingCity: 'Riverside' } }]);
    const [typed] = world.mondayEmulator.control.seedItems(BOARDS.account, [{ name: 'riverside food bank' }]);

    const summary = await world.backfill({ object: 'account' });

    expect(summary.objects[0]).toMatchObject({ matched: 1, failed: 0 });
    const item = world.mondayEmulator.control.getItem(typed.id);
    expect(cell(item!, 'salesforce_id')).toBe(accountId);
    expect(cell(item!, 'billing_city')).toBe('Riverside');
    expect(itemsBySalesforceId(world, BOARDS.account).get(accountId)).toHaveLength(1);
  });

  it('dead-letters an ambiguous match, naming the items and the value, and creates nothing for it', async () => {
    const [leadId] = world.sf.control.seed(partnerLeads(1, 'Ambiguous', () => ({ Email: 'shared@example.org' })));
    const twins = world.mondayEmulator.control.seedItems(BOARDS.lead, [
      { name: 'Shared inbox A', columnValues: { email: emailCell('shared@example.org') } },
      { name: 'Shared inbox B', columnValues: { email: emailCell('shared@example.org') } },
    ]);

    const planned = await world.backfill({ object: 'lead', dryRun: true });
    expect(planned.objects[0].dryRun?.examples).toContainEqual({ kind: 'skipped', salesforceId: leadId, reason: `ambiguous_match (items ${twins[0].id}, ${twins[1].id})` });

    const summary = await world.backfill({ object: 'lead' });

    expect(summary.objects[0]).toMatchObject({ created: 0, matched: 0, failed: 1 });
    expect(itemsBySalesforceId(world, BOARDS.lead).get(leadId)).toBeUndefined();
    const [dead] = await deadLetters(world);
    expect(dead.kind).toBe('monday.create_item');
    expect(dead.message).toContain('ambiguous match');
    expect(dead.message).toContain(`${twins[0].id}, ${twins[1].id}`);
    expect(dead.message).toContain('Email = "shared@example.org"');
    expect(dead.hint).toMatch(/several items of the board/);
  });
});
