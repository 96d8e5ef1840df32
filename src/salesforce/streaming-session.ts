/**
 * What the CometD adapter needs from the REST client's session: where to connect, the current token,
 * a way to get a new one (bounded, shared with REST) and notice of every new token so live faye
 * clients can replace their `Authorization: OAuth <token>` header (reference 0.5).
 */
export interface StreamingSession {
  cometdUrl(): string;
  accessToken(): string;
  /** Rejects with SalesforceError SESSION_EXPIRED / AUTH_FAILED once the bounded refresh gives up. */
  refreshAccessToken(): Promise<string>;
  onAccessToken(listener: (token: string) => void): () => void;
  healthy(): boolean;
}
