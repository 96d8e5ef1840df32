import type { Logger } from 'pino';
import { redactSecrets } from '../observability/redact-secrets';
import type { AlertChannel } from './alert-channels';

/** Something wrong that an operator must act on, named by a stable key (e.g. `salesforce:session`). */
export interface Incident {
  key: string;
  severity: 'critical' | 'warning';
  /** What is wrong, in one line. */
  title: string;
  /** What to do about it. */
  action: string;
}

export interface IncidentTrackerOptions {
  /** Messages sent one by one per window; the rest become one summary at the window's end (default 5). */
  burst?: number;
  /** Default 5 minutes. */
  windowMs?: number;
  secretValues?: readonly string[];
  now?: () => number;
}

/**
 * Open/close incidents by key: an incident is announced once when it opens and once when it
 * recovers, however often the condition is seen in between. Messages are rate-limited across all
 * keys (a storm becomes one summary). Sending is best effort: a failed channel is logged, never retried.
 */
export class IncidentTracker {
  private readonly open = new Map<string, { incident: Incident; since: number }>();
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly secrets: string[];
  private readonly now: () => number;
  private sentInWindow = 0;
  private suppressed: string[] = [];
  private windowTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly channels: readonly AlertChannel[],
    private readonly logger: Logger,
    options: IncidentTrackerOptions = {},
  ) {
    this.burst = options.burst ?? 5;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.secrets = (options.secretValues ?? []).filter((s) => s.length >= 4);
    this.now = options.now ?? Date.now;
  }

  /** Opens the incident unless it is open already; true when it was new (and announced). */
  raise(incident: Incident): boolean {
    if (this.open.has(incident.key)) return false;
    this.open.set(incident.key, { incident, since: this.now() });
    this.logger.warn({ incident: incident.key }, incident.title);
    this.send(formatIncident(incident));
    return true;
  }

  /** Closes the incident if it is open; true when it was (and the recovery was announced). */
  resolve(key: string): boolean {
    const entry = this.open.get(key);
    if (!entry) return false;
    this.open.delete(key);
    this.logger.info({ incident: key }, `recovered: ${entry.incident.title}`);
    this.send(formatRecovery(entry.incident, this.now() - entry.since));
    return true;
  }

  /**
   * The incidents seen now, among the keys starting with `scope`: the new ones open, the open ones
   * of that scope not seen any more recover.
   */
  observe(scope: string, current: readonly Incident[]): void {
    const seen = new Set(current.map((i) => i.key));
    for (const incident of current) this.raise(incident);
    for (const key of [...this.open.keys()]) if (key.startsWith(scope) && !seen.has(key)) this.resolve(key);
  }

  openIncidents(): Incident[] {
    return [...this.open.values()].map((e) => e.incident);
  }

  async close(): Promise<void> {
    this.endWindow();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private send(text: string): void {
    if (this.channels.length === 0) return;
    if (!this.windowTimer) {
      this.windowTimer = setTimeout(() => this.endWindow(), this.windowMs);
      this.windowTimer.unref();
    }
    if (this.sentInWindow >= this.burst) {
      this.suppressed.push(text.split('\n')[0]);
      return;
    }
    this.sentInWindow++;
    this.broadcast(text);
  }

  private endWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.sentInWindow = 0;
    const suppressed = this.suppressed;
    this.suppressed = [];
    if (suppressed.length > 0) this.broadcast([`crm-sync: ${suppressed.length} more alert(s) held back by the rate limit:`, ...suppressed.map((s) => `- ${s}`)].join('\n'));
  }

  private broadcast(text: string): void {
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
}

export function formatIncident(incident: Incident): string {
  const mark = incident.severity === 'critical' ? 'PROBLEM' : 'WARNING';
  return [`crm-sync ${mark}: ${incident.title}`, `What to do: ${incident.action}`, `(incident ${incident.key})`].join('\n');
}

export function formatRecovery(incident: Incident, durationMs: number): string {
  return [`crm-sync RECOVERED: ${incident.title}`, `Open for ${describeDuration(durationMs)}; nothing more to do.`, `(incident ${incident.key})`].join('\n');
}

function describeDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
