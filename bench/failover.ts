/**
 * bench/failover: how long the singleton roles (sync projector, Salesforce CDC subscriber) take to
 * move to another instance when their holder is killed with SIGKILL (interface.md section 5:
 * within 30 s). `--instances` `crm-sync start` processes (default 3) share one database and the
 * emulators. Each round: a human Salesforce change is made and synced; the instance whose /health
 * shows the projector role is killed; a new change is made at once; figures per round:
 *  - takeover: from the kill to surviving instances' /health showing both roles held again
 *    (each role by some survivor; polled every 100 ms);
 *  - synced: from the kill to the change made after it carrying its value on monday.
 * A replacement instance is started after each round, so there are always `--instances`. At the
 * end: every lead has exactly one item (nothing lost, nothing doubled) and how many outbox
 * commands a survivor took over from a killed instance (claimed more than once).
 *
 *   npx tsx bench/failover.ts [--kills 20] [--instances 3]
 */
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { startSandbox } from '@crm-sync/sandbox';
import type { ChildService } from '../test/support/child-service';
import { EXAMPLE_MAPPING } from '../test/support/sandbox-schemas';
import { killInstance, leadershipOf, startInstance } from '../test/support/service-cluster';
import { numberOption } from './support/bench-options';
import { createBenchDatabase } from './support/bench-database';

const LEADS = DEMO_BOARDS.leads.id;
const ROUND_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  const kills = numberOption('kills', 20);
  const count = numberOption('instances', 3);
  const sandbox = await startSandbox();
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const env = { ...sandbox.variables, DATABASE_URL: db.url, SYNC_CONFIG: EXAMPLE_MAPPING };
  const instances: ChildService[] = [];
  const loads: number[] = [];
  const takeovers: number[] = [];
  const synced: number[] = [];
  const leads: string[] = [];
  const sf = sandbox.salesforce.control;
  const itemsOf = (id: string) => sandbox.monday.control.listItems(LEADS).filter((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));

  try {
    for (let i = 0; i < count; i++) instances.push(await startInstance(env));
    for (let round = 0; round < kills; round++) {
      const warm = (sf.createAsHuman('Lead', { LastName: `Warm ${round}`, Company: `Failover bench ${round}` }) as { id: string }).id;
      leads.push(warm);
      await until(() => itemsOf(warm).length > 0, `lead ${warm} synced before round ${round}`);
      // The roles are separate locks: kill the instance holding the projector (often also CDC).
      const leader = await until(async () => {
        for (const instance of instances) if ((await leadershipOf(instance.url))?.projector) return instance;
        return null;
      }, 'an instance holding the projector');

      loads.push(loadavg()[0]);
      const killedAt = Date.now();
      await killInstance(leader);
      instances.splice(instances.indexOf(leader), 1);
      const change = (sf.createAsHuman('Lead', { LastName: `After kill ${round}`, Company: `Failover bench after ${round}` }) as { id: string }).id;
      leads.push(change);
      const syncWait = until(() => itemsOf(change).length > 0, `lead ${change} synced after kill ${round}`, 20).then(() => Date.now() - killedAt);
      await until(async () => {
        const roles = await Promise.all(instances.map((i) => leadershipOf(i.url)));
        return roles.some((r) => r?.projector) && roles.some((r) => r?.cdc);
      }, `takeover after kill ${round}`);
      takeovers.push(Date.now() - killedAt);
      synced.push(await syncWait);
      console.log(`kill ${round + 1}/${kills}: takeover ${takeovers.at(-1)} ms, next change synced ${synced.at(-1)} ms (load ${loads.at(-1)?.toFixed(1)})`);
      instances.push(await startInstance(env));
    }

    await until(async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight')")).rows[0].n === 0, 'outbox drained');
    const duplicates = leads.filter((id) => itemsOf(id).length !== 1);
    const { rows } = await pool.query<{ taken_over: number; dead: number }>(
      "SELECT count(*) FILTER (WHERE dispatches > 1)::int AS taken_over, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM outbox",
    );
    console.log('');
    console.log(`| instances | kills | takeover p50 ms | takeover max ms | next change synced p50 ms | max ms | load avg (1 min) | leads without exactly one item | commands taken over | dead letters |`);
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${count} | ${kills} | ${percentile(takeovers, 50)} | ${Math.max(...takeovers)} | ${percentile(synced, 50)} | ${Math.max(...synced)} | ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} | ${duplicates.length} | ${rows[0].taken_over} | ${rows[0].dead} |`,
    );
    if (duplicates.length > 0) process.exitCode = 1;
  } finally {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    await pool.end();
    await sandbox.close();
    await db.drop();
  }
}

/** Polls `check` until it returns something truthy; bounded, so a lost role fails the bench instead of hanging it. */
async function until<T>(check: () => T | Promise<T>, what: string, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
