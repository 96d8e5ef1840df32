/**
 * bench/replay: events per second rebuilt by `crm-sync replay` from a large log (issue 7 target:
 * 50,000 events/s from a 1,000,000-event log). The log is generated in SQL: N linked opportunity
 * pairs, then alternating monday stage changes and Salesforce amount changes on them.
 *
 *   npx tsx bench/replay.ts [--events 1000000] [--pairs 10000]
 */
import { Pool } from 'pg';
import { loadMapping } from '../src/mapping';
import { replayProjection } from '../src/migration/replay';
import { saveCachedContext } from '../src/projectors/sync-context-cache';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../test/support/sandbox-schemas';
import { createBenchDatabase } from './support/bench-database';
import { cpuBetween, cpuSnapshot } from './support/cpu-accounting';
import { numberOption } from './support/bench-options';
import { generateReplayLog } from './support/replay-log';
import { log, report, round } from './support/bench-report';

async function main(): Promise<void> {
  const total = numberOption('events', 1_000_000);
  const pairs = numberOption('pairs', 10_000);
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await saveCachedContext(pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
    log(`generating ${total} events over ${pairs} linked pairs`);
    await generateReplayLog(pool, total, pairs);
    await pool.query('VACUUM ANALYZE events');
    const mapping = loadMapping(EXAMPLE_MAPPING);
    const cpuBefore = cpuSnapshot(null, db.name);
    const started = process.hrtime.bigint();
    let lastLogged = 0;
    let peakRss = process.memoryUsage().rss;
    const result = await replayProjection(pool, db.url, mapping, ({ handled }) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (handled - lastLogged >= 100_000) {
        lastLogged = handled;
        log(`${handled} / ${total}`);
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(null, db.name));
    const rate = result.handled / seconds;
    const perThousand = (ms: number) => round((ms / result.handled) * 1000, 1);
    report({
      bench: 'replay',
      targets: { 'events_per_s >= 50000': rate >= 50_000 },
      rows: [
        {
          events: result.handled,
          pairs,
          seconds: round(seconds, 1),
          events_per_s: Math.round(rate),
          peak_rss_mb: round(peakRss / 2 ** 20, 0),
          node_cpu_ms_per_1k: perThousand(cpu.benchMs),
          postgres_cpu_ms_per_1k: perThousand(cpu.postgresMs),
          others_busy_pct: round((cpu.otherMs / cpu.capacityMs) * 100, 0),
          load_1m: round(cpu.loadAverage1m, 1),
        },
      ],
      notes: [
        'replay runs in this process against a local Postgres; decisions are pure, commands are dropped',
        'node_cpu_ms_per_1k and postgres_cpu_ms_per_1k are CPU time per 1,000 events (comparable across machine load); others_busy_pct is the share of the 2 cores used by work that is not this bench',
      ],
    });
  } finally {
    await pool.end();
    await db.drop();
  }
}

void main();
