import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { startSandbox } from '@crm-sync/sandbox';
import { START_BOUND_MS, startChildService, type ChildService } from '../support/child-service';
import { buildCompiledService } from '../support/compiled-service';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';

/**
 * `tsx test/faults/measure-instance-starts.ts [ROUNDS]`: what one `crm-sync start` costs, through
 * tsx and compiled, side by side in one run: rounds alternate the two, each start on the same
 * migrated database and emulators with no faults, from spawn to the "listening" line, and the CPU
 * the instance used by then (utime + stime from /proc). Needs the shared Postgres on 127.0.0.1:5432.
 */
async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const building = Date.now();
  const compiledMain = buildCompiledService();
  process.stdout.write(`compiled in ${((Date.now() - building) / 1000).toFixed(1)} s (0 when reused)\n`);
  const name = `measure_starts_${process.pid}`;
  const admin = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres', max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const sandbox = await startSandbox();
  const env = { ...sandbox.variables, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`, SYNC_CONFIG: EXAMPLE_MAPPING, LOG_LEVEL: 'info', PORT: '0' };
  const figures: Record<'tsx' | 'compiled', Array<{ wallMs: number; cpuMs: number }>> = { tsx: [], compiled: [] };
  try {
    // The first start migrates the database: not measured.
    await stop(await startChildService(env, START_BOUND_MS, undefined, compiledMain));
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['tsx', 'compiled'] as const) : (['compiled', 'tsx'] as const)) {
        const instance = await startChildService(env, START_BOUND_MS, undefined, mode === 'compiled' ? compiledMain : undefined);
        figures[mode].push({ wallMs: instance.startMs, cpuMs: cpuMsOf(instance.child.pid) });
        await stop(instance);
      }
    }
  } finally {
    await sandbox.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  for (const mode of ['tsx', 'compiled'] as const) {
    const runs = figures[mode];
    process.stdout.write(`${mode}: ${runs.length} starts, wall ${(mean(runs.map((r) => r.wallMs)) / 1000).toFixed(1)} s mean, CPU ${(mean(runs.map((r) => r.cpuMs)) / 1000).toFixed(2)} s mean per start\n`);
  }
  const ratio = (pick: (r: { wallMs: number; cpuMs: number }) => number): string => (mean(figures.tsx.map(pick)) / mean(figures.compiled.map(pick))).toFixed(1);
  process.stdout.write(`tsx / compiled: wall ${ratio((r) => r.wallMs)}x, CPU ${ratio((r) => r.cpuMs)}x; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
}

function cpuMsOf(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function stop(instance: ChildService): Promise<void> {
  instance.child.kill('SIGKILL');
  await instance.exited;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
