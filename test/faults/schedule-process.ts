import { attachFaultPostgres } from './fault-postgres';
import { runFaultSchedule } from './run-schedule';

/**
 * One fault schedule in its own process (started by the campaign): argv seed, the campaign's
 * Postgres from FAULTS_PG_DIR / FAULTS_PG_PORT, options from FAULTS_OPTIONS (JSON). Prints the
 * result as JSON on its last stdout line.
 */
async function main(): Promise<void> {
  const seed = Number(process.argv[2]);
  const postgres = attachFaultPostgres(String(process.env.FAULTS_PG_DIR), Number(process.env.FAULTS_PG_PORT));
  const options = JSON.parse(String(process.env.FAULTS_OPTIONS)) as Parameters<typeof runFaultSchedule>[2];
  const result = await runFaultSchedule(seed, postgres, options);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
