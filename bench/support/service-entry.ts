/**
 * The service as bench/ingest runs it: configuration from the environment, then startService —
 * HTTP ingest and the event store, no sandbox emulators and no sync engine (projector, CDC), so the
 * figures are the ingest path's own. `crm-sync start` in sandbox mode adds both. SIGTERM stops it
 * gracefully. Run with `node --import tsx`; service-build.ts writes the same in JavaScript for the
 * compiled build.
 */
import 'reflect-metadata';
import { startService, stopOnSignals } from '../../src/app/start-service';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretValues: config.secretValues });
  const service = await startService(config, { logger });
  stopOnSignals(service, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
