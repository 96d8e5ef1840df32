import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { startChildService, type ChildService } from './child-service';
import { EXAMPLE_MAPPING } from './sandbox-schemas';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface SandboxChildServices {
  readonly sandbox: SandboxEnvironment;
  readonly db: TestDatabase;
  /** `crm-sync start` as a child process on the sandbox, the database and the example mapping. */
  start(): Promise<ChildService>;
}

/**
 * A describe's fixture for specs that stop and start the service as a real process: both emulators
 * and a fresh database for the whole describe; every service it started is killed at the end.
 */
export function useSandboxChildServices(): SandboxChildServices {
  let sandbox: SandboxEnvironment | undefined;
  let db: TestDatabase | undefined;
  const started: ChildService[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const service of started) if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    await sandbox?.close();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSandboxChildServices: used before its beforeAll ran');
    return value;
  };
  return {
    get sandbox() {
      return ready(sandbox);
    },
    get db() {
      return ready(db);
    },
    async start() {
      const service = await startChildService({ ...ready(sandbox).variables, DATABASE_URL: ready(db).url, PORT: '0', SYNC_CONFIG: EXAMPLE_MAPPING });
      started.push(service);
      return service;
    },
  };
}
