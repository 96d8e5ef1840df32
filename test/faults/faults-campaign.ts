import { parseArgs } from 'node:util';
import type { ScheduleOptions } from './run-schedule';
import { runScheduleProcess, startCampaignPostgres } from './schedule-runner';

/**
 * `npm run faults -- --schedules N --seed S [--edits E] [--faults F] [--outage SECONDS]
 * [--schedule-timeout SECONDS]`: fault schedules S, S+1, ... one after another, each in its own
 * process bounded in time, on a private Postgres. One line per schedule,
 * `schedule K (seed S): passed|failed <reason>`, then exactly `N passed, M failed`; a failure's
 * details go to stderr. Exit code 1 when any schedule failed.
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
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(from) || from < 0 || !(timeoutMs > 0) || !(options.edits > 0) || !(options.postgresOutageMs >= 0)) {
    throw new Error('usage: npm run faults -- --schedules N --seed S [--edits E] [--faults F] [--outage SECONDS] [--schedule-timeout SECONDS] [--logs DIR]');
  }
  const postgres = await startCampaignPostgres();
  let passed = 0;
  let failed = 0;
  try {
    for (let k = 0; k < schedules; k++) {
      const seed = from + k;
      await postgres.ensureRunning();
      const logsPath = values.logs ? `${values.logs}/schedule-${seed}.log` : undefined;
      const result = await runScheduleProcess(seed, postgres, { ...options, logsPath }, timeoutMs);
      if (result.passed) {
        passed += 1;
        process.stdout.write(`schedule ${k + 1} (seed ${seed}): passed\n`);
      } else {
        failed += 1;
        process.stdout.write(`schedule ${k + 1} (seed ${seed}): failed ${result.reason}\n`);
        process.stderr.write(`schedule ${k + 1} (seed ${seed}) [${result.schedule}] failed:\n${result.detail}\n\n`);
      }
    }
  } finally {
    postgres.destroy();
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
