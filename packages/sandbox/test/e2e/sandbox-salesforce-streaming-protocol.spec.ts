/**
 * The Bayeux wire protocol of the emulator's CometD endpoint, message by message, as Salesforce answers it.
 */
import { request } from 'node:http';
import {
  API_VERSION,
  appendChange,
  appendMany,
  startStreamingServer,
  VALID_TOKEN,
  waitFor,
  type StreamingHarness,
} from './sandbox-salesforce-streaming.harness';

type Message = Record<string, unknown>;

interface Exchange {
  status: number;
  contentType: string | null;
  setCookie: string | null;
  messages: Message[];
}

describe('CometD wire protocol (Salesforce dialect)', () => {
  let harness: StreamingHarness;

  beforeEach(async () => {
    harness = await startStreamingServer({ holdMs: 60_000, clientIdleTimeoutMs: 40_000 });
  });

  afterEach(async () => {
    await harness.close();
  });

  async function post(body: unknown, headers: Record<string, string> = {}, path = `/cometd/${API_VERSION}`): Promise<Exchange> {
    const response = await fetch(`${harness.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `OAuth ${VALID_TOKEN}`, ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      setCookie: response.headers.get('set-cookie'),
      messages: (await response.json()) as Message[],
    };
  }

  async function handshake(): Promise<{ clientId: string; cookie: string }> {
    const reply = await post([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }]);
    return { clientId: String(reply.messages[0]!.clientId), cookie: reply.setCookie!.split(';')[0]! };
  }

  async function subscribedClient(channel: string, replay?: number): Promise<{ clientId: string; cookie: string }> {
    const session = await handshake();
    const ext = replay === undefined ? {} : { ext: { replay: { [channel]: replay } } };
    await post(
      [
        { channel: '/meta/connect', clientId: session.clientId, connectionType: 'long-polling', id: '2', advice: { timeout: 0 } },
        { channel: '/meta/subscribe', clientId: session.clientId, subscription: channel, id: '3', ...ext },
      ],
      { cookie: session.cookie },
    );
    return session;
  }

  it('answers a handshake with long-polling only, the replay extension and a BAYEUX_BROWSER cookie (reference 5.1, 5.2)', async () => {
    const reply = await post([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['websocket', 'long-polling'], id: '1' }]);
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.setCookie).toMatch(/^BAYEUX_BROWSER=[^;]+; Path=\//);
    expect(reply.messages).toEqual([
      {
        ext: { replay: true, 'payload.format': true },
        minimumVersion: '1.0',
        clientId: expect.stringMatching(/^[0-9a-z]{27}$/),
        supportedConnectionTypes: ['long-polling'],
        channel: '/meta/handshake',
        id: '1',
        version: '1.0',
        successful: true,
      },
    ]);
  });

  it('denies a handshake without a valid token with Salesforce failure reasons and reconnect none (reference 5.4)', async () => {
    const invalid = await post([{ channel: '/meta/handshake', version: '1.0', id: '1' }], { authorization: 'OAuth nope' });
    expect(invalid.status).toBe(200);
    expect(invalid.messages).toEqual([
      {
        ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true, 'payload.format': true },
        advice: { reconnect: 'none' },
        channel: '/meta/handshake',
        id: '1',
        error: '403::Handshake denied',
        successful: false,
      },
    ]);
    const response = await fetch(`${harness.baseUrl}/cometd/${API_VERSION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ channel: '/meta/handshake', version: '1.0', id: '1' }]),
    });
    const missing = (await response.json()) as Message[];
    expect(missing[0]).toMatchObject({ error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Request requires authentication' } } });
  });

  it('accepts Bearer as well as OAuth authorization (reference 5.1)', async () => {
    const reply = await post([{ channel: '/meta/handshake', version: '1.0', id: '1' }], { authorization: `Bearer ${VALID_TOKEN}` });
    expect(reply.messages[0]).toMatchObject({ successful: true });
  });

  it('answers the first connect at once with the retry advice and a batched connect with advice.timeout 0 at once (reference 5.1, 5.2)', async () => {
    const { clientId, cookie } = await handshake();
    const first = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' }], { cookie });
    expect(first.messages).toEqual([
      { clientId, channel: '/meta/connect', id: '2', successful: true, advice: { reconnect: 'retry', interval: 0, timeout: 110000 } },
    ]);
    const batched = await post(
      [
        { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3', advice: { timeout: 0 } },
        { channel: '/meta/subscribe', clientId, subscription: '/data/LeadChangeEvent', id: '4' },
      ],
      { cookie },
    );
    expect(batched.messages).toEqual([
      { clientId, channel: '/meta/connect', id: '3', successful: true },
      { clientId, channel: '/meta/subscribe', id: '4', subscription: '/data/LeadChangeEvent', successful: true },
    ]);
  });

  it('holds a connect until an event arrives and returns it before the connect reply, on the subscribed channel (reference 5.2, 5.5)', async () => {
    const { clientId, cookie } = await subscribedClient('/data/AccountChangeEvent');
    const held = post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '5' }], { cookie });
    await waitFor(() => harness.inFlight() === 1, 'the connect to arrive');
    const event = appendChange(harness.log, 'Account', 'UPDATE', { Name: 'Acme' });
    const reply = await held;
    expect(reply.messages).toEqual([
      { channel: '/data/AccountChangeEvent', data: { schema: 'AccountSchema', payload: event.payload, event: { replayId: event.replayId } } },
      { clientId, channel: '/meta/connect', id: '5', successful: true },
    ]);
  });

  it('keeps undelivered events for the next connect when the client abandons a held one', async () => {
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents');
    const abandoned = request(harness.cometdUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `OAuth ${VALID_TOKEN}`, cookie },
    });
    abandoned.on('error', () => undefined);
    abandoned.end(JSON.stringify([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '5' }]));
    await waitFor(() => harness.inFlight() === 1, 'the connect to be held');
    const clientPort = abandoned.socket!.localPort!;
    abandoned.destroy();
    await waitFor(() => harness.sawClientClose(clientPort), 'the server to see the closed connection');

    const event = appendChange(harness.log, 'Lead');
    const next = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '6' }], { cookie });
    expect(next.messages).toEqual([
      { channel: '/data/ChangeEvents', data: expect.objectContaining({ event: { replayId: event.replayId } }) },
      { clientId, channel: '/meta/connect', id: '6', successful: true },
    ]);
  });

  it('answers a held connect with no events when the hold time of the emulated clock elapses (reference 5.2)', async () => {
    await harness.close();
    harness = await startStreamingServer({ holdMs: 50 });
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents');
    const reply = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '5' }], { cookie });
    expect(reply.messages).toEqual([{ clientId, channel: '/meta/connect', id: '5', successful: true }]);
  });

  it('delivers many events in one connect reply', async () => {
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents', -1);
    const replayIds = appendMany(harness.log, 'Lead', 500);
    const reply = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '5' }], { cookie });
    const delivered = reply.messages.filter((message) => message.channel === '/data/ChangeEvents');
    expect(delivered.map((message) => (message.data as { event: { replayId: number } }).event.replayId)).toEqual(replayIds);
  });

  it('forgets a client that stays silent past the idle timeout: 403::Unknown client with reconnect handshake (reference 5.2, 5.4)', async () => {
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents');
    harness.clock.advance(41_000);
    const connect = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '6' }], { cookie });
    expect(connect.messages).toEqual([
      { channel: '/meta/connect', id: '6', error: '403::Unknown client', successful: false, advice: { reconnect: 'handshake', interval: 0 } },
    ]);
    const subscribe = await post([{ channel: '/meta/subscribe', clientId, subscription: '/data/ChangeEvents', id: '7' }], { cookie });
    expect(subscribe.messages[0]).toMatchObject({ error: '403::Unknown client', advice: { reconnect: 'handshake' } });
    expect(harness.control.connectedClients()).toBe(0);
  });

  it('answers held and later connects with 403::Unknown client after dropAllClients (reference 5.4)', async () => {
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents');
    const held = post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '5' }], { cookie });
    await waitFor(() => harness.inFlight() === 1, 'the connect to be held');
    harness.control.dropAllClients();
    expect((await held).messages).toEqual([
      { channel: '/meta/connect', id: '5', error: '403::Unknown client', successful: false, advice: { reconnect: 'handshake', interval: 0 } },
    ]);
    const next = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '6' }], { cookie });
    expect(next.messages[0]).toMatchObject({ error: '403::Unknown client' });
  });

  it('answers a connect whose token was revoked with 401::Authentication invalid and reconnect none (reference 5.4)', async () => {
    const { clientId, cookie } = await subscribedClient('/data/ChangeEvents');
    harness.tokens.delete(VALID_TOKEN);
    const reply = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '7' }], { cookie });
    expect(reply.status).toBe(200);
    expect(reply.messages).toEqual([
      { clientId, advice: { reconnect: 'none', interval: 0 }, channel: '/meta/connect', id: '7', error: '401::Authentication invalid', successful: false },
    ]);
  });

  it('rejects an invalid replay id and a replay map without the subscribed channel (reference 5.3)', async () => {
    const { clientId, cookie } = await handshake();
    const replayIds = appendMany(harness.log, 'Lead', 3);
    const reply = await post(
      [
        { channel: '/meta/subscribe', clientId, subscription: '/data/LeadChangeEvent', id: '2', ext: { replay: { '/data/LeadChangeEvent': replayIds[0]! + 1 } } },
        { channel: '/meta/subscribe', clientId, subscription: '/data/LeadChangeEvent', id: '3', ext: { replay: { '/data/ChangeEvents': -1 } } },
      ],
      { cookie },
    );
    expect(reply.messages).toEqual([
      {
        clientId,
        channel: '/meta/subscribe',
        id: '2',
        subscription: '/data/LeadChangeEvent',
        error: `400::The replayId {${replayIds[0]! + 1}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
        successful: false,
      },
      {
        clientId,
        channel: '/meta/subscribe',
        id: '3',
        subscription: '/data/LeadChangeEvent',
        error: "400::The replayId for channel {/data/LeadChangeEvent} wasn't found using the provided replay ID map {/data/ChangeEvents=-1}",
        successful: false,
      },
    ]);
  });

  it('stops delivering a channel after unsubscribe and forgets the client after disconnect (reference 5.2)', async () => {
    const { clientId, cookie } = await subscribedClient('/data/LeadChangeEvent');
    const unsubscribe = await post([{ channel: '/meta/unsubscribe', clientId, subscription: '/data/LeadChangeEvent', id: '5' }], { cookie });
    expect(unsubscribe.messages).toEqual([{ clientId, channel: '/meta/unsubscribe', id: '5', subscription: '/data/LeadChangeEvent', successful: true }]);
    appendChange(harness.log, 'Lead');
    const connect = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '6', advice: { timeout: 0 } }], { cookie });
    expect(connect.messages).toEqual([{ clientId, channel: '/meta/connect', id: '6', successful: true }]);
    const bye = await post([{ channel: '/meta/disconnect', clientId, id: '7' }], { cookie });
    expect(bye.messages).toEqual([{ channel: '/meta/disconnect', clientId, id: '7', successful: true }]);
    expect(harness.control.connectedClients()).toBe(0);
  });

  it('requires the BAYEUX_BROWSER cookie after the handshake (reference 5.1)', async () => {
    const { clientId } = await handshake();
    const reply = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' }]);
    expect(reply.messages[0]).toMatchObject({
      successful: false,
      error: `400::Client ${clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
    });
  });

  it('refuses other connection types, publishing, and missing or old API versions in the path (reference 5.1, 5.4)', async () => {
    const { clientId, cookie } = await handshake();
    const reply = await post(
      [
        { channel: '/meta/connect', clientId, connectionType: 'websocket', id: '2' },
        { channel: '/data/ChangeEvents', clientId, data: {}, id: '3' },
      ],
      { cookie },
    );
    expect(reply.messages[0]).toMatchObject({ id: '2', successful: false, error: '400::Invalid connection type {websocket}' });
    expect(reply.messages[1]).toMatchObject({ id: '3', successful: false });
    const noVersion = await post([{ channel: '/meta/handshake', version: '1.0', id: '1' }], {}, '/cometd');
    expect(noVersion.messages[0]).toMatchObject({ successful: false, error: "400::API version in the URI is mandatory. URI format: '/cometd/62.0'" });
    const oldVersion = await post([{ channel: '/meta/handshake', version: '1.0', id: '1' }], {}, '/cometd/20.0');
    expect(oldVersion.messages[0]).toMatchObject({ successful: false, error: expect.stringMatching(/^400::Unsupported API version/) });
  });

  it('echoes numeric message ids unchanged', async () => {
    const reply = await post([{ channel: '/meta/handshake', version: '1.0', id: 7 }]);
    expect(reply.messages[0]).toMatchObject({ id: 7, successful: true });
  });

  it('refuses the WebSocket probe and other non-POST requests without a Bayeux session (reference 5.1)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const probe = request(`${harness.cometdUrl}`, {
        headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
      });
      probe.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      probe.on('upgrade', () => reject(new Error('the server accepted a WebSocket upgrade')));
      probe.on('error', reject);
      probe.end();
    });
    expect(status).toBe(400);
    const get = await fetch(harness.cometdUrl);
    expect(get.status).toBe(400);
    await get.text();
    expect(harness.control.connectedClients()).toBe(0);
  });
});
