/**
 * A minimal app around the CometD server for the streaming e2e tests: fastify on loopback, an in-memory change
 * log, a fake token check, and helpers to append CDC events and to drive the real faye client.
 */
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import { ScaledClock } from '../../src/clock';
import type { ChangeEventPayload, ChangeType, RetainedChangeEvent } from '../../src/salesforce/cometd/change-event-log';
import { InMemoryChangeEventLog } from '../../src/salesforce/cometd/in-memory-change-event-log';
import { registerCometd, type CometdControl, type CometdOptions } from '../../src/salesforce/cometd/register-cometd';

// Reference 0.10: faye and jsforce read proxy variables for every URL, loopback included.
for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) delete process.env[name];

export const API_VERSION = '62.0';
export const VALID_TOKEN = 'valid-token';
export const CDC_ENTITIES = ['Lead', 'Account', 'Contact', 'Opportunity', 'Grant__c'];

export interface StreamingHarness {
  baseUrl: string;
  cometdUrl: string;
  clock: ScaledClock;
  log: InMemoryChangeEventLog;
  control: CometdControl;
  /** Tokens the fake authenticate accepts; delete one to "revoke" it. */
  tokens: Set<string>;
  /** HTTP requests received and not yet answered (a held long-poll counts until its reply is sent). */
  inFlight(): number;
  /** Whether the server has seen the connection from this client port close (e.g. an abandoned long-poll). */
  sawClientClose(clientPort: number): boolean;
  close(): Promise<void>;
}

export async function startStreamingServer(options: CometdOptions = {}): Promise<StreamingHarness> {
  const app: FastifyInstance = Fastify({ logger: false });
  const clock = new ScaledClock();
  const log = new InMemoryChangeEventLog(clock);
  const tokens = new Set([VALID_TOKEN]);
  let inFlight = 0;
  app.addHook('onRequest', async () => {
    inFlight += 1;
  });
  app.addHook('onResponse', async () => {
    inFlight -= 1;
  });
  const closedClientPorts = new Set<number>();
  app.server.on('connection', (socket) => {
    const port = socket.remotePort;
    socket.on('close', () => {
      if (port !== undefined) closedClientPorts.add(port);
    });
  });
  const control = registerCometd(
    app,
    {
      log,
      clock,
      authenticate: (authorization) => {
        const match = /^(?:OAuth|Bearer) (.+)$/.exec(authorization ?? '');
        return match && tokens.has(match[1]!) ? { userId: '005000000000001AAA' } : null;
      },
      cdcEntities: () => CDC_ENTITIES,
    },
    { holdMs: 20_000, ...options },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    cometdUrl: `${baseUrl}/cometd/${API_VERSION}`,
    clock,
    log,
    control,
    tokens,
    inFlight: () => inFlight,
    sawClientClose: (clientPort) => closedClientPorts.has(clientPort),
    close: () => app.close(),
  };
}

let recordCounter = 0;

/** Appends one CDC event as the record store would (reference 5.6 shapes). */
export function appendChange(
  log: InMemoryChangeEventLog,
  entityName: string,
  changeType: ChangeType = 'CREATE',
  fields: Record<string, unknown> = {},
): RetainedChangeEvent {
  recordCounter += 1;
  const payload: ChangeEventPayload = {
    ChangeEventHeader: {
      entityName,
      recordIds: [`00Q5f${String(recordCounter).padStart(10, '0')}AAA`],
      changeType,
      changeOrigin: `com/salesforce/api/rest/${API_VERSION};client=crm-sync`,
      transactionKey: `tx-${recordCounter}`,
      sequenceNumber: 1,
      commitTimestamp: Date.now(),
      commitNumber: recordCounter,
      commitUser: '005000000000001AAA',
      changedFields: changeType === 'UPDATE' ? Object.keys(fields) : [],
    },
    ...fields,
  };
  return log.append([{ schema: `${entityName}Schema`, payload }])[0]!;
}

export function appendMany(log: InMemoryChangeEventLog, entityName: string, count: number): number[] {
  return Array.from({ length: count }, (_, index) => appendChange(log, entityName, 'CREATE', { Index: index }).replayId);
}

/** Polls `condition` until it holds or the deadline passes (no fixed sleeps in tests). */
export async function waitFor(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What a CDC listener receives (`data` of the delivery message, reference 5.6). */
export interface CdcMessage {
  schema: string;
  payload: ChangeEventPayload;
  event: { replayId: number };
}

export interface FayeMessage {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string };
  ext?: Record<string, unknown>;
  data?: unknown;
}

export interface FayeExtension {
  incoming?(message: FayeMessage, callback: (message: FayeMessage) => void): void;
  outgoing?(message: FayeMessage, callback: (message: FayeMessage) => void): void;
}

export interface FayeSubscription extends PromiseLike<void> {
  cancel(): void;
  withChannel(callback: (channel: string, data: CdcMessage) => void): FayeSubscription;
}

export interface FayeClient {
  setHeader(name: string, value: string): void;
  addExtension(extension: FayeExtension): void;
  subscribe(channel: string, listener?: (data: CdcMessage) => void): FayeSubscription;
  /** A thenable settled by the server's reply; undefined when the client never completed a handshake. */
  disconnect(): PromiseLike<void> | undefined;
  bind(event: 'transport:up' | 'transport:down', callback: () => void): void;
}

interface FayeModule {
  Client: new (url: string, options?: Record<string, unknown>) => FayeClient;
}

const faye = createRequire(__filename)('faye') as FayeModule;

export function newFayeClient(url: string, token = VALID_TOKEN): FayeClient {
  const client = new faye.Client(url);
  client.setHeader('Authorization', `OAuth ${token}`);
  return client;
}

/**
 * Replay extension like jsforce's (reference 5.7) but for several channels: writes `ext.replay` on every
 * /meta/subscribe with the last replay id seen per channel, so a re-handshake resumes where delivery stopped.
 */
export class MultiChannelReplayExtension implements FayeExtension {
  readonly handshakes: FayeMessage[] = [];
  readonly subscribes: FayeMessage[] = [];

  constructor(private readonly replayIds: Map<string, number>) {}

  incoming(message: FayeMessage, callback: (message: FayeMessage) => void): void {
    if (message.channel === '/meta/handshake') this.handshakes.push(message);
    const data = message.data as Partial<CdcMessage> | undefined;
    if (this.replayIds.has(message.channel) && typeof data?.event?.replayId === 'number') {
      this.replayIds.set(message.channel, data.event.replayId);
    }
    callback(message);
  }

  outgoing(message: FayeMessage, callback: (message: FayeMessage) => void): void {
    if (message.channel === '/meta/subscribe') {
      const channel = (message as FayeMessage & { subscription: string }).subscription;
      message.ext = { ...message.ext, replay: { [channel]: this.replayIds.get(channel) ?? -1 } };
      this.subscribes.push(message);
    }
    callback(message);
  }
}

/** Settles a faye Subscription into a value so tests can assert on failures. */
export function settle(subscription: FayeSubscription): Promise<{ ok: true } | { ok: false; error: { message?: string } }> {
  return new Promise((resolve) => {
    subscription.then(
      () => resolve({ ok: true }),
      (error: unknown) => resolve({ ok: false, error: error as { message?: string } }),
    );
  });
}

/**
 * Disconnects and waits for the server's answer (successful, or 403::Unknown client for a session the server
 * already dropped): a /meta/disconnect still in flight when the server closes would make faye retry it forever.
 */
export async function disconnect(client: FayeClient): Promise<void> {
  const reply = client.disconnect();
  if (reply) {
    await new Promise<void>((resolve) => {
      reply.then(resolve, () => resolve());
    });
  }
}

export interface StreamingFixture {
  harness: StreamingHarness;
  /** Clients a test made: disconnected after it, and the server must then see none connected. */
  clients: FayeClient[];
}

/** A fresh streaming server per test; after each, its clients are disconnected and it is closed. */
export function useStreamingServer(): StreamingFixture {
  const fixture = { clients: [] } as unknown as StreamingFixture;
  beforeEach(async () => {
    fixture.harness = await startStreamingServer();
    fixture.clients = [];
  });
  afterEach(async () => {
    await Promise.all(fixture.clients.map(disconnect));
    expect(fixture.harness.control.connectedClients()).toBe(0);
    await fixture.harness.close();
  });
  return fixture;
}
