import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { SlackWebhookChannel, TelegramChannel, type AlertChannel } from './alert-channels';
import { DeadLetterNotifier, type DeadLetterNotifierOptions } from './dead-letter-notifier';

export type { DeadLetterAlert, DeadLetterAlerts } from './dead-letter-alert';
export { SlackWebhookChannel, TelegramChannel, type AlertChannel } from './alert-channels';
export { DeadLetterNotifier, formatDeadLetter, formatSummary, type DeadLetterNotifierOptions } from './dead-letter-notifier';

/** The notifier for ALERT_WEBHOOK_URL and TELEGRAM_BOT_TOKEN/TELEGRAM_CHAT_ID; null when neither is set. */
export function createDeadLetterAlerts(
  config: Pick<AppConfig, 'alerts' | 'secretValues'>,
  logger: Logger,
  options: DeadLetterNotifierOptions & { telegramBaseUrl?: string } = {},
): DeadLetterNotifier | null {
  const channels: AlertChannel[] = [];
  if (config.alerts.webhookUrl) channels.push(new SlackWebhookChannel(config.alerts.webhookUrl));
  if (config.alerts.telegram) channels.push(new TelegramChannel({ ...config.alerts.telegram, baseUrl: options.telegramBaseUrl }));
  if (channels.length === 0) return null;
  return new DeadLetterNotifier(channels, logger, { secretValues: config.secretValues, ...options });
}
