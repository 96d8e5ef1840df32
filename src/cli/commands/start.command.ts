import { loadConfig } from '../../config';
import { createLogger } from '../../observability/logger';
import { startService, stopOnSignals } from '../../app/start-service';

export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretValues: config.secretValues });
  if (config.mode === 'sandbox') {
    logger.warn('SANDBOX MODE: no monday or Salesforce credentials are set, so crm-sync runs against its built-in emulators');
  }
  const service = await startService(config, { logger });
  stopOnSignals(service, logger);
}
