import pino from 'pino';
import { NAME_KEY } from '../../src/mapping/resolved-mapping';
import type { SalesforceValue } from '../../src/mapping/converters/converter.types';
import { readLiveContext } from '../../src/migration/read-live-context';
import { runBackfill } from '../../src/migration/backfill.runner';
import type { MondayItem } from '../../src/monday';
import { listDeadLetters, type DeadLetter } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import type { FaultWorld } from '../faults/fault-world';
import { countRemoteWrites, waitForQuiet } from '../faults/fault-quiet';
import {
  LONG_ACCOUNT_NAME, LONG_COMPANY, LONG_LAST_NAME, UNLABELLED_INDUSTRY, UNLABELLED_STAGE,
  seedRealOrgSalesforce, seedRuleCatchableContact, typeOnMonday, type SeededKey, type SeededRecord,
} from '../fixtures/real-org';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

/** The values the target cannot take, by record: each must be a dead letter naming it. */
const EXPECTED_DEAD = { paddedAcme: ['description'], callMeMaybe: ['phone'], longLead: ['description'], unlabelledIndustry: ['(create)'] };

const BOARD_OF = { account: DEMO_BOARDS.accounts.id, contact: DEMO_BOARDS.contacts.id, lead: DEMO_BOARDS.leads.id, opportunity: DEMO_BOARDS.opportunities.id } as const;

/**
 * Issue 14's "real org": national and international phones, padded strings, unicode names, e-mails
 * with `+`, texts at the limits, a picklist value no label maps, a duplicate rule, a merge. Through a
 * backfill and then real-time edits on both sides: every value lands or is a dead letter naming its
 * record, field and cause; the idle system stays idle; no record has two items, no item two records.
 */
describe('a real org through backfill and real time', () => {
  let env: SyncEnvironment;
  let seeded: Record<SeededKey, SeededRecord>;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  /** The sync's quiet check of the fault campaign, over this in-process service. */
  const quietWorld = () =>
    ({ pool: env.db.pool, databaseUrl: env.db.url, sandbox: env.sandbox, salesforce: env.salesforce, monday: env.monday, mapping: env.mapping, logs: env.logs, context: async () => env.engine.context }) as unknown as FaultWorld;
  const quiet = () => waitForQuiet(quietWorld(), 40_000);
  const activeItemsOf = (record: SeededRecord) =>
    md().listItems(BOARD_OF[record.objectKey]).filter((i) => i.state === 'active' && JSON.stringify(i.values.salesforce_id?.data ?? '') === JSON.stringify(record.id));
  const lettersFor = (letters: DeadLetter[], salesforceId: string) => letters.filter((l) => l.record.salesforceId === salesforceId);

  /**
   * Each mapped field of each record, read on both sides and compared through the mapping's
   * converters; a field that differs must be named by a dead letter of that record. Returns the
   * fields that neither landed nor were dead-lettered, and the dead-lettered fields by record key.
   */
  async function account(records: SeededRecord[]): Promise<{ lost: string[]; dead: Record<string, string[]> }> {
    const context = env.engine.context;
    const letters = await listDeadLetters(env.db.pool, recordKeysByIds);
    const lost: string[] = [];
    const dead: Record<string, string[]> = {};
    for (const record of records) {
      const own = lettersFor(letters, record.id);
      for (const letter of own) {
        // Every dead letter names its record, its field (or the refused column) and its cause.
        expect(letter.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        expect(letter.hint).toEqual(expect.any(String));
      }
      const items = activeItemsOf(record);
      expect(items.length).toBeLessThanOrEqual(1);
      if (items.length === 0) {
        const create = own.find((l) => l.kind === 'monday.create_item');
        if (create) dead[record.key] = ['(create)'];
        else lost.push(`${record.key}: no item and no dead letter`);
        continue;
      }
      const [item] = (await env.monday.itemsByIds([String(items[0]!.id)])) as MondayItem[];
      const values = sf().getRecord(record.id)!;
      for (const field of context.mapping.byKey.get(record.objectKey)?.fields ?? []) {
        if (field.salesforceFields.length !== 1) continue;
        const salesforceValue = (values[field.salesforceFields[0]!] ?? null) as SalesforceValue;
        const shown = field.converter.toMonday(salesforceValue, context);
        if (shown.kind === 'unresolved' && shown.reason === 'unknown_user') continue;
        const column = item!.columnValues.find((c) => c.id === field.key);
        const read =
          field.key === NAME_KEY
            ? ({ kind: 'value', value: item!.name } as const)
            : field.converter.fromMondayApi({ value: column?.value ?? null, text: column?.text ?? null, linkedItemIds: column && 'linkedItemIds' in column ? column.linkedItemIds : undefined }, context);
        if (read.kind === 'value' && field.converter.equals(salesforceValue, read.value)) continue;
        const naming = own.filter((l) => l.command.field === field.key || JSON.stringify(l.error).includes(field.key) || JSON.stringify(l.error).includes(field.salesforceFields[0]!));
        if (naming.length > 0) (dead[record.key] ??= []).push(field.key);
        else lost.push(`${record.key}.${field.key}: Salesforce ${JSON.stringify(salesforceValue)?.slice(0, 60)} vs monday ${JSON.stringify(read)?.slice(0, 120)}`);
      }
    }
    return { lost, dead };
  }

  /** No Salesforce Id on two live items of a board, no item linked to two Salesforce records. */
  async function duplicates(): Promise<string[]> {
    const problems: string[] = [];
    for (const [objectKey, board] of Object.entries(BOARD_OF)) {
      const seen = new Map<string, number[]>();
      for (const item of md().listItems(board).filter((i) => i.state === 'active')) {
        const id = item.values.salesforce_id?.data;
        if (typeof id === 'string' && id !== '') seen.set(id, [...(seen.get(id) ?? []), item.id]);
      }
      for (const [id, items] of seen) if (items.length > 1) problems.push(`${objectKey} ${id} on items ${items.join(', ')}`);
    }
    const { rows } = await env.db.pool.query<{ key: string; n: number }>(
      `SELECT 'item ' || monday_item_id AS key, count(DISTINCT salesforce_id)::int AS n FROM sync_records WHERE monday_item_id IS NOT NULL AND salesforce_id IS NOT NULL GROUP BY monday_item_id HAVING count(DISTINCT salesforce_id) > 1
       UNION ALL
       SELECT 'record ' || salesforce_id, count(DISTINCT monday_item_id)::int FROM sync_records WHERE monday_item_id IS NOT NULL AND salesforce_id IS NOT NULL GROUP BY salesforce_id HAVING count(DISTINCT monday_item_id) > 1`,
    );
    return [...problems, ...rows.map((r) => `${r.key} has ${r.n} counterparts`)];
  }

  it('backfill: every value lands on monday or is a dead letter naming record, field and cause', async () => {
    const since = new Date(sf().now() - 1_000).toISOString();
    seeded = seedRealOrgSalesforce(sf());
    const live = await readLiveContext(env.mapping, env.salesforce, env.monday);
    const summary = await runBackfill(
      { pool: env.db.pool, databaseUrl: env.db.url, salesforce: env.salesforce, monday: env.monday, logger: pino({ level: 'silent' }), mapping: env.mapping, live },
      { since },
    );
    expect(summary.pipeline).toBe('service');
    await quiet();

    const { lost, dead } = await account(Object.values(seeded));
    expect(lost).toEqual([]);
    expect(dead).toEqual(EXPECTED_DEAD);
    const letters = await listDeadLetters(env.db.pool, recordKeysByIds);
    const [tooLong] = lettersFor(letters, seeded.paddedAcme.id);
    expect(tooLong).toMatchObject({ kind: 'sync.rejected_value', command: { field: 'description', target: 'monday' }, error: { code: 'INVALID_VALUE' } });
    expect(String(tooLong!.error!.message)).toMatch(/^Description <-> description: .* is longer than the 2000 characters a long text column holds$/);
    expect(lettersFor(letters, seeded.callMeMaybe.id)[0]!.error).toMatchObject({ message: expect.stringContaining('"call me maybe" is not a valid phone number') });
    // monday refuses the whole create for a dropdown label it lacks; the letter names the column, the value and the fix.
    const [refused] = lettersFor(letters, seeded.unlabelledIndustry.id);
    expect(refused).toMatchObject({ kind: 'monday.create_item', error: { code: 'VALIDATION', field: 'industry', value: UNLABELLED_INDUSTRY } });
    expect(refused!.hint).toContain(`add '${UNLABELLED_INDUSTRY}' to the values map of objects.account.fields[1] or enable createLabelsIfMissing`);

    // Values at the limits, padded and unicode ones landed as Salesforce holds them.
    const name = (record: SeededRecord) => activeItemsOf(record)[0]?.name;
    expect(name(seeded.longName)).toBe(LONG_ACCOUNT_NAME);
    expect(name(seeded.longLead)).toBe(LONG_COMPANY);
    expect(name(seeded.paddedAcme)).toBe('Acme');
    expect(name(seeded.paddedLead)).toBe('Padded Co');
    expect(activeItemsOf(seeded.longLead)[0]?.values.last_name?.data).toBe(LONG_LAST_NAME);
    expect(name(seeded.liContact)).toBe('雷 李');
    // The stage column had no label for the stage: createLabelsIfMissing made it.
    const [opportunity] = await env.monday.itemsByIds([String(activeItemsOf(seeded.newStageOpportunity)[0]!.id)]);
    expect(opportunity!.columnValues.find((c) => c.id === 'stage')?.text).toBe(UNLABELLED_STAGE);
    expect(await duplicates()).toEqual([]);
  }, 60_000);

  it('real time on both sides: padded rename, phone formats, a duplicate rule, unicode items, a merge; then idle stays idle', async () => {
    const acmeItem = activeItemsOf(seeded.paddedAcme)[0]!;
    const winnerItem = activeItemsOf(seeded.mergeWinner)[0]!;
    const loserItem = activeItemsOf(seeded.mergeLoser)[0]!;
    const loserContactItem = activeItemsOf(seeded.mergeLoserContact)[0]!;
    expect(JSON.stringify(md().getItem(loserContactItem.id)?.values.account ?? null)).toContain(String(loserItem.id));
    const changeLog = () => {
      const events = env.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
      if (events === 'invalid') throw new Error('change event log unreadable');
      return events;
    };
    const lastReplayId = Math.max(0, ...changeLog().map((e) => e.replayId));

    md().renameItem({ itemId: acmeItem.id, name: '  Acme Renamed  ' });
    sf().updateAsHuman('Account', seeded.berlinFoundation.id, { Phone: '+49 30 901829' });
    sf().updateAsHuman('Account', seeded.londonAnalytics.id, { Phone: '+442079460000' });
    sf().updateAsHuman('Contact', seeded.liContact.id, { Phone: '+1 415-555-0188' });
    sf().updateAsHuman('Account', seeded.callMeMaybe.id, { Phone: 'ask for Bob' });
    const ruleCatchable = seedRuleCatchableContact(sf());
    const typed = typeOnMonday(md());
    const merged = await fetch(`${env.sandbox.salesforce.url}/__sandbox/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'Account', masterId: seeded.mergeWinner.id, mergeIds: [seeded.mergeLoser.id] }),
    });
    expect(merged.status).toBe(200);
    await expectEventually(() => expect(md().getItem(loserItem.id)?.state).toBe('archived'), { timeoutMs: 30_000 });
    await quiet();

    // The padded monday name is one trimmed Salesforce write, and nothing comes back.
    expect(sf().getRecord(seeded.paddedAcme.id)?.Name).toBe('Acme Renamed');
    const ourWrites = (id: string) => changeLog().filter((e) => e.replayId > lastReplayId && e.payload.ChangeEventHeader.recordIds.includes(id) && e.payload.ChangeEventHeader.changeOrigin.includes('client=crm-sync'));
    expect(ourWrites(seeded.paddedAcme.id)).toHaveLength(1);
    expect(md().getItem(acmeItem.id)?.name).toBe('  Acme Renamed  ');
    // Phone formats: monday's E.164 echo is the same number, so Salesforce keeps its spelling.
    expect(sf().getRecord(seeded.berlinFoundation.id)?.Phone).toBe('+49 30 901829');
    expect(ourWrites(seeded.berlinFoundation.id)).toEqual([]);
    expect(ourWrites(seeded.liContact.id)).toEqual([]);

    // The duplicate rule caught the monday Contact: linked to the existing record, no second one.
    expect(md().getItem(typed.duplicateContactItem)?.values.salesforce_id?.data).toBe(ruleCatchable);
    expect(sf().records('Contact').filter((r) => r.Email === 'nuria+dup@example.org')).toHaveLength(1);
    // The unicode monday Contact became one Salesforce Contact, trimmed, e-mail with +, same number.
    const created = sf().records('Contact').filter((r) => r.Email === 'ingrid+nordic@example.org');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ FirstName: 'Ingrid', LastName: 'Ærøskøbing', MailingCity: 'København' });
    expect(md().getItem(typed.unicodeContactItem)?.values.salesforce_id?.data).toBe(created[0]!.Id);
    const contactPhone = env.engine.context.mapping.byKey.get('contact')!.fields.find((f) => f.key === 'phone')!;
    expect(contactPhone.converter.equals(created[0]!.Phone as SalesforceValue, '+4532123456')).toBe(true);

    // The merge: one item for the winner, the loser's item archived (delete: archive), relations follow.
    expect(md().getItem(winnerItem.id)?.state).toBe('active');
    expect(JSON.stringify(md().getItem(loserContactItem.id)?.values.account ?? null)).toContain(String(winnerItem.id));
    expect(md().listItems(BOARD_OF.account).filter((i) => i.state === 'active' && /Oak Hill/.test(i.name))).toHaveLength(1);

    // Every value of every record (the merge's loser is gone) landed or is a dead letter naming it.
    const live = Object.values(seeded).filter((r) => r.key !== 'mergeLoser');
    const { lost, dead } = await account(live);
    expect(lost).toEqual([]);
    expect(dead).toEqual(EXPECTED_DEAD);
    const bob = lettersFor(await listDeadLetters(env.db.pool, recordKeysByIds), seeded.callMeMaybe.id).map((l) => String(l.error?.message));
    expect(bob).toEqual([expect.stringContaining('"call me maybe"'), expect.stringContaining('"ask for Bob" is not a valid phone number')]);
    expect(await duplicates()).toEqual([]);

    // Zero loops: the idle system stays idle, measured by the emulators' own request logs.
    sf().clearRequests();
    md().clearRequestLog();
    const before = await marker();
    await quiet();
    await quiet();
    expect(await marker()).toEqual(before);
    expect(sf().requests().filter((r) => r.method !== 'GET' && r.path.startsWith('/services/data') && !/\/query/.test(r.path))).toEqual([]);
    expect(md().requestLog().filter((r) => r.operationType === 'mutation')).toEqual([]);
  }, 90_000);

  async function marker(): Promise<unknown> {
    const { rows } = await env.db.pool.query('SELECT (SELECT max(position) FROM events) AS events, (SELECT max(id) FROM outbox) AS commands');
    return { ...rows[0], writes: countRemoteWrites(quietWorld()) };
  }
});
