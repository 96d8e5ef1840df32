import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import type { ChangeEventLog } from './change-event-log';
import { resolveChannel } from './cdc-channel';
import { CometdSession } from './cometd-session';
import {
  asBayeuxRequest,
  bayeuxErrors,
  HANDSHAKE_ADVICE,
  HANDSHAKE_EXT,
  META_CONNECT,
  META_DISCONNECT,
  META_HANDSHAKE,
  META_SUBSCRIBE,
  META_UNSUBSCRIBE,
  NONE_ADVICE,
  RETRY_ADVICE,
  type BayeuxReply,
  type BayeuxRequest,
} from './bayeux-message';

export interface BayeuxServerDependencies {
  log: ChangeEventLog;
  clock: Clock;
  authenticate(authorization: string | undefined): { userId: string } | null;
  cdcEntities(): string[];
}

export interface BayeuxServerSettings {
  /** Emulated ms a /meta/connect is held when there is nothing to deliver. */
  holdMs: number;
  /** Emulated ms after a reply within which the client must send its next message (reference 5.2: 40 s). */
  clientIdleTimeoutMs: number;
  /** Most delivery messages in one /meta/connect reply. */
  maxEventsPerConnect: number;
}

/** What the HTTP layer knows about one POST. */
export interface BayeuxRequestContext {
  authorization: string | undefined;
  hasBrowserCookie: boolean;
  /** The `:version` path segment, undefined for `/cometd`. */
  version: string | undefined;
  /** Registers what to do if the HTTP client goes away while the connect is held. */
  onAbort(cancel: () => void): void;
}

export interface BayeuxResponse {
  replies: BayeuxReply[];
  /** True when the reply must set the BAYEUX_BROWSER cookie (successful handshake without one). */
  setBrowserCookie: boolean;
}

/**
 * Salesforce's Bayeux dialect over long-polling (reference 5.1-5.4), independent of the HTTP framework.
 * Delivery is pull-based: a held /meta/connect is answered when the log grows (coalesced into one pass per
 * event-loop turn, however many events were appended) or when its hold time elapses.
 */
export class BayeuxServer {
  private readonly sessions = new Map<string, CometdSession>();
  /** Channels whose delivery is held back (fault injection: reordering across channels). */
  private readonly heldChannels = new Set<string>();
  private readonly stopListening: () => void;
  private flushPending: NodeJS.Immediate | null = null;
  private closed = false;
  /** How many coming /meta/subscribe requests find their client already forgotten (fault injection). */
  private forgetAtSubscribe = 0;

  constructor(
    private readonly deps: BayeuxServerDependencies,
    private readonly settings: BayeuxServerSettings,
  ) {
    this.stopListening = deps.log.onAppend(() => this.scheduleFlush());
  }

  async handle(body: unknown, context: BayeuxRequestContext): Promise<BayeuxResponse> {
    const messages = (Array.isArray(body) ? body : [body]).map(asBayeuxRequest).filter((m) => m !== null);
    const versionError = checkVersion(context.version);
    if (versionError) {
      return { replies: messages.map((m) => failure(m, versionError)), setBrowserCookie: false };
    }
    const replies: BayeuxReply[][] = [];
    let setBrowserCookie = false;
    let connect: { slot: number; session: CometdSession; request: BayeuxRequest } | null = null;
    for (const message of messages) {
      switch (message.channel) {
        case META_HANDSHAKE: {
          const reply = this.handshake(message, context);
          setBrowserCookie ||= reply.successful === true && !context.hasBrowserCookie;
          replies.push([reply]);
          break;
        }
        case META_CONNECT: {
          const checked = this.checkConnect(message, context);
          if ('error' in checked || connect !== null) {
            replies.push(['error' in checked ? checked.error : this.connectReply(message, checked.session)]);
          } else {
            connect = { slot: replies.length, session: checked.session, request: message };
            replies.push([]);
          }
          break;
        }
        case META_SUBSCRIBE:
          replies.push([this.subscribe(message, context)]);
          break;
        case META_UNSUBSCRIBE:
          replies.push([this.unsubscribe(message, context)]);
          break;
        case META_DISCONNECT:
          replies.push([this.disconnect(message)]);
          break;
        default:
          replies.push([failure(message, message.channel.startsWith('/meta/') ? bayeuxErrors.unknownMetaChannel(message.channel) : bayeuxErrors.publishNotAllowed)]);
      }
    }
    if (connect) {
      // A subscribe of the same batch may have found the client forgotten (dropClientsAtSubscribe).
      const known = this.sessions.get(connect.session.clientId) === connect.session;
      replies[connect.slot] = known ? await this.connect(connect.request, connect.session, context) : [unknownClient(connect.request)];
    }
    return { replies: replies.flat(), setBrowserCookie };
  }

  /** Forgets every client; held connects are told `403::Unknown client` at once, the rest on their next message. */
  dropAllClients(): void {
    const now = this.deps.clock.now();
    for (const session of this.sessions.values()) session.release(null, now);
    this.sessions.clear();
  }

  /**
   * The next `count` /meta/subscribe requests find their client forgotten, as when Salesforce drops
   * clients (a restart, or the client idled past the timeout) between a handshake and its subscribe:
   * each is answered `403::Unknown client` with `reconnect: handshake`, its held connect too.
   */
  dropClientsAtSubscribe(count: number): void {
    this.forgetAtSubscribe = count;
  }

  /** Holds `channel`'s events back for `realMs` while other channels deliver (no order across channels). */
  holdChannel(channel: string, realMs: number): void {
    this.heldChannels.add(channel);
    setTimeout(() => {
      this.heldChannels.delete(channel);
      this.scheduleFlush();
    }, realMs).unref();
  }

  /** Sends the last `count` events of every subscription again (CDC delivers at least once). */
  redeliver(count: number): void {
    const enabled = this.enabledEntities();
    for (const session of this.sessions.values()) session.rewind(this.deps.log, enabled, count);
    this.scheduleFlush();
  }

  connectedClients(): number {
    this.expireIdleSessions();
    return this.sessions.size;
  }

  /** Answers every held connect and stops all timers; later connects are answered immediately. */
  close(): void {
    this.closed = true;
    this.stopListening();
    if (this.flushPending) clearImmediate(this.flushPending);
    this.flushPending = null;
    const now = this.deps.clock.now();
    for (const session of this.sessions.values()) session.release([], now);
  }

  private handshake(message: BayeuxRequest, context: BayeuxRequestContext): BayeuxReply {
    const user = this.deps.authenticate(context.authorization);
    if (!user) {
      return {
        ext: {
          sfdc: { failureReason: context.authorization ? bayeuxErrors.authenticationInvalid : bayeuxErrors.requiresAuthentication },
          ...HANDSHAKE_EXT,
        },
        advice: { reconnect: 'none' },
        channel: META_HANDSHAKE,
        id: message.id,
        error: bayeuxErrors.handshakeDenied,
        successful: false,
      };
    }
    const offered = message.supportedConnectionTypes;
    if (Array.isArray(offered) && !offered.includes('long-polling')) {
      return failure(message, bayeuxErrors.invalidConnectionType(offered.join(',')));
    }
    this.expireIdleSessions();
    const session = new CometdSession(newClientId(), user.userId, this.deps.clock.now());
    this.sessions.set(session.clientId, session);
    return {
      ext: { ...HANDSHAKE_EXT },
      minimumVersion: '1.0',
      clientId: session.clientId,
      supportedConnectionTypes: ['long-polling'],
      channel: META_HANDSHAKE,
      id: message.id,
      version: '1.0',
      successful: true,
    };
  }

  private checkConnect(message: BayeuxRequest, context: BayeuxRequestContext): { session: CometdSession } | { error: BayeuxReply } {
    const found = this.sessionFor(message, context);
    if ('error' in found) return found;
    if (message.connectionType !== undefined && message.connectionType !== 'long-polling') {
      return { error: failure(message, bayeuxErrors.invalidConnectionType(message.connectionType)) };
    }
    if (!this.deps.authenticate(context.authorization)) {
      this.sessions.delete(found.session.clientId);
      return {
        error: { clientId: found.session.clientId, advice: NONE_ADVICE, channel: META_CONNECT, id: message.id, error: bayeuxErrors.authenticationInvalid, successful: false },
      };
    }
    return found;
  }

  private connect(message: BayeuxRequest, session: CometdSession, context: BayeuxRequestContext): Promise<BayeuxReply[]> {
    const now = this.deps.clock.now();
    session.lastActivityAt = now;
    // A second connect from the same client (its previous request timed out on its side) replaces the held one.
    session.release([], now);
    const reply = this.connectReply(message, session);
    const events = session.collect(this.deps.log, this.enabledEntities(), this.settings.maxEventsPerConnect, this.heldChannels);
    const answerNow = events.length > 0 || reply.advice !== undefined || message.advice?.timeout === 0 || this.closed;
    if (answerNow) return Promise.resolve([...events, reply]);
    return new Promise((resolve) => {
      session.hold(
        (delivered) => resolve(delivered ? [...delivered, reply] : [unknownClient(message)]),
        Math.max(0, Math.ceil(this.settings.holdMs / this.deps.clock.scale)),
        () => session.release(session.collect(this.deps.log, this.enabledEntities(), this.settings.maxEventsPerConnect, this.heldChannels), this.deps.clock.now()),
      );
      context.onAbort(() => session.release([], this.deps.clock.now()));
    });
  }

  /** The first connect after a handshake is answered at once with the advice; later ones carry none (as observed on real orgs). */
  private connectReply(message: BayeuxRequest, session: CometdSession): BayeuxReply {
    const first = !session.hasConnected;
    session.hasConnected = true;
    return {
      clientId: session.clientId,
      channel: META_CONNECT,
      id: message.id,
      successful: true,
      ...(first ? { advice: { ...RETRY_ADVICE } } : {}),
    };
  }

  private subscribe(message: BayeuxRequest, context: BayeuxRequestContext): BayeuxReply {
    const forgotten = message.clientId === undefined ? undefined : this.sessions.get(message.clientId);
    if (forgotten && this.forgetAtSubscribe > 0) {
      this.forgetAtSubscribe -= 1;
      this.sessions.delete(forgotten.clientId);
      forgotten.release(null, this.deps.clock.now());
    }
    const found = this.sessionFor(message, context);
    if ('error' in found) return found.error;
    const { session } = found;
    const channel = message.subscription;
    const fail = (error: string): BayeuxReply => ({ clientId: session.clientId, channel: META_SUBSCRIBE, id: message.id, subscription: channel, error, successful: false });
    if (typeof channel !== 'string' || channel === '') return fail(bayeuxErrors.channelNotSpecified);
    if (!channel.startsWith('/')) return fail(bayeuxErrors.channelNeedsLeadingSlash);
    const scope = resolveChannel(channel, this.deps.cdcEntities());
    if (!scope) return fail(bayeuxErrors.channelDoesNotExist(channel));
    const requested = requestedReplayId(message, channel);
    if ('error' in requested) return fail(requested.error);
    const cursor = this.cursorFor(requested.replayId);
    if (cursor === 'invalid') return fail(bayeuxErrors.invalidReplayId(requested.replayId));
    session.subscribe(channel, scope, cursor);
    this.scheduleFlush();
    return { clientId: session.clientId, channel: META_SUBSCRIBE, id: message.id, subscription: channel, successful: true };
  }

  private cursorFor(replayId: number): number | 'invalid' {
    if (replayId === -1) return this.deps.log.latestReplayId();
    if (replayId === -2) return -2;
    return this.deps.log.readAfter(replayId, 0) === 'invalid' ? 'invalid' : replayId;
  }

  private unsubscribe(message: BayeuxRequest, context: BayeuxRequestContext): BayeuxReply {
    const found = this.sessionFor(message, context);
    if ('error' in found) return found.error;
    if (typeof message.subscription === 'string') found.session.unsubscribe(message.subscription);
    return { clientId: found.session.clientId, channel: META_UNSUBSCRIBE, id: message.id, subscription: message.subscription, successful: true };
  }

  private disconnect(message: BayeuxRequest): BayeuxReply {
    const session = message.clientId === undefined ? undefined : this.sessions.get(message.clientId);
    if (!session) return unknownClient(message);
    this.sessions.delete(session.clientId);
    session.release([], this.deps.clock.now());
    return { channel: META_DISCONNECT, clientId: session.clientId, id: message.id, successful: true };
  }

  private sessionFor(message: BayeuxRequest, context: BayeuxRequestContext): { session: CometdSession } | { error: BayeuxReply } {
    const now = this.deps.clock.now();
    const session = message.clientId === undefined ? undefined : this.sessions.get(message.clientId);
    if (!session || session.isIdleSince(now, this.settings.clientIdleTimeoutMs)) {
      if (session) this.sessions.delete(session.clientId);
      return { error: unknownClient(message) };
    }
    if (!context.hasBrowserCookie) return { error: failure(message, bayeuxErrors.missingCookie(session.clientId)) };
    session.lastActivityAt = now;
    return { session };
  }

  private expireIdleSessions(): void {
    const now = this.deps.clock.now();
    for (const [clientId, session] of this.sessions) {
      if (session.isIdleSince(now, this.settings.clientIdleTimeoutMs)) this.sessions.delete(clientId);
    }
  }

  private enabledEntities(): Set<string> {
    return new Set(this.deps.cdcEntities());
  }

  private scheduleFlush(): void {
    if (this.flushPending || this.closed) return;
    this.flushPending = setImmediate(() => {
      this.flushPending = null;
      this.flushHeldConnects();
    });
  }

  private flushHeldConnects(): void {
    let enabled: Set<string> | null = null;
    for (const session of this.sessions.values()) {
      if (!session.isHolding || !session.hasSubscriptions) continue;
      enabled ??= this.enabledEntities();
      const events = session.collect(this.deps.log, enabled, this.settings.maxEventsPerConnect, this.heldChannels);
      if (events.length > 0) session.release(events, this.deps.clock.now());
    }
  }
}

function checkVersion(version: string | undefined): string | null {
  if (version === undefined || version === '') return bayeuxErrors.versionMandatory;
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match || Number(match[1]) < 23) return bayeuxErrors.unsupportedVersion;
  return null;
}

/** Reads `ext.replay[channel]`; no replay map means -1 (new events only, reference 5.3). */
function requestedReplayId(message: BayeuxRequest, channel: string): { replayId: number } | { error: string } {
  const map = message.ext?.replay;
  if (typeof map !== 'object' || map === null) return { replayId: -1 };
  const entries = map as Record<string, unknown>;
  if (!(channel in entries)) {
    return Object.keys(entries).length === 0 ? { replayId: -1 } : { error: bayeuxErrors.replayIdNotInMap(channel, entries) };
  }
  const raw = entries[channel];
  const replayId = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(replayId) ? { replayId } : { error: bayeuxErrors.invalidReplayId(raw) };
}

function failure(message: BayeuxRequest, error: string): BayeuxReply {
  return { channel: message.channel, id: message.id, ...(message.clientId ? { clientId: message.clientId } : {}), error, successful: false };
}

function unknownClient(message: BayeuxRequest): BayeuxReply {
  return { channel: message.channel, id: message.id, error: bayeuxErrors.unknownClient, successful: false, advice: { ...HANDSHAKE_ADVICE } };
}

/** 27 base-36 characters, like Salesforce's client ids. */
function newClientId(): string {
  return [...randomBytes(27)].map((byte) => (byte % 36).toString(36)).join('');
}
