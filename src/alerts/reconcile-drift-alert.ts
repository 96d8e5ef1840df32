import type { Logger } from 'pino';
import type { AlertChannel } from './alert-channels';

/** What an operator is told about a scheduled reconcile that found drift: counts, never values. */
export interface DriftAlert {
  total: number;
  /** Drift this run found that the previous run did not. */
  newSinceLastRun: number;
  objects: ReadonlyArray<{ objectKey: string; kinds: Readonly<Record<string, number>> }>;
  /** Whether the run appended the repairs (RECONCILE_FIX). */
  fix: boolean;
}

export function formatDriftAlert(alert: DriftAlert): string {
  const perObject = alert.objects
    .filter((o) => Object.keys(o.kinds).length > 0)
    .map((o) => `${o.objectKey}: ${Object.entries(o.kinds).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  const action = alert.fix
    ? 'Repairs were appended to the pipeline; drift a person must decide is left as it is.'
    : 'Report only (RECONCILE_FIX=false): run `crm-sync reconcile --fix` to repair it.';
  return [
    `crm-sync scheduled reconcile found ${alert.total} drift(s), ${alert.newSinceLastRun} new since the last run.`,
    ...perObject,
    action,
    'Run `crm-sync reconcile` for the table.',
  ].join('\n');
}

/**
 * Scheduled-reconcile drift -> every configured alert channel. Best effort, like dead-letter alerts:
 * a failed channel is logged, never retried, never fails the run.
 */
export class DriftAlerts {
  constructor(
    private readonly channels: readonly AlertChannel[],
    private readonly logger: Logger,
  ) {}

  async driftFound(alert: DriftAlert): Promise<void> {
    const text = formatDriftAlert(alert);
    await Promise.all(
      this.channels.map((channel) =>
        channel.send(text).catch((error: unknown) => this.logger.warn({ channel: channel.name, err: error instanceof Error ? error.message : String(error) }, 'reconcile drift alert could not be sent')),
      ),
    );
  }
}
