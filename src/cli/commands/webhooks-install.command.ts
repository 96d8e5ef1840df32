import { resolve } from 'node:path';
import { loadConfig } from '../../config';
import { installWebhooks } from '../../ingest/monday/install-webhooks';
import { loadMapping } from '../../mapping';
import { createMondayClient } from '../../monday';
import { CliError } from '../cli-error';

/** Creates the monday webhooks the mapping needs at PUBLIC_URL; idempotent. */
export async function webhooksInstallCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.http.publicUrl) throw new CliError('PUBLIC_URL is required: it is where monday will deliver webhooks');
  if (!config.monday.apiToken) throw new CliError('MONDAY_API_TOKEN is required');
  const mapping = loadMapping(resolve(config.syncConfigPath));
  const url = new URL('/webhooks/monday', config.http.publicUrl);
  if (!config.monday.signingSecret && config.monday.webhookToken) url.searchParams.set('token', config.monday.webhookToken);
  const results = await installWebhooks(createMondayClient(config.monday), [...new Set(mapping.objects.map((o) => o.monday.board))], url.toString());
  for (const r of results) {
    process.stdout.write(`board ${r.boardId}: created ${r.created.length ? r.created.join(', ') : 'nothing'}${r.existing.length ? `; already there: ${r.existing.join(', ')}` : ''}\n`);
  }
}
