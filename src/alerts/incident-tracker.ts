import type { Logger } from 'pino';
import { AlertBroadcaster, AlertWindow } from './alert-broadcaster';
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
  private readonly now: () => number;
  private readonly out: AlertBroadcaster;
  private readonly window: AlertWindow<string>;

  constructor(channels: readonly AlertChannel[], private readonly logger: Logger, options: IncidentTrackerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.out = new AlertBroadcaster(channels, logger, options.secretValues);
    this.window = new AlertWindow(options.burst ?? 5, options.windowMs ?? 5 * 60_000, (held) =>
      this.out.send([`crm-sync: ${held.length} more alert(s) held back by the rate limit:`, ...held.map((s) => `- ${s}`)].join('\n')),
    );
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
    this.window.end();
    await this.out.idle();
  }

  async idle(): Promise<void> {
    await this.out.idle();
  }

  /** A storm across keys keeps only the first line (the title) of each held message for the summary. */
  private send(text: string): void {
    if (this.out.enabled && this.window.admit(text.split('\n')[0])) this.out.send(text);
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
