import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { ParkedEvent } from '../event-store/parked-events';
import { AlertBroadcaster, AlertWindow } from './alert-broadcaster';
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
  private readonly out: AlertBroadcaster;
  private readonly window: AlertWindow<ParkedEvent>;

  constructor(channels: readonly AlertChannel[], logger: Logger, options: { burst?: number; windowMs?: number; secretValues?: readonly string[] } = {}) {
    this.out = new AlertBroadcaster(channels, logger, options.secretValues);
    this.window = new AlertWindow(options.burst ?? 3, options.windowMs ?? 5 * 60_000, (held) =>
      this.out.send(`crm-sync: ${held.length} more events were parked; see GET /admin/parked-events`),
    );
  }

  parked(event: ParkedEvent): void {
    if (this.out.enabled && this.window.admit(event)) this.out.send(formatParkedEvent(event));
  }

  async close(): Promise<void> {
    this.window.end();
    await this.out.idle();
  }
}

/** The notifier on the channels ALERT_WEBHOOK_URL and TELEGRAM_* configure (it sends nothing when none is). */
export function createParkedEventAlerts(config: Pick<AppConfig, 'alerts' | 'secretValues'>, logger: Logger): ParkedEventNotifier {
  return new ParkedEventNotifier(createAlertChannels(config), logger, { secretValues: config.secretValues });
}
