import { runConvergenceSeed } from '../support/convergence-scenario';

/**
 * One seed of the convergence campaign in a process of its own (so the campaign can bound it in time
 * and a seed's leftovers never reach the next): prints one JSON line with the result on stdout.
 */
async function main(): Promise<void> {
  const seed = Number(process.argv[2]);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`usage: convergence-seed <seed> (got ${process.argv[2]})`);
  const result = await runConvergenceSeed(seed);
  // stdout is a pipe, written asynchronously on POSIX: exiting before the write is flushed loses
  // what is still queued, the result line last of all (under CONVERGENCE_DEBUG the histories before
  // it fill the pipe: seed 2007's replay mismatch came out as "no result").
  await new Promise<void>((resolve, reject) => process.stdout.write(`${JSON.stringify(result)}\n`, (error) => (error ? reject(error) : resolve())));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
