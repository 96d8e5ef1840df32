import { loadConfig } from '../../config';
import { installWebhooks } from '../../ingest/monday/install-webhooks';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

/** Creates the monday webhooks the mapping needs at PUBLIC_URL; idempotent. */
export async function webhooksInstallCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.http.publicUrl) throw new CliError('PUBLIC_URL is required: it is where monday will deliver webhooks');
  if (!config.monday.apiToken) throw new CliError('MONDAY_API_TOKEN is required');
  const context = await openCommandContext(config, { mapping: true, monday: true });
  const { mapping } = context;
  const url = new URL('/webhooks/monday', config.http.publicUrl);
  if (!config.monday.signingSecret && config.monday.webhookToken) url.searchParams.set('token', config.monday.webhookToken);
  const results = await installWebhooks(context.monday, [...new Set(mapping.objects.map((o) => o.monday.board))], url.toString()).finally(() => context.close());
  for (const r of results) {
    process.stdout.write(`board ${r.boardId}: created ${r.created.length ? r.created.join(', ') : 'nothing'}${r.existing.length ? `; already there: ${r.existing.join(', ')}` : ''}\n`);
  }
}
