/**
 * The search of bench/duplicates-read.ts, as `crm-sync duplicates --object lead` does it
 * (src/cli/commands/duplicates.command.ts): the real Salesforce and monday clients, the sync's
 * links from Postgres, `findDuplicates`. Prints one `DUPLICATES_CHILD {...}` line.
 */
import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { findDuplicates } from '../../src/data-quality/duplicates';
import { loadMapping } from '../../src/mapping';
import { createMondayClient } from '../../src/monday';
import { createSalesforceClient } from '../../src/salesforce';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { DATABASE_URL: process.env.BENCH_DATABASE });
  const pool = new Pool({ connectionString: process.env.BENCH_DATABASE, max: 2 });
  const salesforce = await createSalesforceClient(config.salesforce);
  const monday = createMondayClient(config.monday);
  const mapping = loadMapping(process.env.BENCH_MAPPING as string);
  const started = Date.now();
  let readDone = started;
  let progressUpdates = 0;
  let lastLogged = 0;
  const searches = await findDuplicates({ db: pool, salesforce, monday, mapping }, 'lead', {
    onRead: (count) => {
      progressUpdates++;
      if (count - lastLogged >= 10_000) {
        lastLogged = count;
        process.stderr.write(`read ${count} (${Math.round((Date.now() - started) / 1000)} s, RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB)\n`);
      }
    },
    onPhase: ({ step }) => {
      if (step === 'cluster') readDone = Date.now();
    },
    onCluster: () => progressUpdates++,
  });
  const finished = Date.now();
  const clusters = searches.flatMap((s) => s.clusters);
  const plantedFound = clusters.filter((c) => c.members.some((m) => m.crm === 'salesforce') && c.members.some((m) => m.crm === 'monday')).length;
  await pool.end();
  const result = {
    readMs: readDone - started,
    clusterMs: finished - readDone,
    realMs: finished - started,
    peakRss: process.resourceUsage().maxRSS * 1024,
    clusters: clusters.length,
    plantedFound,
    progressUpdates,
  };
  process.stdout.write(`DUPLICATES_CHILD ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
