import { parseArgs } from 'node:util';
import { buildCompiledService } from '../support/compiled-service';
import type { ScheduleOptions, ScheduleResult } from './run-schedule';
import { describePhases } from './schedule-phases';
import { runScheduleProcess, startCampaignPostgres } from './schedule-runner';

/**
 * `npm run faults -- --schedules N --seed S [--edits E] [--faults F] [--outage SECONDS]
 * [--schedule-timeout SECONDS] [--instances compiled|tsx] [--cluster-start together|sequential]`: fault schedules S, S+1, ... one after
 * another, each in its own process bounded in time, on a private Postgres. The service is compiled
 * once per run (or an up-to-date build reused) and its instances start with plain node; `tsx`
 * starts them through tsx as before (for comparison). One line per schedule,
 * `schedule K (seed S): passed|failed <reason> [timing]`, then exactly `N passed, M failed`; a
 * failure's details go to stderr. Exit code 1 when any schedule failed.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schedules: { type: 'string' },
      seed: { type: 'string', default: '1' },
      edits: { type: 'string', default: '120' },
      faults: { type: 'string', default: '4' },
      outage: { type: 'string', default: '30' },
      'schedule-timeout': { type: 'string', default: '480' },
      logs: { type: 'string' },
      instances: { type: 'string', default: 'compiled' },
      'cluster-start': { type: 'string', default: 'sequential' },
    },
  });
  const schedules = Number(values.schedules);
  const from = Number(values.seed);
  const timeoutMs = Number(values['schedule-timeout']) * 1000;
  const options: ScheduleOptions = {
    edits: Number(values.edits),
    faults: Number(values.faults),
    postgresOutageMs: Number(values.outage) * 1000,
    quietTimeoutMs: 120_000,
  };
  if (values.instances !== 'compiled' && values.instances !== 'tsx') throw new Error('--instances is compiled or tsx');
  if (values['cluster-start'] !== 'together' && values['cluster-start'] !== 'sequential') throw new Error('--cluster-start is together or sequential');
  options.clusterStart = values['cluster-start'];
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(from) || from < 0 || !(timeoutMs > 0) || !(options.edits > 0) || !(options.postgresOutageMs >= 0)) {
    throw new Error('usage: npm run faults -- --schedules N --seed S [--edits E] [--faults F] [--outage SECONDS] [--schedule-timeout SECONDS] [--logs DIR] [--instances compiled|tsx] [--cluster-start together|sequential]');
  }
  if (values.instances === 'compiled') {
    const building = Date.now();
    options.compiledMain = buildCompiledService();
    process.stdout.write(`service compiled for this run in ${seconds(Date.now() - building)} s: ${options.compiledMain}\n`);
  }
  const postgres = await startCampaignPostgres();
  let passed = 0;
  let failed = 0;
  try {
    for (let k = 0; k < schedules; k++) {
      const seed = from + k;
      await postgres.ensureRunning();
      const logsPath = values.logs ? `${values.logs}/schedule-${seed}.log` : undefined;
      const started = Date.now();
      const result = await runScheduleProcess(seed, postgres, { ...options, logsPath }, timeoutMs);
      const timing = timingOf(result, Date.now() - started);
      if (result.passed) {
        passed += 1;
        process.stdout.write(`schedule ${k + 1} (seed ${seed}): passed ${timing}${result.notes.length > 0 ? ` (${result.notes.join('; ')})` : ''}\n`);
      } else {
        failed += 1;
        process.stdout.write(`schedule ${k + 1} (seed ${seed}): failed ${result.reason} ${timing}\n`);
        process.stderr.write(`schedule ${k + 1} (seed ${seed}) [${result.schedule}] failed:\n${result.detail}\n\n`);
      }
    }
  } finally {
    postgres.destroy();
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** `[212.4 s; 5 instance starts, 3.1 s mean, 4.0 s max]`: the schedule's wall time and its instances' spawn-to-listening times. */
function timingOf(result: ScheduleResult, wallMs: number): string {
  const starts = result.instanceStartsMs ?? [];
  const mean = starts.length > 0 ? starts.reduce((a, b) => a + b, 0) / starts.length : 0;
  const phases = result.phasesMs ? `; ${describePhases(result.phasesMs)}` : '';
  return `[${seconds(wallMs)} s; ${starts.length} instance starts, ${seconds(mean)} s mean, ${seconds(Math.max(0, ...starts))} s max${phases}]`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
