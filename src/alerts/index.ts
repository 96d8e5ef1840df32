import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { SlackWebhookChannel, TelegramChannel, type AlertChannel } from './alert-channels';
import { DeadLetterNotifier, type DeadLetterNotifierOptions } from './dead-letter-notifier';
import { DriftAlerts } from './reconcile-drift-alert';
import { IncidentTracker, type IncidentTrackerOptions } from './incident-tracker';

export type { DeadLetterAlert, DeadLetterAlerts } from './dead-letter-alert';
export { SlackWebhookChannel, TelegramChannel, type AlertChannel } from './alert-channels';
export { DeadLetterNotifier, formatDeadLetter, formatSummary, type DeadLetterNotifierOptions } from './dead-letter-notifier';
export { DriftAlerts, formatDriftAlert, type DriftAlert } from './reconcile-drift-alert';
export { IncidentTracker, formatIncident, formatRecovery, type Incident, type IncidentTrackerOptions } from './incident-tracker';
export { currentIncidents, BUDGET_WARNING_SHARE, type OperationalSnapshot } from './operational-incidents';
export { startOperationalAlerts, type OperatorAlertOptions, type RunningOperationalAlerts } from './operational-alerts';

/** The channels ALERT_WEBHOOK_URL and TELEGRAM_BOT_TOKEN/TELEGRAM_CHAT_ID configure (none when neither is set). */
export function createAlertChannels(config: Pick<AppConfig, 'alerts'>, options: { telegramBaseUrl?: string } = {}): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (config.alerts.webhookUrl) channels.push(new SlackWebhookChannel(config.alerts.webhookUrl));
  if (config.alerts.telegram) channels.push(new TelegramChannel({ ...config.alerts.telegram, baseUrl: options.telegramBaseUrl }));
  return channels;
}

/** The notifier for ALERT_WEBHOOK_URL and TELEGRAM_BOT_TOKEN/TELEGRAM_CHAT_ID; null when neither is set. */
export function createDeadLetterAlerts(
  config: Pick<AppConfig, 'alerts' | 'secretValues'>,
  logger: Logger,
  options: DeadLetterNotifierOptions & { telegramBaseUrl?: string } = {},
): DeadLetterNotifier | null {
  const channels = createAlertChannels(config, options);
  if (channels.length === 0) return null;
  return new DeadLetterNotifier(channels, logger, { secretValues: config.secretValues, ...options });
}

/** Scheduled-reconcile drift alerts on the same channels; null when no channel is set. */
export function createDriftAlerts(config: Pick<AppConfig, 'alerts'>, logger: Logger): DriftAlerts | null {
  const channels = createAlertChannels(config);
  return channels.length === 0 ? null : new DriftAlerts(channels, logger);
}

/** The incident tracker on the configured channels (with none, incidents are only logged). */
export function createIncidentTracker(config: Pick<AppConfig, 'alerts' | 'secretValues'>, logger: Logger, options: IncidentTrackerOptions & { telegramBaseUrl?: string } = {}): IncidentTracker {
  return new IncidentTracker(createAlertChannels(config, options), logger, { secretValues: config.secretValues, ...options });
}
