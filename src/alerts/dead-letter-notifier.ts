import type { Logger } from 'pino';
import { redactSecrets } from '../observability/redact-secrets';
import type { AlertChannel } from './alert-channels';
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
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly secrets: string[];
  private sentInWindow = 0;
  private suppressed: DeadLetterAlert[] = [];
  private windowTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly channels: readonly AlertChannel[],
    private readonly logger: Logger,
    options: DeadLetterNotifierOptions = {},
  ) {
    this.burst = options.burst ?? 3;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.secrets = (options.secretValues ?? []).filter((s) => s.length >= 4);
  }

  deadLettered(alert: DeadLetterAlert): void {
    if (this.channels.length === 0) return;
    this.openWindow();
    if (this.sentInWindow < this.burst) {
      this.sentInWindow++;
      this.broadcast(formatDeadLetter(alert));
    } else {
      this.suppressed.push(alert);
    }
  }

  /** Sends the pending summary now and stops the window timer (shutdown). */
  async close(): Promise<void> {
    this.endWindow();
    await this.idle();
  }

  /** Resolves when every message handed to a channel has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private openWindow(): void {
    if (this.windowTimer) return;
    this.windowTimer = setTimeout(() => this.endWindow(), this.windowMs);
    this.windowTimer.unref();
  }

  private endWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.sentInWindow = 0;
    const suppressed = this.suppressed;
    this.suppressed = [];
    if (suppressed.length > 0) this.broadcast(formatSummary(suppressed, this.windowMs));
  }

  private broadcast(text: string): void {
    const safe = this.scrub(text);
    for (const channel of this.channels) {
      const sending = channel
        .send(safe)
        .catch((error: unknown) => this.logger.warn({ channel: channel.name, err: error instanceof Error ? error.message : String(error) }, 'alert could not be sent'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private scrub(text: string): string {
    let out = redactSecrets(text);
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
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
