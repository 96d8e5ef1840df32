import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../../config';
import { replayProjection } from '../../migration/replay';
import { enablePersonalData } from '../../personal-data';
import { SYNC_PROJECTOR } from '../../sync-projector/sync-projector';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

/**
 * The log has one projection, `sync` (links, field state and both directions' decisions live in one
 * table, decided by one runner): `--projection` names it or is an error, never a name accepted and
 * then ignored.
 */
export async function replayCommand(options: { projection?: string }): Promise<void> {
  if (options.projection !== undefined && options.projection !== SYNC_PROJECTOR) {
    throw new CliError(
      `--projection ${JSON.stringify(options.projection)}: the only projection is "${SYNC_PROJECTOR}" (links, field state and the decisions towards both CRMs are one projection, rebuilt together)`,
    );
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is required for `crm-sync replay`');
  const context = await openCommandContext(config, { database: { max: 4, applicationName: 'crm-sync replay' }, mapping: true });
  const { pool, mapping } = context;
  try {
    await enablePersonalData(pool, config.personalData, mapping);
  } catch (error) {
    await context.close();
    throw error;
  }
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
    await context.close();
  }
}
