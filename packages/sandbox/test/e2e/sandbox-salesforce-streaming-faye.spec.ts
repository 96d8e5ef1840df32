/**
 * The emulator's CometD endpoint driven by the real faye 1.4 client, as jsforce uses it underneath.
 */
import {
  appendChange,
  appendMany,
  MultiChannelReplayExtension,
  newFayeClient,
  settle,
  useStreamingServer,
  waitFor,
  type CdcMessage,
  type FayeClient,
} from './sandbox-salesforce-streaming.harness';

describe('CometD CDC streaming with the faye client', () => {
  const streaming = useStreamingServer();

  function client(replayIds?: Map<string, number>): { faye: FayeClient; replay: MultiChannelReplayExtension | null } {
    const faye = newFayeClient(streaming.harness.cometdUrl);
    const replay = replayIds ? new MultiChannelReplayExtension(replayIds) : null;
    if (replay) faye.addExtension(replay);
    streaming.clients.push(faye);
    return { faye, replay };
  }

  it('delivers events appended after subscribing, stamped with the subscribed channel (reference 5.1, 5.2, 5.6)', async () => {
    const { faye } = client();
    const received: Array<{ channel: string; data: CdcMessage }> = [];
    const subscription = faye.subscribe('/data/ChangeEvents').withChannel((channel, data) => received.push({ channel, data }));
    expect(await settle(subscription)).toEqual({ ok: true });

    const before = appendChange(streaming.harness.log, 'Lead', 'UPDATE', { Status: 'Working', Phone: null });
    const after = appendChange(streaming.harness.log, 'Account');
    await waitFor(() => received.length === 2, 'two events');

    expect(received.map((message) => message.channel)).toEqual(['/data/ChangeEvents', '/data/ChangeEvents']);
    expect(received[0]!.data).toEqual({ schema: 'LeadSchema', payload: before.payload, event: { replayId: before.replayId } });
    expect(received[0]!.data.payload).toMatchObject({ Status: 'Working', Phone: null });
    expect(received[1]!.data.event.replayId).toBe(after.replayId);
  });

  it('does not deliver events appended before a subscription without a replay id (-1 default, reference 5.3)', async () => {
    appendMany(streaming.harness.log, 'Lead', 3);
    const { faye } = client();
    const received: CdcMessage[] = [];
    expect(await settle(faye.subscribe('/data/ChangeEvents', (data) => received.push(data)))).toEqual({ ok: true });
    const fresh = appendChange(streaming.harness.log, 'Lead');
    await waitFor(() => received.length >= 1, 'the new event');
    expect(received.map((data) => data.event.replayId)).toEqual([fresh.replayId]);
  });

  it('routes per-object channels, including custom objects as /data/<Name>__ChangeEvent (reference 5.5)', async () => {
    const { faye } = client();
    const leads: CdcMessage[] = [];
    const grants: Array<{ channel: string; entity: string }> = [];
    expect(await settle(faye.subscribe('/data/LeadChangeEvent', (data) => leads.push(data)))).toEqual({ ok: true });
    const grantSubscription = faye
      .subscribe('/data/Grant__ChangeEvent')
      .withChannel((channel, data) => grants.push({ channel, entity: data.payload.ChangeEventHeader.entityName }));
    expect(await settle(grantSubscription)).toEqual({ ok: true });

    appendChange(streaming.harness.log, 'Account');
    const lead = appendChange(streaming.harness.log, 'Lead');
    appendChange(streaming.harness.log, 'Grant__c');
    await waitFor(() => leads.length === 1 && grants.length === 1, 'one Lead and one Grant__c event');

    expect(leads[0]!.event.replayId).toBe(lead.replayId);
    expect(grants).toEqual([{ channel: '/data/Grant__ChangeEvent', entity: 'Grant__c' }]);
  });

  it('replays exactly the events after a stored replay id, then keeps streaming (reference 5.3)', async () => {
    const replayIds = appendMany(streaming.harness.log, 'Lead', 6);
    const { faye } = client(new Map([['/data/LeadChangeEvent', replayIds[2]!]]));
    const received: number[] = [];
    expect(await settle(faye.subscribe('/data/LeadChangeEvent', (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    await waitFor(() => received.length === 3, 'the three later events');
    const live = appendChange(streaming.harness.log, 'Lead');
    await waitFor(() => received.length === 4, 'the live event');
    expect(received).toEqual([...replayIds.slice(3), live.replayId]);
  });

  it('replays every retained event with -2 (reference 5.3)', async () => {
    const replayIds = appendMany(streaming.harness.log, 'Contact', 4);
    const { faye } = client(new Map([['/data/ChangeEvents', -2]]));
    const received: number[] = [];
    expect(await settle(faye.subscribe('/data/ChangeEvents', (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    await waitFor(() => received.length === 4, 'all retained events');
    expect(received).toEqual(replayIds);
  });

  it('rejects an expired replay id with the exact Salesforce error and keeps the client usable (reference 5.3, 0.7)', async () => {
    const [expired] = appendMany(streaming.harness.log, 'Lead', 2);
    streaming.harness.clock.advance(73 * 3600_000);
    const { faye } = client(new Map([['/data/LeadChangeEvent', expired!], ['/data/ChangeEvents', -1]]));

    const outcome = await settle(faye.subscribe('/data/LeadChangeEvent', () => undefined));
    expect(outcome).toEqual({
      ok: false,
      error: expect.objectContaining({
        message: `400::The replayId {${expired}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      }),
    });

    const received: number[] = [];
    expect(await settle(faye.subscribe('/data/ChangeEvents', (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    const fresh = appendChange(streaming.harness.log, 'Lead');
    await waitFor(() => received.length === 1, 'an event on the still-connected client');
    expect(received).toEqual([fresh.replayId]);
  });

  it('rejects a channel that does not exist (reference 5.4)', async () => {
    const { faye } = client();
    const outcome = await settle(faye.subscribe('/data/TaskChangeEvent', () => undefined));
    expect(outcome).toEqual({
      ok: false,
      error: expect.objectContaining({ message: '400::The channel you requested to subscribe to does not exist {/data/TaskChangeEvent}' }),
    });
  });

  it('re-handshakes, resubscribes from the last seen replay id and loses nothing after dropAllClients (reference 5.4)', async () => {
    const { faye, replay } = client(new Map([['/data/ChangeEvents', -1]]));
    const received: number[] = [];
    expect(await settle(faye.subscribe('/data/ChangeEvents', (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    const first = appendMany(streaming.harness.log, 'Lead', 2);
    await waitFor(() => received.length === 2, 'events before the drop');

    streaming.harness.control.dropAllClients();
    const duringOutage = appendMany(streaming.harness.log, 'Lead', 3);
    await waitFor(() => received.length === 5, 'events after the re-handshake');
    const afterwards = appendMany(streaming.harness.log, 'Account', 2);
    await waitFor(() => received.length === 7, 'live events after the re-handshake');

    expect(received).toEqual([...first, ...duringOutage, ...afterwards]);
    expect(replay!.handshakes.filter((message) => message.successful)).toHaveLength(2);
    const resubscribe = replay!.subscribes[replay!.subscribes.length - 1]!;
    expect(resubscribe.ext).toEqual({ replay: { '/data/ChangeEvents': first[1] } });
    expect(streaming.harness.control.connectedClients()).toBe(1);
  });

  it('delivers gap and overflow events with header-only payloads (reference 5.6)', async () => {
    const { faye } = client();
    const received: CdcMessage[] = [];
    expect(await settle(faye.subscribe('/data/LeadChangeEvent', (data) => received.push(data)))).toEqual({ ok: true });

    streaming.harness.control.injectGap('Lead', ['00Q5f000005bwLFEAY', '00Q5f000005bwLGEAY']);
    streaming.harness.control.injectGap('Lead', ['00Q5f000005bwLFEAY'], { changeType: 'GAP_DELETE' });
    streaming.harness.control.injectOverflow('Lead');
    await waitFor(() => received.length === 3, 'three gap events');

    expect(received.map((data) => Object.keys(data.payload))).toEqual([['ChangeEventHeader'], ['ChangeEventHeader'], ['ChangeEventHeader']]);
    expect(received.map((data) => data.payload.ChangeEventHeader.changeType)).toEqual(['GAP_UPDATE', 'GAP_DELETE', 'GAP_OVERFLOW']);
    expect(received[0]!.payload.ChangeEventHeader).toMatchObject({
      entityName: 'Lead',
      recordIds: ['00Q5f000005bwLFEAY', '00Q5f000005bwLGEAY'],
      changeOrigin: '',
      changedFields: [],
    });
    expect(received[2]!.payload.ChangeEventHeader.recordIds).toEqual(['000000000000000AAA']);
  });

  it('delivers a burst of thousands of events in order to one subscriber', async () => {
    const { faye } = client();
    const received: number[] = [];
    expect(await settle(faye.subscribe('/data/ChangeEvents', (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    const replayIds = appendMany(streaming.harness.log, 'Opportunity', 3000);
    await waitFor(() => received.length === 3000, 'the whole burst');
    expect(received).toEqual(replayIds);
  });
});
