import type { Logger } from 'pino';
import { redactSecrets } from '../observability/redact-secrets';
import type { AlertChannel } from './alert-channels';

/**
 * Sends alert text to every configured channel with secrets scrubbed. Best effort: a failed channel
 * is logged, never retried, and never blocks the caller.
 */
export class AlertBroadcaster {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly secrets: string[];

  constructor(
    private readonly channels: readonly AlertChannel[],
    private readonly logger: Logger,
    secretValues: readonly string[] = [],
  ) {
    this.secrets = secretValues.filter((s) => s.length >= 4);
  }

  get enabled(): boolean {
    return this.channels.length > 0;
  }

  send(text: string): void {
    let safe = redactSecrets(text);
    for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
    for (const channel of this.channels) {
      const sending = channel
        .send(safe)
        .catch((error: unknown) => this.logger.warn({ channel: channel.name, err: error instanceof Error ? error.message : String(error) }, 'alert could not be sent'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  /** Resolves when every message handed to a channel has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

/**
 * A rate limit for alerts: the first `burst` items of a window go out one by one, the rest are held
 * and handed to `summarise` once when the window ends (a storm is one message, not a thousand).
 */
export class AlertWindow<T> {
  private sent = 0;
  private held: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly burst: number,
    private readonly windowMs: number,
    private readonly summarise: (held: T[]) => void,
  ) {}

  /** True when `item` may be sent now; false when it was held for the window's summary. */
  admit(item: T): boolean {
    if (!this.timer) {
      this.timer = setTimeout(() => this.end(), this.windowMs);
      this.timer.unref();
    }
    if (this.sent < this.burst) {
      this.sent++;
      return true;
    }
    this.held.push(item);
    return false;
  }

  /** Ends the window now: summarises what was held (shutdown, or the timer). */
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sent = 0;
    const held = this.held;
    this.held = [];
    if (held.length > 0) this.summarise(held);
  }
}
