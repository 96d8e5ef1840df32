import type { Logger } from 'pino';
import type { AlertChannel } from './alert-channels';
import { AlertBroadcaster, AlertWindow } from './alert-broadcaster';
import type { DeadLetterAlert, DeadLetterAlerts } from './dead-letter-alert';

export interface DeadLetterNotifierOptions {
  /** Alerts sent one by one per window; the rest are summarised at the window's end (default 3). */
  burst?: number;
  /** Default 5 minutes. */
  windowMs?: number;
  /** Secret values to scrub from every message (tokens, passwords), in addition to token shapes. */
  secretValues?: readonly string[];
}

/**
 * Dead letters -> alerts on every configured channel, rate-limited: the first `burst` dead letters of
 * a window are sent with the record, the error and the hint; a storm after them becomes one summary
 * ("37 more dead letters in the last 5 minutes") when the window ends, not a thousand messages.
 * Sending is best effort: a failed channel is logged, never retried, never blocks the dispatcher.
 */
export class DeadLetterNotifier implements DeadLetterAlerts {
  private readonly out: AlertBroadcaster;
  private readonly window: AlertWindow<DeadLetterAlert>;

  constructor(channels: readonly AlertChannel[], logger: Logger, options: DeadLetterNotifierOptions = {}) {
    const windowMs = options.windowMs ?? 5 * 60_000;
    this.out = new AlertBroadcaster(channels, logger, options.secretValues);
    this.window = new AlertWindow(options.burst ?? 3, windowMs, (held) => this.out.send(formatSummary(held, windowMs)));
  }

  deadLettered(alert: DeadLetterAlert): void {
    if (this.out.enabled && this.window.admit(alert)) this.out.send(formatDeadLetter(alert));
  }

  /** Sends the pending summary now and stops the window timer (shutdown). */
  async close(): Promise<void> {
    this.window.end();
    await this.idle();
  }

  /** Resolves when every message handed to a channel has been answered. */
  async idle(): Promise<void> {
    await this.out.idle();
  }
}

export function formatDeadLetter(alert: DeadLetterAlert): string {
  return [
    `crm-sync: dead letter #${alert.commandId} (${alert.kind})`,
    `Record: ${alert.record}`,
    `Error: ${alert.error.code}: ${alert.error.message}`,
    `Hint: ${alert.hint}`,
    `Caused by event ${alert.causedBy}; see GET /admin/dead-letters`,
  ].join('\n');
}

export function formatSummary(suppressed: readonly DeadLetterAlert[], windowMs: number): string {
  const byCode = new Map<string, number>();
  for (const alert of suppressed) byCode.set(alert.error.code, (byCode.get(alert.error.code) ?? 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} x${n}`).join(', ');
  return `crm-sync: ${suppressed.length} more dead letters in the last ${describeWindow(windowMs)} (${codes}); see GET /admin/dead-letters`;
}

function describeWindow(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  if (ms % 1_000 === 0) return `${ms / 1_000} seconds`;
  return `${ms} ms`;
}
