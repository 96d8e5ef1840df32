import { buildCompiledService } from '../support/compiled-service';
import { runScheduleProcess, startCampaignPostgres, type CampaignPostgres } from './schedule-runner';

/**
 * Issue 20 in CI: short fault schedules (real `crm-sync start` processes on a private Postgres, kills,
 * a Postgres restart, lost responses, duplicated webhooks, CDC redelivery...). Each must end with
 * both sides agreeing, nothing doubled, nothing dead-lettered and no loop. The instances run on the
 * service compiled once (test/support/compiled-service.ts). `npm run faults` runs many more.
 */
describe('fault campaign (short schedules)', () => {
  let postgres: CampaignPostgres;
  let compiledMain: string;

  beforeAll(async () => {
    compiledMain = buildCompiledService();
    postgres = await startCampaignPostgres();
  }, 240_000);
  afterAll(() => postgres?.destroy());

  const options = { edits: 30, faults: 3, postgresOutageMs: 2_000, quietTimeoutMs: 60_000 };

  it.each([104, 105])('schedule of seed %i ends converged, without duplicates, dead letters or loops', async (seed) => {
    await postgres.ensureRunning();
    const result = await runScheduleProcess(seed, postgres, { ...options, compiledMain }, 170_000);
    if (!result.passed) throw new Error(`seed ${seed} [${result.schedule}]: ${result.detail}`);
    expect(result.passed).toBe(true);
  }, 190_000);
});
