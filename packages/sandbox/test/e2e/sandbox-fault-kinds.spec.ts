import { GraphQLClient } from 'graphql-request';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator } from '../../src/monday';
import { DOCS, eventually, WebhookReceiver } from './sandbox-monday-support';
import { appendChange, disconnect, newFayeClient, startStreamingServer, waitFor, type CdcMessage, type StreamingHarness } from './sandbox-salesforce-streaming.harness';

/** The fault kinds the fault campaign (issue 20) added to the emulators. */
describe('monday emulator: lost responses and many-fold duplicate webhooks', () => {
  let em: MondayEmulator;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    em = await startMondayEmulator({ seed: 'demo' });
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await receiver.close();
    await em.close();
  });

  it('lost_response applies the mutation, answers nothing, and an Idempotency-Key retry gets the cached answer', async () => {
    em.control.addFault({ kind: 'lost_response', count: 1, operation: 'create_item' });
    const send = () =>
      fetch(em.url, {
        method: 'POST',
        headers: { authorization: em.apiToken, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body: JSON.stringify({ query: DOCS.createItem, variables: { board: String(DEMO_BOARDS.leads.id), name: 'Lost answer' } }),
      });
    await expect(send()).rejects.toThrow();
    expect(em.control.listItems(DEMO_BOARDS.leads.id).filter((i) => i.name === 'Lost answer')).toHaveLength(1);
    const retry = await send();
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(em.control.listItems(DEMO_BOARDS.leads.id).filter((i) => i.name === 'Lost answer')).toHaveLength(1);
  });

  it('duplicate_webhook with copies sends the same delivery that many extra times', async () => {
    const client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken } });
    await client.request(DOCS.createWebhook, { board: String(DEMO_BOARDS.leads.id), url: receiver.url, event: 'create_item' });
    em.control.addFault({ kind: 'duplicate_webhook', count: 1, copies: 7 });
    await client.request(DOCS.createItem, { board: String(DEMO_BOARDS.leads.id), name: 'Eightfold' });
    await eventually(() => receiver.events('create_pulse').length === 8);
    expect(new Set(receiver.events('create_pulse').map((e) => e.triggerUuid)).size).toBe(1);
  });
});

describe('CometD emulator: redelivery and reordering across channels', () => {
  let harness: StreamingHarness;
  beforeEach(async () => {
    harness = await startStreamingServer({ holdMs: 60_000, clientIdleTimeoutMs: 40_000 });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('redeliver sends the last events again; a held channel is delivered after a later event of another channel', async () => {
    const client = newFayeClient(harness.cometdUrl);
    const received: Array<[string, number]> = [];
    const listen = (channel: string) => client.subscribe(channel, (m: CdcMessage) => received.push([channel, m.event.replayId]));
    await listen('/data/AccountChangeEvent');
    await listen('/data/LeadChangeEvent');
    try {
      const first = appendChange(harness.log, 'Account').replayId;
      await waitFor(() => received.length === 1, 'the first event');
      harness.control.redeliver(1);
      await waitFor(() => received.length === 2, 'the redelivery');
      expect(received).toEqual([['/data/AccountChangeEvent', first], ['/data/AccountChangeEvent', first]]);

      harness.control.holdChannel('/data/AccountChangeEvent', 300);
      const account = appendChange(harness.log, 'Account').replayId;
      const lead = appendChange(harness.log, 'Lead').replayId;
      await waitFor(() => received.length === 4, 'both events');
      expect(received.slice(2)).toEqual([['/data/LeadChangeEvent', lead], ['/data/AccountChangeEvent', account]]);
    } finally {
      await disconnect(client);
    }
  });
});
