import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../../config';
import { loadMapping } from '../../mapping';
import { PROJECTION_NAMES, replayProjection } from '../../migration/replay';
import { CliError } from '../cli-error';
import { cliPool } from '../cli-pool';

export async function replayCommand(options: { projection?: string }): Promise<void> {
  if (options.projection && !(PROJECTION_NAMES as readonly string[]).includes(options.projection)) {
    throw new CliError(`--projection must be one of ${PROJECTION_NAMES.join(', ')} (they are rebuilt together)`);
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync replay`');
  const mapping = loadMapping(resolve(config.syncConfigPath));
  const pool = cliPool(config.databaseUrl, { max: 4, applicationName: 'crm-sync replay', secretValues: config.secretValues });
  const bar = new SingleBar({ format: 'replay |{bar}| {value}/{total} events | {eta_formatted} left', etaBuffer: 50 }, Presets.shades_classic);
  let started = false;
  try {
    const result = await replayProjection(pool, config.databaseUrl, mapping, ({ handled, total }) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(handled);
    });
    if (started) bar.stop();
    process.stdout.write(`rebuilt the sync projection from ${result.handled} events; nothing was sent to either CRM\n`);
    if (result.parked) process.stdout.write(`${result.parked} parked events were skipped, as live processing skipped them (GET /admin/parked-events)\n`);
  } catch (error) {
    if (started) bar.stop();
    throw error instanceof Error && 'code' in error && error.code === 'REPLAY_REFUSED' ? new CliError(error.message) : error;
  } finally {
    await pool.end();
  }
}
