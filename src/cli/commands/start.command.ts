import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type AppConfig } from '../../config';
import { createLogger, type Logger } from '../../observability/logger';
import { startService, stopOnSignals } from '../../app/start-service';
import { startSyncEngine } from '../../app/sync-engine';
import { installWebhooks } from '../../ingest/monday/install-webhooks';
import { loadMapping } from '../../mapping';
import { createMondayClient } from '../../monday';
import { createSalesforceClient } from '../../salesforce';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { CliError } from '../cli-error';

/** The demo mapping written in sandbox mode: the seed-000 nonprofit boards and org. */
export const DEMO_MAPPING = resolve(__dirname, '../../../examples/nonprofit-leads.yaml');

export async function startCommand(): Promise<void> {
  const initial = loadConfig();
  // Sandbox mode turns the console on without setup: a token for this run only, printed once below.
  const sandboxToken = initial.mode === 'sandbox' && !initial.adminToken ? randomBytes(24).toString('base64url') : null;
  const logger = createLogger({ level: initial.logLevel, secretValues: sandboxToken ? [...initial.secretValues, sandboxToken] : initial.secretValues });
  let sandbox: SandboxEnvironment | null = null;
  let config = initial;
  if (initial.mode === 'sandbox') {
    sandbox = await startSandbox({ stateDir: resolve('.crm-sync/sandbox') });
    const sandboxConfig = loadConfig(undefined, sandbox.variables);
    const adminToken = sandboxConfig.adminToken ?? sandboxToken;
    config = { ...sandboxConfig, mode: 'sandbox', adminToken, secretValues: adminToken ? [...sandboxConfig.secretValues, adminToken] : sandboxConfig.secretValues };
    announceSandbox(logger, sandbox);
  }
  const mapping = loadMappingFor(config, logger);
  const [salesforce, monday] = await Promise.all([createSalesforceClient(config.salesforce), Promise.resolve(createMondayClient(config.monday))]);
  const service = await startService(config, {
    logger,
    mapping,
    startSync: async (runtime, url) => {
      const engine = await startSyncEngine(runtime, mapping, { salesforce, monday });
      if (sandbox) {
        runtime.operator.sandbox = { salesforceUrl: sandbox.salesforce.url, mondayUrl: sandbox.monday.url.replace(/\/v2$/, '') };
        const hook = new URL('/webhooks/monday', url.replace('[::1]', '127.0.0.1')).toString();
        await installWebhooks(monday, mapping.objects.map((o) => o.monday.board), hook);
        logger.info({ url: hook }, 'sandbox: monday emulator webhooks point at this service');
      }
      return engine;
    },
    onStopped: async () => {
      await sandbox?.close();
    },
  });
  stopOnSignals(service, logger);
  if (sandbox) {
    logger.info(tryThis(service.url, sandbox));
    // Straight to the terminal (stderr: stdout carries the JSON log), not the log: the log redacts the token.
    process.stderr.write(consoleAnnouncement(service.url, sandboxToken));
  }
}

function loadMappingFor(config: AppConfig, logger: Logger) {
  const path = resolve(config.syncConfigPath);
  if (!existsSync(path)) {
    if (config.mode !== 'sandbox') throw new CliError(`SYNC_CONFIG: no mapping file at ${path} (write one, or run \`crm-sync init\`)`);
    copyFileSync(DEMO_MAPPING, path);
    logger.warn({ path }, 'sandbox: wrote the demo mapping file (edit it, or delete it to get it back)');
  }
  return loadMapping(path);
}

function announceSandbox(logger: Logger, sandbox: SandboxEnvironment): void {
  logger.warn(
    { salesforce: sandbox.salesforce.url, monday: sandbox.monday.url },
    'SANDBOX MODE: no monday or Salesforce credentials are set, so crm-sync runs against its built-in emulators seeded with a demo nonprofit',
  );
}

function tryThis(url: string, sandbox: SandboxEnvironment): string {
  const sf = sandbox.salesforce.url;
  const md = sandbox.monday.url.replace(/\/v2$/, '');
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
