/**
 * Bayeux wire messages as Salesforce's CometD endpoint sends and accepts them (reference 5.2-5.4).
 * Requests are parsed leniently (clients send what they send); replies are built only through the helpers below
 * so every error string and advice matches the reference in one place.
 */
export interface BayeuxRequest {
  channel: string;
  /** faye sends base-36 strings; other clients send numbers. Echoed unchanged. */
  id?: string | number;
  clientId?: string;
  connectionType?: string;
  supportedConnectionTypes?: string[];
  subscription?: string;
  advice?: { timeout?: number };
  ext?: Record<string, unknown>;
  data?: unknown;
}

export interface BayeuxAdvice {
  reconnect: 'retry' | 'handshake' | 'none';
  interval: number;
  timeout?: number;
}

export interface BayeuxReply {
  channel: string;
  id?: string | number;
  clientId?: string;
  successful?: boolean;
  error?: string;
  advice?: BayeuxAdvice | { reconnect: 'none' };
  subscription?: string;
  ext?: Record<string, unknown>;
  version?: string;
  minimumVersion?: string;
  supportedConnectionTypes?: string[];
  data?: unknown;
}

export const META_HANDSHAKE = '/meta/handshake';
export const META_CONNECT = '/meta/connect';
export const META_SUBSCRIBE = '/meta/subscribe';
export const META_UNSUBSCRIBE = '/meta/unsubscribe';
export const META_DISCONNECT = '/meta/disconnect';

/** Salesforce holds /meta/connect up to 110 s and tells clients so (reference 5.2). */
export const ADVERTISED_CONNECT_TIMEOUT_MS = 110_000;
export const RETRY_ADVICE: BayeuxAdvice = { reconnect: 'retry', interval: 0, timeout: ADVERTISED_CONNECT_TIMEOUT_MS };
export const HANDSHAKE_ADVICE: BayeuxAdvice = { reconnect: 'handshake', interval: 0 };
export const NONE_ADVICE: BayeuxAdvice = { reconnect: 'none', interval: 0 };

export const HANDSHAKE_EXT = { replay: true, 'payload.format': true };

/** Error strings exactly as Salesforce writes them (reference 5.3, 5.4; Streaming API error code table). */
export const bayeuxErrors = {
  unknownClient: '403::Unknown client',
  handshakeDenied: '403::Handshake denied',
  authenticationInvalid: '401::Authentication invalid',
  requiresAuthentication: '401::Request requires authentication',
  invalidReplayId: (replayId: unknown): string =>
    `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
  replayIdNotInMap: (channel: string, map: Record<string, unknown>): string =>
    `400::The replayId for channel {${channel}} wasn't found using the provided replay ID map {${Object.entries(map)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(', ')}}`,
  channelDoesNotExist: (channel: string): string =>
    `400::The channel you requested to subscribe to does not exist {${channel}}`,
  channelNotSpecified: '400::Channel name not specified',
  channelNeedsLeadingSlash: "400::Channel subscriptions must start with a leading '/'",
  invalidConnectionType: (type: unknown): string => `400::Invalid connection type {${String(type)}}`,
  missingCookie: (clientId: string): string =>
    `400::Client ${clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
  versionMandatory: "400::API version in the URI is mandatory. URI format: '/cometd/62.0'",
  unsupportedVersion: "400::Unsupported API version. Only API versions '23.0' and above are supported. URI format: '/cometd/62.0'",
  publishNotAllowed: '403::Publish is not supported on this channel',
  unknownMetaChannel: (channel: string): string => `400::Unknown meta channel {${channel}}`,
} as const;

/** Narrows one element of a request body; anything without a string `channel` is not a Bayeux message. */
export function asBayeuxRequest(value: unknown): BayeuxRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.channel !== 'string') return null;
  return candidate as unknown as BayeuxRequest;
}
