import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { ParkedEvent } from '../event-store/parked-events';
import { redactSecrets } from '../observability/redact-secrets';
import { createAlertChannels, type AlertChannel } from './index';

export function formatParkedEvent(parked: ParkedEvent): string {
  return [
    `crm-sync: event ${parked.position} (${parked.eventType}) could not be decided and was parked; the sync goes on without it`,
    `Record: ${parked.recordKeys.length > 0 ? parked.recordKeys.join(', ') : parked.stream}`,
    `Error: ${parked.error.message}`,
    `See GET /admin/parked-events; after a fix, POST /admin/parked-events/${parked.position}/retry`,
  ].join('\n');
}

/**
 * Parked events -> every configured alert channel, the first `burst` of a window one by one, the rest
 * as one count when the window ends (a bug that parks a thousand events is one incident, not a
 * thousand messages). Best effort, like dead-letter alerts: a failed channel is logged, never retried.
 */
export class ParkedEventNotifier {
  private sentInWindow = 0;
  private suppressed = 0;
  private windowTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly secrets: string[];

  constructor(
    private readonly channels: readonly AlertChannel[],
    private readonly logger: Logger,
    private readonly options: { burst?: number; windowMs?: number; secretValues?: readonly string[] } = {},
  ) {
    this.secrets = (options.secretValues ?? []).filter((s) => s.length >= 4);
  }

  parked(event: ParkedEvent): void {
    if (this.channels.length === 0) return;
    if (!this.windowTimer) {
      this.windowTimer = setTimeout(() => this.endWindow(), this.options.windowMs ?? 5 * 60_000);
      this.windowTimer.unref();
    }
    if (this.sentInWindow < (this.options.burst ?? 3)) {
      this.sentInWindow++;
      this.broadcast(formatParkedEvent(event));
    } else {
      this.suppressed++;
    }
  }

  async close(): Promise<void> {
    this.endWindow();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private endWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.sentInWindow = 0;
    if (this.suppressed > 0) this.broadcast(`crm-sync: ${this.suppressed} more events were parked; see GET /admin/parked-events`);
    this.suppressed = 0;
  }

  private broadcast(text: string): void {
    let safe = redactSecrets(text);
    for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
    for (const channel of this.channels) {
      const sending = channel
        .send(safe)
        .catch((error: unknown) => this.logger.warn({ channel: channel.name, err: error instanceof Error ? error.message : String(error) }, 'parked event alert could not be sent'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }
}

/** The notifier on the channels ALERT_WEBHOOK_URL and TELEGRAM_* configure (it sends nothing when none is). */
export function createParkedEventAlerts(config: Pick<AppConfig, 'alerts' | 'secretValues'>, logger: Logger): ParkedEventNotifier {
  return new ParkedEventNotifier(createAlertChannels(config), logger, { secretValues: config.secretValues });
}
