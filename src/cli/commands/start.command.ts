import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type AppConfig } from '../../config';
import { createLogger, type Logger } from '../../observability/logger';
import { startService, stopOnSignals, type RunningService } from '../../app/start-service';
import { startSyncEngine } from '../../app/sync-engine';
import { installWebhooks } from '../../ingest/monday/install-webhooks';
import type { SandboxEndpoints } from '../../sandbox-mode';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

/** The demo mapping written in sandbox mode: the seed-000 nonprofit boards and org. */
export const DEMO_MAPPING = resolve(__dirname, '../../../examples/nonprofit-leads.yaml');

export async function startCommand(): Promise<void> {
  const initial = loadConfig();
  const sandboxMode = initial.mode === 'sandbox';
  // Sandbox mode turns the console on without setup: a token for this run only, printed once below.
  const sandboxToken = sandboxMode && !initial.adminToken ? randomBytes(24).toString('base64url') : null;
  const logger = createLogger({ level: initial.logLevel, secretValues: sandboxToken ? [...initial.secretValues, sandboxToken] : initial.secretValues });
  ensureMappingFile(initial, logger);
  // The mapping and both CRM clients; in sandbox mode also the emulators, which the clients point at.
  const context = await openCommandContext(initial, {
    mapping: true,
    salesforce: true,
    monday: true,
    ...(sandboxMode ? { sandbox: { emulators: { stateDir: resolve('.crm-sync/sandbox') }, generatedAdminToken: sandboxToken } } : {}),
  });
  const sandbox = sandboxMode ? context.sandbox : null;
  if (sandbox) announceSandbox(logger, sandbox);
  const { config, mapping, salesforce, monday } = context;
  let service: RunningService;
  try {
    service = await startService(config, {
      logger,
      mapping,
      startSync: async (runtime, url) => {
        const engine = await startSyncEngine(runtime, mapping, { salesforce, monday });
        if (sandbox) {
          runtime.operator.sandbox = { salesforceUrl: sandbox.salesforceUrl, mondayUrl: sandbox.mondayUrl };
          const hook = new URL('/webhooks/monday', url.replace('[::1]', '127.0.0.1')).toString();
          await installWebhooks(monday, mapping.objects.map((o) => o.monday.board), hook);
          logger.info({ url: hook }, 'sandbox: monday emulator webhooks point at this service');
        }
        return engine;
      },
      // The context's shutdown hooks stop the emulators.
      onStopped: () => context.close(),
    });
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
  stopOnSignals(service, logger);
  if (sandbox) {
    logger.info(tryThis(service.url, sandbox));
    // Straight to the terminal (stderr: stdout carries the JSON log), not the log: the log redacts the token.
    process.stderr.write(consoleAnnouncement(service.url, sandboxToken));
  }
}

/** The mapping file must exist before the context loads it: sandbox mode writes the demo mapping when there is none. */
function ensureMappingFile(config: AppConfig, logger: Logger): void {
  const path = resolve(config.syncConfigPath);
  if (existsSync(path)) return;
  if (config.mode !== 'sandbox') throw new CliError(`SYNC_CONFIG: no mapping file at ${path} (write one, or run \`crm-sync init\`)`);
  copyFileSync(DEMO_MAPPING, path);
  logger.warn({ path }, 'sandbox: wrote the demo mapping file (edit it, or delete it to get it back)');
}

function announceSandbox(logger: Logger, sandbox: SandboxEndpoints): void {
  logger.warn(
    { salesforce: sandbox.salesforceUrl, monday: `${sandbox.mondayUrl}/v2` },
    'SANDBOX MODE: no monday or Salesforce credentials are set, so crm-sync runs against its built-in emulators seeded with a demo nonprofit',
  );
}

function tryThis(url: string, sandbox: SandboxEndpoints): string {
  const sf = sandbox.salesforceUrl;
  const md = sandbox.mondayUrl;
  const json = "-H 'content-type: application/json'";
  return [
    'Try it (sandbox):',
    `  1. a new Salesforce opportunity:  curl -X POST ${sf}/__sandbox/records/Opportunity ${json} -d '{"fields":{"Name":"Demo grant","StageName":"Follow-up","CloseDate":"2027-01-31"}}'`,
    `  2. it appears on monday:          curl ${md}/__sandbox/boards/9378000526/items   (look for "Demo grant")`,
    `  3. move it on monday:             curl -X POST ${md}/__sandbox/items/<item id>/column-values ${json} -d '{"columnValues":{"stage":{"label":"Quote"}}}'`,
    `  4. Salesforce follows:            curl ${sf}/__sandbox/records/Opportunity/<record id>`,
    `  or click through it in the console: ${url.replace('[::1]', 'localhost')}/console (Try it)`,
    `  health: ${url}/health   metrics: ${url}/metrics   API: ${url}/docs`,
  ].join('\n');
}

/** The console's address and, when this run generated it, the token to sign in with. */
export function consoleAnnouncement(url: string, generatedToken: string | null): string {
  const base = url.replace('[::1]', 'localhost');
  const token = generatedToken ? `sign in with this token (generated for this run; set ADMIN_TOKEN to choose one): ${generatedToken}` : 'sign in with your ADMIN_TOKEN';
  return `\nOperator console: ${base}/console\n  ${token}\n  API description: ${base}/docs\n\n`;
}
