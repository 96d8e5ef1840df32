/**
 * bench/ingest: the real service (startService as a child process: HTTP ingest + event store, no
 * sandbox emulators, no sync engine; see support/service-entry.ts) under signed monday webhooks
 * from autocannon on loopback. Each request carries a distinct triggerUuid, so every 2xx is a new
 * event; the rate reported is rows that landed in `events` during the measured window.
 *
 *   npx tsx bench/ingest.ts [--connections 10,50,100] [--duration 15] [--warmup 3] [--runner compiled|tsx]
 *                           [--rate N] [--service-build DIR]
 *
 * The service is compiled first (into a temp dir) and run as plain JavaScript, as `npm start` runs
 * it; `--runner tsx` skips the build and runs src/ through tsx (about 40 MiB more RSS);
 * `--service-build DIR` runs a build made beforehand (DIR/dist), e.g. of another revision for an A/B.
 * `--rate N` caps the requests offered to N per second across all connections (autocannon
 * overallRate): the target reads "5,000 events/s with p99 under 20 ms", and a closed loop at full
 * speed only shows the latency of a saturated service (by Little's law 100 connections at 5,000/s
 * already average 20 ms).
 */
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { mondayJwt, samplePayloads } from '../test/support/monday-webhooks';
import { countRows, createBenchDatabase, eventsPerCommit, maxPosition } from './support/bench-database';
import { log, report, round, type Row } from './support/bench-report';
import { cpuBetween, cpuSnapshot } from './support/cpu-accounting';
import { choiceOption, numberListOption, numberOption, stringOption } from './support/bench-options';
import { buildService, existingBuild, type ServiceBuild } from './support/service-build';
import { residentMiB, sampleResident, startServiceProcess } from './support/service-process';

const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const TARGET = { eventsPerSecond: 5_000, p99Ms: 20, rssMiB: 200 };

async function main(): Promise<void> {
  const connectionCounts = numberListOption('connections', [10, 50, 100]);
  const durationS = numberOption('duration', 15);
  const warmupS = numberOption('warmup', 3);
  const runner = choiceOption('runner', ['compiled', 'tsx'] as const, 'compiled');
  const prebuilt = stringOption('service-build');
  const rate = numberOption('rate', 0);

  let build: ServiceBuild | null = null;
  if (prebuilt !== undefined) {
    build = existingBuild(prebuilt);
  } else if (runner === 'compiled') {
    log('compiling the service (tsc -p tsconfig.build.json into a temp dir)');
    build = await buildService();
  }
  const db = await createBenchDatabase();
  const rows: Row[] = [];
  const idle: { rssMiB: number | null } = { rssMiB: null };
  try {
    // A signing secret alone is a partial configuration: complete it (this entry starts no sync engine, so no CRM is called).
    const credentials = { MONDAY_API_TOKEN: 'bench-unused', SALESFORCE_CLIENT_ID: 'bench-unused', SALESFORCE_CLIENT_SECRET: 'bench-unused' };
    const service = await startServiceProcess({ DATABASE_URL: db.url, MONDAY_SIGNING_SECRET: SIGNING_SECRET, LOG_LEVEL: 'warn', ...credentials }, build);
    try {
      log(`service pid ${service.pid} at ${service.url} (${runner}); database ${db.name}`);
      idle.rssMiB = residentMiB(service.pid);
      const authorization = mondayJwt(SIGNING_SECRET, {}, { expiresIn: 3_600 });
      for (const connections of connectionCounts) {
        log(`${connections} connections: ${warmupS} s warm-up`);
        await fire(service.url, authorization, connections, warmupS, `w${connections}`, rate);
        const before = await countRows(db.url, 'events');
        const positionBefore = await maxPosition(db.url);
        const rss = sampleResident(service.pid);
        log(`${connections} connections: ${durationS} s measured`);
        const cpuBefore = cpuSnapshot(service.pid, db.name);
        const result = await fire(service.url, authorization, connections, durationS, `m${connections}`, rate);
        const cpu = cpuBetween(cpuBefore, cpuSnapshot(service.pid, db.name));
        const memory = rss.stop();
        const stored = (await countRows(db.url, 'events')) - before;
        const perEvent = (ms: number): number => round((ms * 1000) / Math.max(1, stored), 0);
        rows.push({
          connections,
          offered_per_s: rate > 0 ? rate : 'max',
          events_per_s: Math.round(stored / durationS),
          requests_2xx: result['2xx'],
          non_2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          p50_ms: result.latency.p50,
          p99_ms: result.latency.p99,
          max_ms: result.latency.max,
          rss_peak_mib: round(memory.peakMiB),
          events_per_commit: round(await eventsPerCommit(db.url, positionBefore)),
          service_cpu_us_per_event: perEvent(cpu.serviceMs),
          postgres_cpu_us_per_event: perEvent(cpu.postgresMs),
          autocannon_cpu_us_per_event: perEvent(cpu.benchMs),
          others_cpu_pct: round((100 * cpu.otherMs) / cpu.capacityMs, 0),
          loadavg_1m: round(cpu.loadAverage1m, 1),
        });
      }
    } finally {
      const code = await service.stop();
      if (code !== 0) log(`service exited with ${code}:\n${service.output.join('')}`);
    }
  } finally {
    await db.drop();
    build?.remove();
  }

  const best = rows.reduce((a, b) => (Number(b.events_per_s) > Number(a.events_per_s) ? b : a));
  const worstP99 = Math.max(...rows.map((r) => Number(r.p99_ms)));
  const peakRss = Math.max(...rows.map((r) => Number(r.rss_peak_mib)));
  report({
    bench: 'ingest',
    rows,
    targets: {
      [`events_per_s >= ${TARGET.eventsPerSecond} (best: ${best.events_per_s} at ${best.connections} connections)`]:
        Number(best.events_per_s) >= TARGET.eventsPerSecond,
      [`p99 < ${TARGET.p99Ms} ms at that load (${best.p99_ms} ms)`]: Number(best.p99_ms) < TARGET.p99Ms,
      [`p99 < ${TARGET.p99Ms} ms at every load (worst ${worstP99} ms)`]: worstP99 < TARGET.p99Ms,
      [`service RSS < ${TARGET.rssMiB} MiB (peak ${peakRss})`]: peakRss < TARGET.rssMiB,
    },
    notes: [
      `service RSS right after start, before load: ${idle.rssMiB === null ? 'unknown' : round(idle.rssMiB)} MiB`,
      `service: startService (ingest + event store, no sandbox, no sync engine) as a child process (${runner === 'compiled' ? 'compiled JavaScript, as npm start runs it' : 'node --import tsx'}), RSS from /proc/<pid>/status VmRSS; autocannon runs in the bench process on the same ${cpus().length} cores`,
      'cpu_us_per_event: CPU time of the service process, of Postgres (our database\'s backends + WAL writer/checkpointer) and of autocannon, per stored event; others_cpu_pct: share of the 2 cores busy with work that was not this bench (the machine is shared)',
      `events_per_s counts rows added to events during the ${durationS} s window; latency percentiles are autocannon's (2xx only, 1 ms resolution)`,
    ],
  });
}

/** One autocannon run; every request body gets a fresh triggerUuid (`<run>-<n>`). */
function fire(url: string, authorization: string, connections: number, durationS: number, run: string, rate: number): Promise<autocannon.Result> {
  const marker = '__TRIGGER_UUID__';
  const [head, tail] = JSON.stringify({ event: { ...samplePayloads.update_column_value(), triggerUuid: marker } }).split(marker);
  const prefix = `bench-${process.pid}-${run}-`;
  let n = 0;
  return autocannon({
    url: `${url}/webhooks/monday`,
    connections,
    duration: durationS,
    ...(rate > 0 ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        setupRequest: (request) => ({ ...request, body: `${head}${prefix}${n++}${tail}` }),
      },
    ],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
