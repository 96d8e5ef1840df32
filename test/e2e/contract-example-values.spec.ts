import path from 'node:path';
import { parseMapping, validateAgainstLive, type Mapping } from '../../src/mapping';
import { readFileSync } from 'node:fs';
import { ACCOUNT_USERS } from '@crm-sync/sandbox';
import { statusSettings } from '@crm-sync/sandbox';
import { isRejectedValue, listDeadLetters, retryDeadLetter } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

/**
 * The contract's own example mapping (interface.md section 2, no phoneCountry anywhere) against the
 * emulators, whose monday account is a US account: phones reach monday with a country, invalid ones
 * are dead letters naming record, field and value, and a padded name makes one write and no loop.
 */
const FIXTURE = path.join(__dirname, '../fixtures/contract-example-mapping.yaml');
const BOARD = 1234567890;

/**
 * The file as written names Account.AccountId, which no Salesforce Account has (start-up refuses it:
 * checked below); the run drops that one entry and keeps everything else exactly as written.
 */
function runnableMapping(): Mapping {
  const mapping = parseMapping(readFileSync(FIXTURE, 'utf8'), { file: FIXTURE });
  return { ...mapping, objects: mapping.objects.map((o) => ({ ...o, fields: o.fields.filter((f) => f.salesforce !== 'AccountId') })) };
}

describe('the contract example mapping with ordinary org data', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment({
      mapping: runnableMapping(),
      beforeStart: (sandbox) => {
        sandbox.monday.control.seedBoard({
          id: BOARD, name: 'Accounts (contract example)', ownerId: ACCOUNT_USERS[1]!.id,
          groups: [{ id: 'topics', title: 'Accounts' }],
          columns: [
            { id: 'text_sfid', title: 'Salesforce Id', type: 'text' },
            { id: 'status_industry', title: 'Industry', type: 'status', settings: { ...statusSettings({ 0: 'Tech', 1: 'Healthcare', 2: 'Education' }, []) } },
            { id: 'phone_main', title: 'Phone', type: 'phone' },
            { id: 'board_relation_acct', title: 'Parent', type: 'board_relation' },
            { id: 'people_owner', title: 'Owner', type: 'people' },
          ],
        });
      },
    });
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const itemFor = (id: string) =>
    expectEventually(() => {
      const found = md().listItems(BOARD).find((i) => JSON.stringify(i.values.text_sfid ?? '').includes(id));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
  const phoneCell = async (itemId: number) => {
    const cell = (await env.monday.itemsByIds([String(itemId)]))[0]?.columnValues.find((c) => c.id === 'phone_main');
    return cell?.value ? (JSON.parse(cell.value) as { phone: string; countryShortName: string }) : null;
  };

  it('as written, start-up refuses only the Account.AccountId entry (no Account has that field)', () => {
    const mapping = parseMapping(readFileSync(FIXTURE, 'utf8'), { file: FIXTURE });
    expect(mapping.objects[0]!.fields.some((f) => f.phoneCountry !== undefined)).toBe(false);
    const live = env.engine.context.mapping;
    const errors = validateAgainstLive(mapping, {
      mondayBoards: live.objects.map((o) => o.board),
      salesforceObjects: live.objects.map((o) => o.salesforce),
      mondayAccount: { countryCode: 'US' },
    }).filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.code} ${p.path}`)).toEqual(['UNKNOWN_FIELD objects.account.fields[2].salesforce']);
  });

  it('a national US number and an E.164 number reach monday with country US, with no phoneCountry set', async () => {
    const national = sf().createAsHuman('Account', { Name: 'Golden Gate Tutors', Phone: '(415) 555-0101' }) as { id: string };
    const e164 = sf().createAsHuman('Account', { Name: 'Capitol Readers', Phone: '+12025557000' }) as { id: string };
    const [first, second] = [await itemFor(national.id), await itemFor(e164.id)];
    await expectEventually(async () => expect(await phoneCell(first.id)).toMatchObject({ phone: '+14155550101', countryShortName: 'US' }), { timeoutMs: 10_000 });
    await expectEventually(async () => expect(await phoneCell(second.id)).toMatchObject({ phone: '+12025557000', countryShortName: 'US' }), { timeoutMs: 10_000 });
    // monday's E.164 echo equals Salesforce's national spelling: Salesforce is never written back
    await env.sandbox.monday.control.waitForWebhooks();
    await env.engine.outbox.dispatcher.idle();
    expect(sf().getRecord(national.id)?.Phone).toBe('(415) 555-0101');
    const { rows } = await env.db.pool.query<{ kind: string }>(
      `SELECT o.kind FROM outbox o JOIN sync_records r ON r.id = o.record_id WHERE r.salesforce_id = ANY($1) AND o.target = 'salesforce'`,
      [[national.id, e164.id]],
    );
    expect(rows).toEqual([]);
  });

  it('"call me maybe" in a Salesforce Phone is a dead letter naming the record, the field and the value; monday keeps its number', async () => {
    const { id } = sf().createAsHuman('Account', { Name: 'Maybe Tomorrow Ltd', Phone: '+12025557001' }) as { id: string };
    const item = await itemFor(id);
    await expectEventually(async () => expect(await phoneCell(item.id)).toMatchObject({ phone: '+12025557001' }), { timeoutMs: 10_000 });

    sf().updateAsHuman('Account', id, { Phone: 'call me maybe' });
    const dead = await expectEventually(async () => {
      const { rows } = await env.db.pool.query<{ reason: string; detail: { invalidValues: Record<string, string> }; salesforce_id: string }>(
        `SELECT d.reason, d.detail, r.salesforce_id FROM sync_decisions d JOIN sync_records r ON r.id = d.record_id
         WHERE d.outcome = 'dead_lettered' AND r.salesforce_id = $1`,
        [id],
      );
      expect(rows).toHaveLength(1);
      return rows[0]!;
    }, { timeoutMs: 20_000 });
    expect(dead.reason).toBe('conversion_failed');
    expect(dead.salesforce_id).toBe(id);
    expect(dead.detail.invalidValues.phone_main).toBe('Phone <-> phone_main: "call me maybe" is not a valid phone number for US; correct it in Salesforce (monday accepts only valid numbers)');
    await env.engine.outbox.dispatcher.idle();
    expect(await phoneCell(item.id)).toMatchObject({ phone: '+12025557001', countryShortName: 'US' });

    // An operator finds it among the dead letters, with the record, field, value and fix; a retry cannot fix it.
    const letters = (await listDeadLetters(env.db.pool, recordKeysByIds)).filter((l) => l.kind === 'sync.rejected_value' && l.record.salesforceId === id);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.command).toMatchObject({ field: 'phone_main', target: 'monday' });
    expect(letters[0]!.error).toMatchObject({ code: 'INVALID_VALUE', message: expect.stringContaining('"call me maybe" is not a valid phone number') });
    expect(letters[0]!.hint).toMatch(/Correct the value/);
    expect(await retryDeadLetter(env.db.pool, letters[0]!.id)).toBe(false);
    expect(await isRejectedValue(env.db.pool, letters[0]!.id)).toBe(true);

    // The record's other changes still sync, and make no second dead letter.
    sf().updateAsHuman('Account', id, { Name: 'Maybe Tomorrow Limited' });
    await expectEventually(async () => expect((await env.monday.itemsByIds([String(item.id)]))[0]?.name).toBe('Maybe Tomorrow Limited'), { timeoutMs: 20_000 });
    const again = (await listDeadLetters(env.db.pool, recordKeysByIds)).filter((l) => l.kind === 'sync.rejected_value' && l.record.salesforceId === id);
    expect(again.map((l) => l.id)).toEqual([letters[0]!.id]);
  });

  it('a padded item name makes exactly one Salesforce write, trimmed, and nothing comes back', async () => {
    const item = md().createItem({ boardId: BOARD, name: '  Padded Name Co  ' });
    await env.sandbox.monday.control.waitForWebhooks();
    const id = await expectEventually(async () => {
      const text = (await env.monday.itemsByIds([String(item.id)]))[0]?.columnValues.find((c) => c.id === 'text_sfid')?.text;
      expect(text).toMatch(/^001[A-Za-z0-9]{15}$/);
      return text!;
    }, { timeoutMs: 20_000 });
    expect(sf().getRecord(id)?.Name).toBe('Padded Name Co');
    await env.sandbox.monday.control.waitForWebhooks();
    await env.engine.outbox.dispatcher.idle();
    await env.sandbox.monday.control.waitForWebhooks();
    await env.engine.outbox.dispatcher.idle();

    const { rows } = await env.db.pool.query<{ kind: string; payload: Record<string, unknown> }>(
      `SELECT o.kind, o.payload FROM outbox o JOIN sync_records r ON r.id = o.record_id WHERE r.monday_item_id = $1 ORDER BY o.id`,
      [String(item.id)],
    );
    expect(rows.filter((r) => r.kind.startsWith('salesforce.')).map((r) => r.kind)).toEqual(['salesforce.create']);
    expect(rows.find((r) => r.kind === 'salesforce.create')?.payload.fields).toMatchObject({ Name: 'Padded Name Co' });
    // the Salesforce echo ("Padded Name Co") equals the item's padded name: no rename goes back
    expect(rows.filter((r) => r.kind.startsWith('monday.') && 'name' in r.payload)).toEqual([]);
  });
});
