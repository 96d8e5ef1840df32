/**
 * The emulator's CometD endpoint driven by jsforce 3.10.16 streaming exactly as reference 5.7 wires it.
 */
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import {
  API_VERSION,
  appendChange,
  appendMany,
  settle,
  useStreamingServer,
  VALID_TOKEN,
  waitFor,
  type CdcMessage,
  type FayeClient,
  type FayeMessage,
} from './sandbox-salesforce-streaming.harness';

describe('CometD CDC streaming with jsforce 3.10.16', () => {
  const streaming = useStreamingServer();

  function connection(token = VALID_TOKEN): Connection {
    return new Connection({ instanceUrl: streaming.harness.baseUrl, accessToken: token, version: API_VERSION, logLevel: 'NONE' });
  }

  function createClient(conn: Connection, extensions: unknown[]): FayeClient {
    const client = conn.streaming.createClient(extensions as never) as unknown as FayeClient;
    streaming.clients.push(client);
    return client;
  }

  it('conn.streaming.topic(...).subscribe receives new CDC events (reference 5.7)', async () => {
    const conn = connection();
    const received: CdcMessage[] = [];
    const subscription = conn.streaming.topic('/data/ChangeEvents').subscribe((message: unknown) => received.push(message as CdcMessage));
    const cached = (conn.streaming as unknown as { _fayeClients: Record<string, FayeClient> })._fayeClients;
    streaming.clients.push(cached.pushTopic!);
    expect(await settle(subscription as never)).toEqual({ ok: true });

    const event = appendChange(streaming.harness.log, 'Lead', 'UPDATE', { Status: 'Working - Contacted' });
    await waitFor(() => received.length === 1, 'the event');
    expect(received[0]).toEqual({ schema: 'LeadSchema', payload: event.payload, event: { replayId: event.replayId } });
  });

  it('Replay(channel, storedId) receives exactly the events after the stored id (reference 5.3, 5.7)', async () => {
    const channel = '/data/ChangeEvents';
    const replayIds = appendMany(streaming.harness.log, 'Account', 5);
    const client = createClient(connection(), [new StreamingExtension.AuthFailure(() => undefined), new StreamingExtension.Replay(channel, replayIds[1]!)]);
    const received: number[] = [];
    expect(await settle(client.subscribe(channel, (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    await waitFor(() => received.length === 3, 'the replayed events');
    const live = appendChange(streaming.harness.log, 'Account');
    await waitFor(() => received.length === 4, 'the live event');
    expect(received).toEqual([...replayIds.slice(2), live.replayId]);
  });

  it('Replay(channel, -2) receives every retained event (reference 5.3)', async () => {
    const channel = '/data/LeadChangeEvent';
    appendChange(streaming.harness.log, 'Account');
    const leads = appendMany(streaming.harness.log, 'Lead', 3);
    const client = createClient(connection(), [new StreamingExtension.Replay(channel, -2)]);
    const received: number[] = [];
    expect(await settle(client.subscribe(channel, (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    await waitFor(() => received.length === 3, 'the retained Lead events');
    expect(received).toEqual(leads);
  });

  it('an expired stored id rejects the subscription with the exact 400 error (reference 5.3, 0.7)', async () => {
    const channel = '/data/ChangeEvents';
    const [expired] = appendMany(streaming.harness.log, 'Lead', 2);
    streaming.harness.clock.advance(72 * 3600_000 + 1);
    const client = createClient(connection(), [new StreamingExtension.Replay(channel, expired!)]);
    const outcome = await settle(client.subscribe(channel, () => undefined));
    expect(outcome).toEqual({
      ok: false,
      error: expect.objectContaining({
        message: `400::The replayId {${expired}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      }),
    });
  });

  it('a revoked token reaches the AuthFailure extension as 401::Authentication invalid on connect (reference 5.4, 5.7)', async () => {
    const channel = '/data/ChangeEvents';
    const failures: FayeMessage[] = [];
    const client = createClient(connection(), [new StreamingExtension.AuthFailure((message: FayeMessage) => failures.push(message)), new StreamingExtension.Replay(channel, -1)]);
    const received: number[] = [];
    expect(await settle(client.subscribe(channel, (data) => received.push(data.event.replayId)))).toEqual({ ok: true });

    await waitFor(() => streaming.harness.inFlight() === 1, 'a held connect');
    streaming.harness.tokens.delete(VALID_TOKEN);
    appendChange(streaming.harness.log, 'Lead'); // releases the held connect with the event; the next connect meets the revoked token
    await waitFor(() => failures.length === 1, 'the auth failure callback');

    expect(failures[0]).toMatchObject({ channel: '/meta/connect', error: '401::Authentication invalid', successful: false, advice: { reconnect: 'none' } });
    expect(received).toHaveLength(1);
  });

  it('an invalid token at handshake reaches the AuthFailure extension as 403::Handshake denied (reference 5.4, 5.7)', async () => {
    const failures: FayeMessage[] = [];
    const client = createClient(connection('expired-token'), [new StreamingExtension.AuthFailure((message: FayeMessage) => failures.push(message))]);
    client.subscribe('/data/ChangeEvents', () => undefined);
    await waitFor(() => failures.length === 1, 'the auth failure callback');
    expect(failures[0]).toMatchObject({
      channel: '/meta/handshake',
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      advice: { reconnect: 'none' },
    });
    expect(streaming.harness.control.connectedClients()).toBe(0);
  });

  it('after dropAllClients the jsforce Replay extension resumes from the last delivered id (reference 5.4)', async () => {
    const channel = '/data/ChangeEvents';
    const client = createClient(connection(), [new StreamingExtension.Replay(channel, -1)]);
    const received: number[] = [];
    expect(await settle(client.subscribe(channel, (data) => received.push(data.event.replayId)))).toEqual({ ok: true });
    const before = appendMany(streaming.harness.log, 'Lead', 2);
    await waitFor(() => received.length === 2, 'events before the drop');
    streaming.harness.control.dropAllClients();
    const after = appendMany(streaming.harness.log, 'Lead', 2);
    await waitFor(() => received.length === 4, 'events after the re-handshake');
    expect(received).toEqual([...before, ...after]);
  });
});
