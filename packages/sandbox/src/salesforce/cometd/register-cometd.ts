import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock';
import type { ChangeEventLog } from './change-event-log';
import { BayeuxServer } from './bayeux-server';
import { gapChangeEvent, OVERFLOW_RECORD_ID, type GapEventOptions } from './gap-change-event';

export interface CometdDependencies {
  log: ChangeEventLog;
  clock: Clock;
  /** Validates the Authorization header value (`OAuth <token>` or `Bearer <token>`); the user or null. */
  authenticate(authorization: string | undefined): { userId: string } | null;
  /** Object API names with CDC enabled (for channel validation). */
  cdcEntities(): string[];
}

export interface CometdOptions {
  /** Emulated ms an idle /meta/connect is held (default 100 000, below the advertised 110 000). */
  holdMs?: number;
  /** Emulated ms a client may stay silent after a reply before it is forgotten (default 40 000, reference 5.2). */
  clientIdleTimeoutMs?: number;
  /** Most events in one /meta/connect reply (default 1 000). */
  maxEventsPerConnect?: number;
}

export interface CometdControl {
  /** Appends a header-only gap event (default GAP_UPDATE) for the records. */
  injectGap(entityName: string, recordIds: string[], options?: GapEventOptions): void;
  /** Appends a GAP_OVERFLOW event with recordIds ["000000000000000AAA"]. */
  injectOverflow(entityName: string): void;
  /** Forgets every client: held connects and the next connect/subscribe answer 403::Unknown client + reconnect=handshake. */
  dropAllClients(): void;
  /** The next `count` subscribes find their client forgotten (dropped between handshake and subscribe). */
  dropClientsAtSubscribe(count: number): void;
  connectedClients(): number;
  /** Sends the last `count` events of every subscription again (at-least-once redelivery). */
  redeliver(count: number): void;
  /** Holds one channel's events back for `realMs` while the others flow (reordering across channels). */
  holdChannel(channel: string, realMs: number): void;
  /** Releases held long-polls and timers so the server can close (also done by the app's preClose hook). */
  close(): void;
}

const BROWSER_COOKIE = 'BAYEUX_BROWSER';

/** Mounts Salesforce's CometD endpoint (`POST /cometd/<version>`, reference 5.1) on the emulator's app. */
export function registerCometd(app: FastifyInstance, deps: CometdDependencies, options: CometdOptions = {}): CometdControl {
  const server = new BayeuxServer(deps, {
    holdMs: options.holdMs ?? 100_000,
    clientIdleTimeoutMs: options.clientIdleTimeoutMs ?? 40_000,
    maxEventsPerConnect: options.maxEventsPerConnect ?? 1000,
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { version } = request.params as { version?: string };
    const result = await server.handle(request.body, {
      authorization: request.headers.authorization,
      hasBrowserCookie: hasCookie(request.headers.cookie, BROWSER_COOKIE),
      version,
      onAbort: (cancel) => {
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) cancel();
        });
      },
    });
    if (reply.raw.destroyed) {
      reply.hijack(); // the client went away while its connect was held; nothing left to answer
      return;
    }
    if (result.setBrowserCookie) reply.header('set-cookie', `${BROWSER_COOKIE}=${browserId()}; Path=/; HttpOnly`);
    // Bayeux errors travel in the body with HTTP 200: faye ignores the status (reference 5.1).
    await reply.code(200).header('content-type', 'application/json;charset=UTF-8').send(JSON.stringify(result.replies));
  };

  app.post('/cometd/:version', handle);
  app.post('/cometd', handle);
  // faye probes WebSocket with a GET + Upgrade; only long-polling exists (reference 5.1), so refuse it plainly.
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/cometd/:version',
    handler: async (_request, reply) => {
      await reply.code(400).header('connection', 'close').type('text/plain').send('Only long-polling is supported on this endpoint');
    },
  });
  app.addHook('preClose', async () => {
    server.close();
  });

  return {
    injectGap: (entityName, recordIds, gapOptions = {}) => {
      deps.log.append([gapChangeEvent(entityName, recordIds, gapOptions.changeType ?? 'GAP_UPDATE', deps.clock.now(), gapOptions.commitUser)]);
    },
    injectOverflow: (entityName) => {
      deps.log.append([gapChangeEvent(entityName, [OVERFLOW_RECORD_ID], 'GAP_OVERFLOW', deps.clock.now())]);
    },
    dropAllClients: () => server.dropAllClients(),
    dropClientsAtSubscribe: (count) => server.dropClientsAtSubscribe(count),
    connectedClients: () => server.connectedClients(),
    redeliver: (count) => server.redeliver(count),
    holdChannel: (channel, realMs) => server.holdChannel(channel, realMs),
    close: () => server.close(),
  };
}

function hasCookie(header: string | undefined, name: string): boolean {
  return header !== undefined && header.split(';').some((part) => part.trim().startsWith(`${name}=`));
}

function browserId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}
