import { EDITS, runConvergenceSeed } from '../support/convergence-scenario';
import { seedFromEnvironment } from '../support/random-edits';

/**
 * The randomized convergence test of issue 6 (the scenario is in test/support/convergence-scenario.ts):
 * one seed, one attempt. A failure is a bug to explain and fix, never a flake to retry: it prints the
 * seed (CONVERGENCE_SEED=<n> repeats its edits; their timing varies). Many seeds in a row:
 * `npm run campaign -- --seeds 200`.
 */
/** A seed that passed every campaign run since the fixes of issue 16 (README, Development). */
const CI_SEED = 18;

describe('randomized two-way convergence under faults', () => {
  it(`${EDITS} random human edits on both sides converge with no duplicates, no redundant writes and no loops; replay rebuilds the live state`, async () => {
    const result = await runConvergenceSeed(seedFromEnvironment(CI_SEED));
    if (!result.passed) throw new Error(result.failure);
    process.stdout.write(`convergence seed ${result.summary.seed}: redundant Salesforce updates crossing a person's equal edit in flight: ${result.summary.racingRedundant}\n`);
    expect(result.summary.knowableRedundant).toBe(0);
  }, 420_000);
});
