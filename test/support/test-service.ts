import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { startService, type RunningService } from '../../src/app/start-service';
import { createLogger } from '../../src/observability/logger';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TEST_WEBHOOK_TOKEN = 'test-webhook-token-abcdef';

export interface TestService {
  service: RunningService;
  db: TestDatabase;
  url: string;
  /** Every log line the service wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  rawLogs: string[];
  stop(): Promise<void>;
}

/** The real service on a loopback port with its own fresh database; logs captured for assertions. */
export async function startTestService(env: Record<string, string> = {}, identity?: { mondayUserId?: number }): Promise<TestService> {
  const db = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    MONDAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
    MONDAY_WEBHOOK_TOKEN: TEST_WEBHOOK_TOKEN,
    // Webhook secrets alone are a partial configuration (interface.md section 1): complete it. Only
    // HTTP runs here (no sync engine), so neither CRM is ever called with these.
    MONDAY_API_TOKEN: 'test-monday-api-token',
    SALESFORCE_CLIENT_ID: 'test-client-id',
    SALESFORCE_CLIENT_SECRET: 'test-client-secret',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const rawLogs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      rawLogs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', secretValues: config.secretValues, destination });
  const service = await startService(config, { logger, identity });
  return {
    service,
    db,
    url: service.url.replace('[::1]', '127.0.0.1'),
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs,
    stop: async () => {
      await service.stop();
      await db.drop();
    },
  };
}
