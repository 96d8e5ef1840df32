import Fastify from 'fastify';
import type { Clock } from '../clock';
import { ScaledClock } from '../clock';
import { accountUsers, INTEGRATION_USER_ID } from './account-users';
import { MondayControl } from './control/control-api';
import { DebouncedSaver, loadState, saveState } from './control/persistence';
import { RequestLog } from './control/request-log';
import { seedDemoBoards } from './demo-boards';
import { EmulatorCore } from './emulator-core';
import type { MondayEmulatorOptions } from './emulator-options';
import { registerBulkImportRoutes } from './bulk-import/bulk-import-routes';
import { registerControlRoutes } from './http/control-routes';
import { GraphqlEndpoint } from './http/graphql-endpoint';

export type { MondayEmulatorOptions, RateLimitOptions, WebhookOptions, ComplexityCosts } from './emulator-options';
export type { BulkImportOptions } from './bulk-import/bulk-import-options';
export type { MondayControl, SeedItem, Actor } from './control/control-api';
export type { FaultSpec, FaultKind } from './control/faults';
export type { RequestLogEntry } from './control/request-log';
export type { DeliveryRecord, DeliveryStats } from './webhooks/delivery-queue';
export type { BoardSpec, ColumnSpec, GroupSpec } from './board-actions';
export type { StateSnapshot, ItemRecord, BoardRecord, UserRecord } from './state/model';
export { DEMO_BOARDS, DEMO_USERS, seedDemoBoards } from './demo-boards';
export { INTEGRATION_USER_ID } from './account-users';

export const DEFAULT_SIGNING_SECRET = 'monday-emulator-signing-secret';

export interface MondayEmulator {
  /** The GraphQL endpoint, `http://host:port/v2`. */
  url: string;
  /** `http://host:port` (control API under `/__sandbox/`). */
  baseUrl: string;
  /** Personal token of the integration user (send as is in Authorization). */
  apiToken: string;
  integrationUserId: number;
  signingSecret: string;
  clock: Clock;
  control: MondayControl;
  close(): Promise<void>;
}

/** Starts the monday.com emulator on loopback (port 0 = any free port). */
export async function startMondayEmulator(options: MondayEmulatorOptions = {}): Promise<MondayEmulator> {
  const clock = options.clock ?? new ScaledClock();
  const signingSecret = options.signingSecret ?? DEFAULT_SIGNING_SECRET;
  const core = new EmulatorCore(clock, signingSecret, options);
  const log = new RequestLog(options.requestLog !== false);
  const endpoint = new GraphqlEndpoint(core, log, options.serveDeprecatedVersions === true, options.dailyAnalyticsRefreshMs);
  const control = new MondayControl(core, endpoint.limiter, log, endpoint.analytics, endpoint.idempotency);

  const persisted = options.persistPath ? loadState(options.persistPath) : undefined;
  if (persisted) {
    core.store.restore(persisted);
  } else {
    for (const user of accountUsers(core.account.id)) core.store.addUser(user);
  }

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(String(body)) as unknown);
    } catch {
      done(null, String(body));
    }
  });
  endpoint.register(app);
  registerControlRoutes(app, control);
  registerBulkImportRoutes(app, core.bulkImport);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const baseUrl = `http://${host}:${String(port)}`;
  core.bulkImport.baseUrl = baseUrl;

  const integration = core.store.users.get(INTEGRATION_USER_ID);
  if (!integration) throw new Error('the emulator state has no integration user');
  if (options.integrationUserIsAdmin) integration.isAdmin = true;
  const emulator: MondayEmulator = {
    url: `${baseUrl}/v2`,
    baseUrl,
    apiToken: integration.token,
    integrationUserId: INTEGRATION_USER_ID,
    signingSecret,
    clock,
    control,
    close: async () => {
      saver?.flush();
      core.queue.close();
      await app.close();
    },
  };
  if (!persisted && options.seed === 'demo') seedDemoBoards(emulator);

  const path = options.persistPath;
  const saver = path ? new DebouncedSaver(() => saveState(path, core.store.snapshot())) : undefined;
  if (saver) {
    core.onChange(() => saver.schedule());
    saver.flush();
  }
  return emulator;
}
