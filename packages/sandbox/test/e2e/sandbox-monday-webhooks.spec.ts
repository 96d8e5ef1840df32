/**
 * Webhooks (reference 7): the challenge at create_webhook (7.2), the JWT in Authorization (7.3), the
 * payload shapes per event (7.4, 7.5), the acting user's id (7.7), retries with isRetry (7.6), and the
 * delivery controls (pause, dropped and duplicated deliveries).
 */
import jwt from 'jsonwebtoken';
import { GraphQLClient, ClientError } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { ScaledClock } from '../../src/clock';
import { DOCS, eventually, WebhookReceiver } from './sandbox-monday-support';

const OPP = DEMO_BOARDS.opportunities;
const BOARD = String(OPP.id);
const SECRET = 'test-signing-secret';

describe('monday emulator webhooks', () => {
  let em: MondayEmulator;
  let receiver: WebhookReceiver;
  let client: GraphQLClient;
  let human: number;

  const subscribe = async (event: string, config?: unknown): Promise<string> => {
    const r = await client.request<{ create_webhook: { id: string } }>(DOCS.createWebhook, {
      board: BOARD,
      url: receiver.url,
      event,
      config: config === undefined ? undefined : JSON.stringify(config),
    });
    return r.create_webhook.id;
  };

  beforeEach(async () => {
    em = await startMondayEmulator({ seed: 'demo', signingSecret: SECRET, clock: new ScaledClock(1) });
    receiver = await new WebhookReceiver().start();
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken } });
    human = em.control.humanUsers()[1].id;
  });
  afterEach(async () => {
    await em.close();
    await receiver.close();
  });

  it('create_webhook posts the challenge first and stores the webhook only when it is echoed (7.2)', async () => {
    const id = await subscribe('create_item');
    expect(receiver.received[0].body).toEqual({ challenge: expect.any(String) });
    const listed = await client.request<{ webhooks: Array<{ id: string; event: string }> }>(DOCS.webhooks, { board: BOARD });
    expect(listed.webhooks).toEqual([expect.objectContaining({ id, event: 'create_item', board_id: BOARD })]);

    receiver.echoChallenge = false;
    const error = (await subscribe('change_name').catch((e: unknown) => e)) as ClientError;
    expect(error.response.errors?.[0]).toMatchObject({ message: 'Failed to communicate with URL provided.' });
    expect(em.control.webhooks()).toHaveLength(1);
  });

  it('create_item delivers create_pulse with empty columnValues, a JWT verifiable with the signing secret and the token user id (7.3, 7.5, 7.7)', async () => {
    const subscriptionId = await subscribe('create_item');
    const created = await client.request<{ create_item: { id: string } }>(DOCS.createItem, {
      board: BOARD,
      name: 'Webhook item',
      cv: JSON.stringify({ stage: { label: 'Quote' }, amount: '10' }),
    });
    const [hook] = await eventually(() => receiver.received.some((r) => r.body.event) && receiver.received.filter((r) => r.body.event));
    const claims = jwt.verify(String(hook.headers.authorization), SECRET, { audience: receiver.url }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ userId: em.integrationUserId, accountId: expect.any(Number), aud: receiver.url });
    expect(hook.body.event).toEqual({
      app: 'monday',
      type: 'create_pulse',
      triggerTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      subscriptionId: Number(subscriptionId),
      isRetry: false,
      userId: em.integrationUserId,
      originalTriggerUuid: null,
      boardId: OPP.id,
      pulseId: Number(created.create_item.id),
      pulseName: 'Webhook item',
      groupId: 'topics',
      groupName: 'Open pipeline',
      groupColor: expect.any(String),
      isTopGroup: true,
      columnValues: {},
      triggerUuid: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('a status change delivers update_column_value with the internal label shape and previousValue (7.5)', async () => {
    await subscribe('change_column_value');
    const item = em.control.listItems(OPP.id).find((i) => i.name.startsWith('Lumen'));
    if (!item) throw new Error('demo item missing');
    await client.request(DOCS.changeMultiple, { board: BOARD, item: String(item.id), cv: JSON.stringify({ stage: { label: 'Quote' } }) });
    const [event] = await eventually(() => receiver.events('update_column_value').length > 0 && receiver.events('update_column_value'));
    expect(event).toMatchObject({
      columnId: 'stage',
      columnType: 'color',
      columnTitle: 'Stage',
      pulseId: item.id,
      pulseName: item.name,
      groupId: 'topics',
      value: { label: { index: 3, text: 'Quote', style: { color: '#007eb5', border: '#3db0df', var_name: 'blue-links' }, is_done: false }, post_id: null },
      previousValue: { label: { index: 0, text: 'Follow-up' }, post_id: null },
      changedAt: expect.any(Number),
      isTopGroup: true,
    });
  });

  it('a human edit through the control API fires with that human user id, relations with linkedPulseIds (7.5, 7.7)', async () => {
    await subscribe('change_specific_column_value', { columnId: 'account' });
    const item = em.control.listItems(OPP.id)[0];
    const account = em.control.listItems(DEMO_BOARDS.accounts.id)[2];
    em.control.linkItems({ itemId: item.id, columnId: 'account', linkedItemIds: [account.id], asUserId: human });
    em.control.changeColumnValues({ itemId: item.id, columnValues: { amount: '5' }, asUserId: human });
    const [event] = await eventually(() => receiver.events('update_column_value').length > 0 && receiver.events('update_column_value'));
    expect(event).toMatchObject({ userId: human, columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: account.id }] } });
    await em.control.waitForWebhooks();
    expect(receiver.events('update_column_value')).toHaveLength(1);
  });

  it('text, people and date changes carry their internal value shapes (7.5)', async () => {
    await subscribe('change_column_value');
    const item = em.control.listItems(OPP.id)[3];
    em.control.changeColumnValues({
      itemId: item.id,
      columnValues: { next_step: 'Call back', owner: { personsAndTeams: [{ id: human, kind: 'person' }] }, close_date: { date: '2027-01-05' } },
      asUserId: human,
    });
    const events = await eventually(() => (receiver.events('update_column_value').length === 3 ? receiver.events('update_column_value') : false));
    const byColumn = Object.fromEntries(events.map((e) => [e.columnId, e]));
    expect(byColumn.next_step).toMatchObject({ columnType: 'text', value: { value: 'Call back' }, previousValue: null });
    expect(byColumn.owner).toMatchObject({ columnType: 'multiple-person', value: { personsAndTeams: [{ id: human, kind: 'person' }], changed_at: expect.any(String) } });
    expect(byColumn.close_date).toMatchObject({ columnType: 'date', value: { date: '2027-01-05', icon: null, time: null } });
  });

  it('changedAt is epoch seconds to the microsecond, later for each change even within one millisecond (7.5)', async () => {
    await subscribe('change_column_value');
    const item = em.control.listItems(OPP.id)[3];
    for (const text of ['One', 'Two', 'Three']) em.control.changeColumnValues({ itemId: item.id, columnValues: { next_step: text }, asUserId: human });
    const events = await eventually(() => (receiver.events('update_column_value').length === 3 ? receiver.events('update_column_value') : false));
    const stamps = ['One', 'Two', 'Three'].map((text) => events.find((e) => (e.value as { value: string }).value === text)?.changedAt as number);
    expect(stamps[0]).toBeLessThan(stamps[1]);
    expect(stamps[1]).toBeLessThan(stamps[2]);
    for (const stamp of stamps) expect(Math.round(stamp * 1e6) / 1e6).toBe(stamp);
    expect(Math.abs(stamps[0] * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('rename, archive, delete, restore, move and updates deliver update_name, archive_pulse, delete_pulse, restore_pulse, move_pulse_into_group, create_update (7.4, 7.5)', async () => {
    for (const event of ['change_name', 'item_archived', 'item_deleted', 'item_restored', 'item_moved_to_any_group', 'create_update']) await subscribe(event);
    const [first, second] = em.control.listItems(OPP.id);
    const originalName = first.name;
    await client.request(DOCS.changeSimple, { board: BOARD, item: String(first.id), column: 'name', value: 'Renamed deal' });
    await client.request(DOCS.archiveItem, { item: String(second.id) });
    em.control.restoreItem({ itemId: second.id, asUserId: human });
    await client.request(DOCS.moveItem, { item: String(second.id), group: 'closed' });
    await client.request(DOCS.createUpdate, { item: String(second.id), body: '<p>Called the <b>client</b></p>' });
    await client.request(DOCS.deleteItem, { item: String(first.id) });
    await eventually(() => receiver.events().length === 6);
    expect(receiver.events('update_name')[0]).toMatchObject({ pulseId: first.id, value: { name: 'Renamed deal' }, previousValue: { name: originalName } });
    expect(receiver.events('archive_pulse')[0]).toMatchObject({ itemId: second.id, itemName: second.name, boardId: OPP.id });
    expect(receiver.events('restore_pulse')[0]).toMatchObject({ userId: human, value: { state: 1, is_undo: true }, previousValue: { state: 2 }, itemId: second.id });
    expect(receiver.events('move_pulse_into_group')[0]).toMatchObject({
      pulseId: second.id,
      sourceGroupId: 'topics',
      destGroupId: 'closed',
      destGroup: { id: 'closed', title: 'Closed', is_top_group: false },
    });
    expect(receiver.events('create_update')[0]).toMatchObject({ body: '<p>Called the <b>client</b></p>', textBody: 'Called the client', updateId: expect.any(Number), replyId: null });
    expect(receiver.events('delete_pulse')[0]).toMatchObject({ itemId: first.id, itemName: 'Renamed deal', userId: em.integrationUserId });
  });

  it('a failed delivery is retried once per emulated minute with isRetry true and the same triggerUuid (7.6)', async () => {
    await subscribe('create_item');
    let calls = 0;
    receiver.respond = () => (++calls === 1 ? 500 : 200);
    await client.request(DOCS.createItem, { board: BOARD, name: 'Retry me' });
    await eventually(() => receiver.events().length === 1);
    await eventually(() => em.control.webhookStats().pendingRetries === 1);
    em.control.advanceClock(60_000);
    const [first, retry] = await eventually(() => (receiver.events().length === 2 ? receiver.events() : false));
    expect(first.isRetry).toBe(false);
    expect(retry).toMatchObject({ isRetry: true, triggerUuid: first.triggerUuid, type: 'create_pulse' });
  });

  it('retries stop after 30 emulated minutes of failures (7.6)', async () => {
    await subscribe('create_item');
    receiver.respond = () => 503;
    await client.request(DOCS.createItem, { board: BOARD, name: 'Never accepted' });
    for (let minute = 1; minute <= 32; minute++) {
      await eventually(() => em.control.webhookStats().inFlight === 0 && em.control.webhookStats().queued === 0);
      em.control.advanceClock(60_000);
    }
    await eventually(() => em.control.webhookStats().gaveUp === 1);
    expect(receiver.events()).toHaveLength(31);
    expect(em.control.webhookStats().pendingRetries).toBe(0);
  });

  it('retryWebhooksNow retries a failed delivery at once without moving the clock (7.6)', async () => {
    await subscribe('create_item');
    let calls = 0;
    receiver.respond = () => (++calls === 1 ? 500 : 200);
    await client.request(DOCS.createItem, { board: BOARD, name: 'Retry now' });
    await eventually(() => em.control.webhookStats().pendingRetries === 1 && em.control.webhookStats().inFlight === 0);
    const clock = em.control.now();
    em.control.retryWebhooksNow();
    await eventually(() => em.control.webhookStats().delivered === 1);
    const [first, retry] = receiver.events();
    expect(retry).toMatchObject({ isRetry: true, triggerUuid: first.triggerUuid });
    // No jump: only the real milliseconds of the test passed on the emulated clock (scale 1).
    expect(em.control.now() - clock).toBeLessThan(60_000);
  });

  it('exhaustWebhookRetries runs a refused delivery through its 30 retries and gives up, without moving the clock (7.6)', async () => {
    await subscribe('create_item');
    receiver.respond = () => 503;
    await client.request(DOCS.createItem, { board: BOARD, name: 'Outage' });
    await eventually(() => em.control.webhookStats().pendingRetries === 1 && em.control.webhookStats().inFlight === 0);
    const clock = em.control.now();
    await em.control.exhaustWebhookRetries();
    expect(receiver.events()).toHaveLength(31);
    expect(receiver.events().slice(1).every((e) => e.isRetry === true)).toBe(true);
    expect(em.control.webhookStats()).toMatchObject({ gaveUp: 1, pendingRetries: 0, queued: 0, inFlight: 0 });
    expect(em.control.webhookDeliveries().filter((d) => d.outcome === 'gave_up')).toEqual([expect.objectContaining({ attempt: 31, status: 503 })]);
    expect(em.control.now() - clock).toBeLessThan(60_000);
  });

  it('exhaustWebhookRetries delivers what the receiver accepts again and leaves nothing pending', async () => {
    await subscribe('create_item');
    let calls = 0;
    receiver.respond = () => (++calls <= 3 ? 500 : 200);
    await client.request(DOCS.createItem, { board: BOARD, name: 'Back after three' });
    await eventually(() => em.control.webhookStats().pendingRetries === 1 && em.control.webhookStats().inFlight === 0);
    await em.control.exhaustWebhookRetries();
    expect(em.control.webhookStats()).toMatchObject({ delivered: 1, gaveUp: 0, pendingRetries: 0 });
    expect(receiver.events()).toHaveLength(4);
  });

  it('paused delivery queues events and resume sends them; dropped and duplicated delivery faults apply', async () => {
    await subscribe('create_item');
    em.control.pauseWebhooks();
    await client.request(DOCS.createItem, { board: BOARD, name: 'While paused' });
    await em.control.waitForWebhooks();
    expect(receiver.events()).toHaveLength(0);
    em.control.resumeWebhooks();
    await eventually(() => receiver.events().length === 1);

    em.control.addFault({ kind: 'drop_webhook', count: 1 });
    em.control.addFault({ kind: 'duplicate_webhook', count: 1 });
    await client.request(DOCS.createItem, { board: BOARD, name: 'Dropped' });
    await client.request(DOCS.createItem, { board: BOARD, name: 'Duplicated' });
    await eventually(() => receiver.events().length === 3);
    const names = receiver.events().map((e) => e.pulseName);
    expect(names).toEqual(['While paused', 'Duplicated', 'Duplicated']);
    expect(new Set(receiver.events().slice(1).map((e) => e.triggerUuid)).size).toBe(1);
    expect(em.control.webhookStats().dropped).toBe(1);
  });
});
